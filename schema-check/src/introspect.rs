//! Live introspection: a [`Catalog`] from `pg_catalog`.
//!
//! Eight catalog queries, whatever the number of tables, sent together
//! (pipelined) inside `READ ONLY`, `REPEATABLE READ` transactions that share
//! one snapshot, so they see one consistent state and can change nothing.
//! Only catalog features of PostgreSQL 12 and newer are used.
//!
//! Rows are read by column name, never by position: every selected
//! expression has a name of its own in its query (an `AS` alias where
//! PostgreSQL would make one up, or where two columns would share one).
//!
//! `read_within` sends the same queries on a session already inside a
//! transaction its caller began and ends, to read what that transaction
//! did before it is rolled back (a draft being verified).
//!
//! This module opens the transactions and sends the queries; their texts
//! are in `queries`, the decoding of their rows into a catalog in
//! `assemble`, and the handling of locked relations in `locks`.

use tokio_postgres::types::ToSql;

use crate::catalog::Catalog;
use crate::error::Result;
use crate::live::Connection;

mod assemble;
mod columns;
mod fields;
mod locks;
mod queries;

use assemble::{assemble, ConstraintRow, IndexRow, RelationRow, Rows};
use columns::{ColumnIndex, TypeNames};
use fields::Fields;
use locks::SkippedOids;
pub use locks::{Introspection, LockHolder, OnLocked, Skipped, NOT_READ};
#[cfg(any(feature = "discover", feature = "testing"))]
use queries::opening_within;
use queries::{begin, opening, Citus, TextQueries, DOMAINS, ENUMS, FINGERPRINT, SCHEMAS, TYPES};

/// The schema's fingerprint query: equal fingerprints, same catalog.
pub fn fingerprint(connection: &Connection) -> Result<String> {
    let row = connection.run(async |client| client.query_one(FINGERPRINT, &[]).await)?;
    Ok(row.get("fingerprint"))
}

/// The catalog's fingerprint, and the catalog itself only when the
/// fingerprint moved from `last` (one cheap query when nothing changed):
/// how `schema-check watch` and `pgdrift::build` keep a schema file current.
/// A catalog that is not [complete](Introspection::is_complete) must not be
/// kept as current under this fingerprint: the next call must read again.
pub fn introspect_if_changed(
    connection: &Connection,
    schemas: Option<&[String]>,
    last: Option<&str>,
    on_locked: OnLocked,
) -> Result<(String, Option<Introspection>)> {
    let now = fingerprint(connection)?;
    if last == Some(now.as_str()) {
        return Ok((now, None));
    }
    let read = read(connection, schemas, on_locked)?;
    Ok((now, Some(read)))
}

/// The number of SQL statements one introspection sends, whatever the
/// database holds: on the first session the opening (with
/// `pg_export_snapshot()`), the columns and relations queries and `ROLLBACK`;
/// on the second the opening (with `SET TRANSACTION SNAPSHOT`), the other six
/// queries and `ROLLBACK`. (Nine when only one session can be had.)
pub const STATEMENTS: usize = 12;

/// Reads the catalog of `schemas` (every non-system schema when `None`),
/// every text included: a relation another session locks exclusively is
/// waited for, at most the query timeout, then the error names it.
pub fn introspect(connection: &Connection, schemas: Option<&[String]>) -> Result<Catalog> {
    Ok(read(connection, schemas, OnLocked::Wait)?.catalog)
}

/// Reads the catalog of `schemas` (every non-system schema when `None`),
/// doing `on_locked` about relations another session locks exclusively.
///
/// The columns and relations queries run on the first session and the
/// others on a second one that shares its snapshot, so PostgreSQL answers
/// both halves in parallel (halves that take about as long, from a hundred
/// tables to tens of thousands) and they still see one consistent state.
/// When the second session cannot be had (a connection limit, an engine
/// without exported snapshots), every query runs on the first.
pub fn read(
    connection: &Connection,
    schemas: Option<&[String]>,
    on_locked: OnLocked,
) -> Result<Introspection> {
    let filter: Option<Vec<String>> = schemas.map(<[String]>::to_vec);
    let timeout = connection.query_timeout();
    let ((columns, skipped), rows) = connection.run(async |client| {
        let (sibling, opened) = tokio::join!(connection.sibling(), open(client, timeout));
        let opened = opened?;
        let queries = TextQueries::new(opened.server_version, opened.citus, on_locked);
        let second = share_snapshot(sibling, opened.snapshot, timeout).await;
        let rows = send(client, second.as_ref().unwrap_or(client), &queries, &filter).await?;
        if let Some(second) = &second {
            second.batch_execute("ROLLBACK").await?;
        }
        client.batch_execute("ROLLBACK").await?;
        Ok(rows)
    })?;
    Ok(assemble(columns, skipped, rows))
}

/// [`read_within`] inside a transaction of its own, rolled back after: for
/// tests that it reads what [`read`] reads.
#[cfg(feature = "testing")]
pub fn read_in_a_rolled_back_transaction(
    connection: &Connection,
    schemas: Option<&[String]>,
) -> Result<Introspection> {
    let timeout = connection.query_timeout();
    let tried = connection.trial(&[], async |client| {
        read_within(client, schemas, timeout).await
    })?;
    match tried {
        crate::live::Trial::Ran(read) => Ok(read),
        crate::live::Trial::Failed { .. } => unreachable!("no statement to fail"),
    }
}

/// What the first session's opening told.
struct Opened {
    /// The snapshot the second session may share.
    snapshot: Option<String>,
    server_version: Option<u32>,
    citus: Citus,
}

impl Opened {
    /// Nothing told: no snapshot to share, an unknown server, no Citus.
    const UNKNOWN: Opened = Opened {
        snapshot: None,
        server_version: None,
        citus: Citus::Absent,
    };
}

/// Opens the first session's transaction with [`opening`]. Where it fails
/// (an engine without exported snapshots), opens it again plainly, knowing
/// nothing of the server.
async fn open(
    client: &tokio_postgres::Client,
    timeout: std::time::Duration,
) -> std::result::Result<Opened, tokio_postgres::Error> {
    match client.simple_query(&opening(timeout)).await {
        Ok(messages) => Ok(told(messages)),
        Err(_) => {
            client
                .batch_execute(&format!("ROLLBACK; {}", begin(timeout, None)))
                .await?;
            Ok(Opened::UNKNOWN)
        }
    }
}

/// What an opening's row tells.
fn told(messages: Vec<tokio_postgres::SimpleQueryMessage>) -> Opened {
    messages
        .into_iter()
        .find_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(row) => Some(Opened {
                snapshot: row.get("snapshot").map(str::to_owned),
                server_version: row
                    .get("server_version")
                    .and_then(|v| v.parse::<u32>().ok()),
                citus: Citus::from_setting(row.get("citus")),
            }),
            _ => None,
        })
        .unwrap_or(Opened::UNKNOWN)
}

/// Reads the catalog of `schemas` (every non-system schema when `None`) on
/// `client`, which is inside a transaction its caller began and ends: the
/// same queries as [`read`], all on this one session, so they see what the
/// transaction did. Sets the catalog-reading settings for the rest of the
/// transaction (`SET LOCAL`: the search path among them).
#[cfg(any(feature = "discover", feature = "testing"))]
pub(crate) async fn read_within(
    client: &tokio_postgres::Client,
    schemas: Option<&[String]>,
    timeout: std::time::Duration,
) -> std::result::Result<Introspection, tokio_postgres::Error> {
    let filter: Option<Vec<String>> = schemas.map(<[String]>::to_vec);
    let opened = told(client.simple_query(&opening_within(timeout)).await?);
    let queries = TextQueries::new(opened.server_version, opened.citus, OnLocked::Wait);
    let ((columns, skipped), rows) = send(client, client, &queries, &filter).await?;
    Ok(assemble(columns, skipped, rows))
}

/// The second session, in a transaction on the first one's `snapshot`;
/// `None` when there is no second session or it cannot share the snapshot.
async fn share_snapshot(
    sibling: Option<tokio_postgres::Client>,
    snapshot: Option<String>,
    timeout: std::time::Duration,
) -> Option<tokio_postgres::Client> {
    let (sibling, id) = (sibling?, snapshot?);
    let shared = id.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
        && sibling
            .batch_execute(&begin(timeout, Some(&id)))
            .await
            .is_ok();
    shared.then_some(sibling)
}

/// Sends every query at once, pipelined: the columns and relations queries
/// on `client`, the others on `other` (the second session, or `client`
/// again); with the rows of each, decoded as they arrive, or the error that
/// failed them.
async fn send(
    client: &tokio_postgres::Client,
    other: &tokio_postgres::Client,
    queries: &TextQueries,
    filter: &Option<Vec<String>>,
) -> std::result::Result<((ColumnIndex, SkippedOids), Rows), tokio_postgres::Error> {
    let params: &[&(dyn ToSql + Sync)] = &[filter];
    let (columns, schemas, relations, constraints, indexes, enums, domains, types) = tokio::join!(
        read_columns(client, &queries.columns, params),
        decode_each(other, SCHEMAS, params, assemble::schema),
        decode_each(client, &queries.relations, params, RelationRow::decode),
        decode_each(other, &queries.constraints, params, ConstraintRow::decode),
        decode_each(other, &queries.indexes, params, IndexRow::decode),
        decode_each(other, ENUMS, params, assemble::enum_type),
        decode_each(other, DOMAINS, params, assemble::domain),
        decode_each(other, TYPES, &[], TypeNames::decode),
    );
    // Once a query fails (a lock wait that timed out), the later ones of its
    // transaction fail only for that (`25P02`): the error returned is the
    // first cause.
    let mut errors = Vec::new();
    let mut note = |e: tokio_postgres::Error| errors.push(e);
    let read = (
        columns.map_err(&mut note).ok(),
        schemas.map_err(&mut note).ok(),
        relations.map_err(&mut note).ok(),
        constraints.map_err(&mut note).ok(),
        indexes.map_err(&mut note).ok(),
        enums.map_err(&mut note).ok(),
        domains.map_err(&mut note).ok(),
        types.map_err(&mut note).ok(),
    );
    if let (
        Some(columns),
        Some(schemas),
        Some(relations),
        Some(constraints),
        Some(indexes),
        Some(enums),
        Some(domains),
        Some(types),
    ) = read
    {
        let rows = Rows {
            schemas,
            relations,
            constraints,
            indexes,
            enums,
            domains,
            types,
        };
        return Ok((columns, rows));
    }
    let aborted = Some(&tokio_postgres::error::SqlState::IN_FAILED_SQL_TRANSACTION);
    let cause = errors.iter().position(|e| e.code() != aborted).unwrap_or(0);
    Err(errors.swap_remove(cause))
}

/// Streams query `sql`, decoding each row on arrival with `decode`.
async fn decode_each<T>(
    client: &tokio_postgres::Client,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
    decode: impl Fn(&Fields) -> T,
) -> std::result::Result<Vec<T>, tokio_postgres::Error> {
    let stream = client.query_raw(sql, params.iter().copied()).await?;
    let mut stream = std::pin::pin!(stream);
    let mut decoded = Vec::new();
    while let Some(row) = futures_util::TryStreamExt::try_next(&mut stream).await? {
        decoded.push(decode(&Fields::new(&row)));
    }
    decoded.shrink_to_fit();
    Ok(decoded)
}

/// Streams the columns query `sql`, the biggest, decoding each row on
/// arrival; with the relations whose expressions it left out.
async fn read_columns(
    client: &tokio_postgres::Client,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> std::result::Result<(ColumnIndex, SkippedOids), tokio_postgres::Error> {
    let stream = client.query_raw(sql, params.iter().copied()).await?;
    let mut stream = std::pin::pin!(stream);
    let mut columns = ColumnIndex::default();
    let mut skipped = SkippedOids::default();
    while let Some(row) = futures_util::TryStreamExt::try_next(&mut stream).await? {
        columns.push(&Fields::new(&row), &mut skipped);
    }
    Ok((columns, skipped))
}
