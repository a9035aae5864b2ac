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

use std::collections::HashMap;

use tokio_postgres::types::ToSql;
use tokio_postgres::Row;

use crate::catalog::*;
use crate::error::Result;
use crate::live::Connection;

mod locks;

pub(crate) use locks::exclusive_locks;
use locks::{lock_columns, text_or_not_read, with_locked, SkippedOids};
pub use locks::{Introspection, LockHolder, OnLocked, Skipped, NOT_READ};

/// Non-system schemas, optionally restricted to `$1` (a `text[]`, or NULL for all).
macro_rules! schema_filter {
    ($ns:literal) => {
        concat!(
            " ",
            $ns,
            ".nspname <> 'information_schema' AND ",
            $ns,
            ".nspname NOT LIKE 'pg\\_%' AND ($1::text[] IS NULL OR ",
            $ns,
            ".nspname = ANY($1::text[]))"
        )
    };
}

/// Joins `pg_extension` as `x` for the object `$oid` of catalog `$catalog`
/// when an extension owns it (`pg_depend.deptype = 'e'`): such an object is
/// the extension's, not the user's schema. An object belongs to at most one
/// extension, so the join never repeats a row.
macro_rules! extension_join {
    ($catalog:literal, $oid:literal) => {
        concat!(
            "
     LEFT JOIN pg_depend xd
       ON xd.classid = '",
            $catalog,
            "'::regclass AND xd.objid = ",
            $oid,
            " AND xd.deptype = 'e'
     LEFT JOIN pg_extension x ON x.oid = xd.refobjid"
        )
    };
}

const SCHEMAS: &str = concat!(
    "SELECT n.nspname, d.description, x.extname
     FROM pg_namespace n
     LEFT JOIN pg_description d
       ON d.objoid = n.oid AND d.classoid = 'pg_namespace'::regclass AND d.objsubid = 0",
    extension_join!("pg_namespace", "n.oid"),
    "
     WHERE",
    schema_filter!("n")
);

/// Relations, and composite types (kind `c`: their attributes come with the
/// columns; their comment and their extension membership are the type's,
/// not the relation's). Sent [`with_locked`], as are the columns,
/// constraints and indexes queries: the texts of a relation in `locked`
/// are not read.
const RELATIONS: &str = concat!(
    "SELECT c.oid, n.nspname, c.relname, c.relkind, c.relispartition, d.description,
            CASE WHEN c.relkind = 'p' AND lk.relation IS NULL THEN pg_get_partkeydef(c.oid) END
              AS partition_key,
            CASE WHEN c.relispartition AND lk.relation IS NULL
                 THEN pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
            i.inhparent, x.extname, ",
    lock_columns!(),
    ",
            ARRAY(SELECT t.tgname::text FROM pg_trigger t
                  WHERE t.tgrelid = c.oid AND NOT t.tgisinternal ORDER BY t.tgname) AS trigger_names,
            ARRAY(SELECT t.tgtype::int4 FROM pg_trigger t
                  WHERE t.tgrelid = c.oid AND NOT t.tgisinternal ORDER BY t.tgname) AS trigger_types,
            CASE WHEN c.relkind = 'v' AND lk.relation IS NULL
                 THEN pg_relation_is_updatable(c.oid, true) END AS updatable_events,
            {distribution}
     FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN locked lk ON lk.relation = c.oid
     LEFT JOIN pg_description d
       ON d.objoid = CASE WHEN c.relkind = 'c' THEN c.reltype ELSE c.oid END
      AND d.classoid = CASE WHEN c.relkind = 'c' THEN 'pg_type'::regclass
                            ELSE 'pg_class'::regclass END
      AND d.objsubid = 0
     LEFT JOIN pg_inherits i ON c.relispartition AND i.inhrelid = c.oid
     LEFT JOIN pg_depend xd
       ON xd.classid = CASE WHEN c.relkind = 'c' THEN 'pg_type'::regclass
                            ELSE 'pg_class'::regclass END
      AND xd.objid = CASE WHEN c.relkind = 'c' THEN c.reltype ELSE c.oid END
      AND xd.deptype = 'e'
     LEFT JOIN pg_extension x ON x.oid = xd.refobjid{distribution_join}
     WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f', 'c') AND",
    schema_filter!("n")
);

/// The relations query: with Citus, each table's row in Citus's
/// `pg_dist_partition` too (only there: elsewhere the table does not exist).
/// The distribution column is named from `pg_attribute` by the attribute
/// number in the stored key (`{VAR … :varattno N …}`), which takes no lock.
/// A table in a distributed schema shares the schema's colocation group
/// (`pg_dist_schema`, Citus 12 and newer).
fn relations_query(citus: Citus) -> String {
    let (columns, join) = match citus {
        Citus::Absent => (
            "NULL::text AS dist_method, NULL::text AS dist_replication, \
             NULL::int4 AS dist_colocation, NULL::text AS dist_column, false AS dist_schema",
            "",
        ),
        Citus::Present { schemas } => (
            if schemas {
                "dp.partmethod::text AS dist_method, dp.repmodel::text AS dist_replication, \
                 dp.colocationid::int4 AS dist_colocation, dpa.attname::text AS dist_column, \
                 EXISTS (SELECT 1 FROM pg_dist_schema ds WHERE ds.colocationid = dp.colocationid) AS dist_schema"
            } else {
                "dp.partmethod::text AS dist_method, dp.repmodel::text AS dist_replication, \
                 dp.colocationid::int4 AS dist_colocation, dpa.attname::text AS dist_column, \
                 false AS dist_schema"
            },
            "
     LEFT JOIN pg_dist_partition dp ON dp.logicalrelid = c.oid
     LEFT JOIN pg_attribute dpa
       ON dpa.attrelid = c.oid
      AND dpa.attnum = substring(dp.partkey FROM ':varattno ([0-9]+)')::int2",
        ),
    };
    RELATIONS
        .replace("{distribution}", columns)
        .replace("{distribution_join}", join)
}

/// Whether the database has the Citus extension, and with it the catalog
/// of distributed schemas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Citus {
    Absent,
    Present { schemas: bool },
}

impl Citus {
    /// From the opening statement's `citus` column: NULL without the
    /// extension, else whether `pg_dist_schema` exists.
    fn from_setting(value: Option<&str>) -> Citus {
        match value {
            Some(schemas) => Citus::Present {
                schemas: schemas == "t",
            },
            None => Citus::Absent,
        }
    }
}

const COLUMNS: &str = concat!(
    "SELECT a.attrelid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod) AS data_type,
            a.atttypid, a.attnotnull, a.atthasdef,
            CASE WHEN lk.relation IS NULL THEN pg_get_expr(ad.adbin, ad.adrelid) END AS expression,
            a.attidentity, a.attgenerated,
            d.description, ",
    lock_columns!(),
    "
     FROM pg_attribute a
     JOIN pg_class c ON c.oid = a.attrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN locked lk ON lk.relation = a.attrelid
     LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
     LEFT JOIN pg_description d
       ON d.objoid = a.attrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum
     WHERE a.attnum > 0 AND NOT a.attisdropped
       AND c.relkind IN ('r', 'v', 'm', 'p', 'f', 'c') AND NOT c.relispartition AND",
    schema_filter!("n")
);

/// Every type's name and, for an array type, its element type: looked up
/// here once rather than joined into every column row.
const TYPES: &str = "
    SELECT t.oid, n.nspname, t.typname,
           CASE WHEN t.typlen = -1 THEN t.typelem ELSE 0 END AS element
    FROM pg_type t
    JOIN pg_namespace n ON n.oid = t.typnamespace
";

/// Column numbers come back raw and are named from the column rows; only a
/// foreign key into a table whose columns were not read (another schema, a
/// partition) is named here. Of the `NOT NULL` constraints (kept here since
/// PostgreSQL 18; `pg_attribute.attnotnull` is true for them, valid or not)
/// only the `NOT VALID` ones are read: their columns may still hold NULL.
/// `{enforced}` stands for [`enforced_column`], `{period}` for [`period_column`].
const CONSTRAINTS: &str = concat!(
    "SELECT co.conrelid, co.conname, co.contype, co.conkey, co.confrelid,
            fn.nspname AS referenced_schema, fc.relname AS referenced_table, co.confkey,
            CASE WHEN co.contype = 'f' AND (fc.relispartition OR NOT (",
    schema_filter!("fn"),
    ")) THEN ARRAY(SELECT a.attname::text FROM unnest(co.confkey) WITH ORDINALITY AS k(num, ord)
                   JOIN pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.num
                   ORDER BY k.ord) END AS referenced_columns,
            co.confupdtype, co.confdeltype,
            CASE WHEN co.contype = 'c' AND lk.relation IS NULL
                 THEN pg_get_constraintdef(co.oid, true) END AS check_definition,
            {enforced} AS enforced, {period} AS period, ",
    lock_columns!(),
    "
     FROM pg_constraint co
     JOIN pg_class c ON c.oid = co.conrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN locked lk ON lk.relation = co.conrelid
     LEFT JOIN pg_class fc ON fc.oid = co.confrelid
     LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
     WHERE (co.contype IN ('p', 'u', 'f', 'c') OR (co.contype = 'n' AND NOT co.convalidated))
       AND co.conparentid = 0
       AND NOT c.relispartition AND",
    schema_filter!("n")
);

/// Whether a constraint is enforced: `pg_constraint.conenforced` from
/// PostgreSQL 18 on (`NOT ENFORCED` foreign keys and checks); before, every
/// constraint is.
fn enforced_column(server_version: Option<u32>) -> &'static str {
    match server_version {
        Some(version) if version >= 180000 => "co.conenforced",
        _ => "true",
    }
}

/// Whether a key is temporal (`WITHOUT OVERLAPS`, or a foreign key's
/// `PERIOD`): `pg_constraint.conperiod` from PostgreSQL 18 on; before, no key is.
fn period_column(server_version: Option<u32>) -> &'static str {
    match server_version {
        Some(version) if version >= 180000 => "co.conperiod",
        _ => "false",
    }
}

/// Key columns are named from the column rows; only expression indexes ask
/// PostgreSQL to print each key. A plain index (see [`plain_index`]) gets
/// its definition from [`plain_index_definition`], even when its table is
/// locked; PostgreSQL prints the others, which is most of this query's cost
/// when every index is asked.
fn indexes_query(server_version: Option<u32>) -> String {
    let plain = plain_index(server_version);
    format!(
        "SELECT i.indrelid, ic.relname, i.indisunique, i.indisprimary,
                CASE WHEN {plain} OR lk.relation IS NOT NULL THEN NULL
                     ELSE pg_get_indexdef(i.indexrelid) END AS definition,
                lk.relation IS NOT NULL AND NOT ({plain}) AS definition_not_read,
                i.indkey::int2[] AS indkey, i.indnkeyatts,
                CASE WHEN i.indexprs IS NOT NULL AND lk.relation IS NULL
                     THEN ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true)
                                FROM generate_series(1, i.indnkeyatts::int) AS k ORDER BY k)
                     END AS key_expressions,
                am.amname, c.relkind = 'p' AS partitioned, {}
         FROM pg_index i
         JOIN pg_class ic ON ic.oid = i.indexrelid
         JOIN pg_am am ON am.oid = ic.relam
         JOIN pg_class c ON c.oid = i.indrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN locked lk ON lk.relation = i.indrelid
         WHERE c.relkind IN ('r', 'm', 'p') AND NOT c.relispartition AND{}",
        lock_columns!(),
        schema_filter!("n")
    )
}

/// SQL that is true for an index whose `pg_get_indexdef` is fully given by
/// its name, table, method, uniqueness and key columns: no expressions,
/// predicate, INCLUDE, storage options, sort options, non-default operator
/// class or collation, or NULLS NOT DISTINCT (PostgreSQL 15). Unknown server
/// version: no index is plain.
fn plain_index(server_version: Option<u32>) -> String {
    let Some(version) = server_version else {
        return "false".to_owned();
    };
    let nulls = if version >= 150000 {
        "NOT i.indnullsnotdistinct AND "
    } else {
        ""
    };
    format!(
        "{nulls}i.indexprs IS NULL AND i.indpred IS NULL AND i.indnatts = i.indnkeyatts
         AND ic.reloptions IS NULL AND i.indoption::int2[] <@ '{{0}}'::int2[]
         AND i.indcollation::oid[] <@ '{{0,100}}'::oid[]
         AND NOT i.indclass::oid[] && (SELECT array_agg(oid) FROM pg_opclass WHERE NOT opcdefault)"
    )
}

/// What `pg_get_indexdef` prints for a plain index.
fn plain_index_definition(
    index: &Index,
    schema: &str,
    table: &str,
    method: &str,
    partitioned: bool,
) -> String {
    let columns: Vec<_> = index.columns.iter().map(|c| quote_ident(c)).collect();
    format!(
        "CREATE {}INDEX {} ON {}{}.{} USING {} ({})",
        if index.unique { "UNIQUE " } else { "" },
        quote_ident(&index.name),
        if partitioned { "ONLY " } else { "" },
        quote_ident(schema),
        quote_ident(table),
        quote_ident(method),
        columns.join(", ")
    )
}

const ENUMS: &str = concat!(
    "SELECT n.nspname, t.typname,
            ARRAY(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid
                  ORDER BY e.enumsortorder) AS labels,
            d.description, x.extname
     FROM pg_type t
     JOIN pg_namespace n ON n.oid = t.typnamespace
     LEFT JOIN pg_description d
       ON d.objoid = t.oid AND d.classoid = 'pg_type'::regclass AND d.objsubid = 0",
    extension_join!("pg_type", "t.oid"),
    "
     WHERE t.typtype = 'e' AND",
    schema_filter!("n")
);

const DOMAINS: &str = concat!(
    "SELECT n.nspname, t.typname, format_type(t.typbasetype, t.typtypmod) AS data_type,
            bn.nspname AS base_schema, bt.typname AS base_name,
            en.nspname AS element_schema, et.typname AS element_name,
            t.typnotnull, t.typdefault,
            ARRAY(SELECT co.conname FROM pg_constraint co
                  WHERE co.contypid = t.oid AND co.contype = 'c' ORDER BY co.conname)
              AS check_names,
            ARRAY(SELECT pg_get_constraintdef(co.oid, true) FROM pg_constraint co
                  WHERE co.contypid = t.oid AND co.contype = 'c' ORDER BY co.conname)
              AS check_definitions,
            d.description, x.extname
     FROM pg_type t
     JOIN pg_namespace n ON n.oid = t.typnamespace
     JOIN pg_type bt ON bt.oid = t.typbasetype
     JOIN pg_namespace bn ON bn.oid = bt.typnamespace
     LEFT JOIN pg_type et ON bt.typelem <> 0 AND bt.typlen = -1 AND et.oid = bt.typelem
     LEFT JOIN pg_namespace en ON en.oid = et.typnamespace
     LEFT JOIN pg_description d
       ON d.objoid = t.oid AND d.classoid = 'pg_type'::regclass AND d.objsubid = 0",
    extension_join!("pg_type", "t.oid"),
    "
     WHERE t.typtype = 'd' AND",
    schema_filter!("n")
);

/// A cheap fingerprint of everything introspection reads: the row count and
/// newest row version (`xmin`) of each catalog it reads. Any DDL changes it;
/// `schema-check watch` polls it and introspects only when it moves. Of
/// `pg_depend` only extension membership is read (an object that joins or
/// leaves an extension changes no other catalog), through its index on the
/// referenced catalog. Citus's `pg_dist_partition` (a table's distribution)
/// exists only with Citus, so it is read through `query_to_xml`, whose query
/// PostgreSQL parses only when the `CASE` finds the table.
const FINGERPRINT: &str = "SELECT concat_ws(' ',
    (SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM pg_namespace),
    (SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM pg_class),
    (SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM pg_attribute),
    (SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM pg_attrdef),
    (SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM pg_constraint),
    (SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM pg_index),
    (SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM pg_inherits),
    (SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM pg_type),
    (SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM pg_enum),
    (SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM pg_trigger),
    (SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM pg_description),
    (SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM pg_depend
     WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'),
    CASE WHEN to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL THEN
      query_to_xml('SELECT count(*) || '':'' || coalesce(max(xmin::text::bigint), 0)
                    FROM pg_catalog.pg_dist_partition', false, false, '')::text END)
    AS fingerprint";

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

/// Citus's shards (`users_102041`, one table per shard of a distributed
/// table) are never the user's schema, whatever the session was told to show
/// (`citus.show_shards_for_app_name_prefixes = '*'` shows them to every
/// application): the introspection transaction sets Citus's own visibility
/// settings back for itself. PostgreSQL accepts a `prefix.name` setting even
/// where no extension defines it, so the same statements serve plain
/// PostgreSQL, where they change nothing. Sent with the opening statements,
/// they cost no round trip of their own.
const HIDE_SHARDS: &str = "; SET LOCAL citus.override_table_visibility = on; \
     SET LOCAL citus.show_shards_for_app_name_prefixes = ''";

/// Opens the transaction. An empty search path makes PostgreSQL qualify every
/// name it prints (types, defaults, constraints) the same way whoever connects.
/// Printing a default, an index or a check locks its table for a moment, so
/// a session holding an exclusive lock would make us wait (unless its texts
/// are skipped, [`OnLocked::SkipTexts`]): the wait, like every query, is
/// bounded by the query timeout.
fn begin(timeout: std::time::Duration, snapshot: Option<&str>) -> String {
    // The lock wait ends first, so its error (naming the table) is the one seen.
    let ms = timeout.as_millis().max(1);
    let statement_ms = ms + 500;
    let snapshot = snapshot
        .map(|id| format!("; SET TRANSACTION SNAPSHOT '{id}'"))
        .unwrap_or_default();
    format!(
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY{snapshot}; SET LOCAL search_path = pg_catalog; \
         SET LOCAL statement_timeout = {statement_ms}; SET LOCAL lock_timeout = {ms}{HIDE_SHARDS}"
    )
}

/// The number of SQL statements one introspection sends, whatever the
/// database holds: on the first session the opening (with
/// `pg_export_snapshot()`), the columns query and `ROLLBACK`; on the second
/// the opening (with `SET TRANSACTION SNAPSHOT`), the other seven queries and
/// `ROLLBACK`. (Nine when only one session can be had.)
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
/// The columns query, the biggest, runs on a second session that shares the
/// first one's snapshot, so PostgreSQL answers both halves in parallel and
/// they still see one consistent state. When the second session cannot be
/// had (a connection limit, an engine without exported snapshots), every
/// query runs on the first.
pub fn read(
    connection: &Connection,
    schemas: Option<&[String]>,
    on_locked: OnLocked,
) -> Result<Introspection> {
    let filter: Option<Vec<String>> = schemas.map(<[String]>::to_vec);
    let timeout = connection.query_timeout();
    let rows = connection.run(async |client| {
        let params: &[&(dyn ToSql + Sync)] = &[&filter];
        let export = format!(
            "{}; SELECT pg_export_snapshot() AS snapshot, \
             current_setting('server_version_num') AS server_version, \
             (SELECT to_regclass('pg_catalog.pg_dist_schema') IS NOT NULL FROM pg_extension \
              WHERE extname = 'citus') AS citus",
            begin(timeout, None)
        );
        let (sibling, exported) = tokio::join!(connection.sibling(), client.simple_query(&export));
        let (snapshot, server_version, citus) = match exported {
            Ok(messages) => messages
                .into_iter()
                .find_map(|m| match m {
                    tokio_postgres::SimpleQueryMessage::Row(row) => Some((
                        row.get("snapshot").map(str::to_owned),
                        row.get("server_version")
                            .and_then(|v| v.parse::<u32>().ok()),
                        Citus::from_setting(row.get("citus")),
                    )),
                    _ => None,
                })
                .unwrap_or((None, None, Citus::Absent)),
            Err(_) => {
                client
                    .batch_execute(&format!("ROLLBACK; {}", begin(timeout, None)))
                    .await?;
                (None, None, Citus::Absent)
            }
        };
        let relations = with_locked(&relations_query(citus), on_locked);
        let columns = with_locked(COLUMNS, on_locked);
        let indexes = with_locked(&indexes_query(server_version), on_locked);
        let constraints = with_locked(
            &CONSTRAINTS
                .replace("{enforced}", enforced_column(server_version))
                .replace("{period}", period_column(server_version)),
            on_locked,
        );
        let mut second = None;
        if let (Some(sibling), Some(id)) = (sibling, snapshot) {
            if id.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
                && sibling
                    .batch_execute(&begin(timeout, Some(&id)))
                    .await
                    .is_ok()
            {
                second = Some(sibling);
            }
        }
        let other = second.as_ref().unwrap_or(client);
        let (columns, schemas, relations, constraints, indexes, enums, domains, types) = tokio::join!(
            read_columns(client, &columns, params),
            other.query(SCHEMAS, params),
            other.query(&relations, params),
            other.query(&constraints, params),
            other.query(&indexes, params),
            other.query(ENUMS, params),
            other.query(DOMAINS, params),
            other.query(TYPES, &[]),
        );
        let rows = all_or_cause(
            columns,
            [
                schemas,
                relations,
                constraints,
                indexes,
                enums,
                domains,
                types,
            ],
        )?;
        if let Some(second) = &second {
            second.batch_execute("ROLLBACK").await?;
        }
        client.batch_execute("ROLLBACK").await?;
        Ok(rows)
    })?;
    let ((columns, skipped), rows) = rows;
    Ok(assemble(columns, skipped, rows))
}

/// The rows of the other queries, in the order they are sent.
type Rows = [Vec<Row>; 7];

/// The rows of every query, or the error that failed them. Once a query
/// fails (a lock wait that timed out), the later ones of its transaction
/// fail only for that (`25P02`): the error returned is the first cause.
fn all_or_cause<C>(
    columns: std::result::Result<C, tokio_postgres::Error>,
    others: [std::result::Result<Vec<Row>, tokio_postgres::Error>; 7],
) -> std::result::Result<(C, Rows), tokio_postgres::Error> {
    let mut errors = Vec::new();
    let columns = columns.map_err(|e| errors.push(e)).ok();
    let others: Vec<Vec<Row>> = others
        .into_iter()
        .filter_map(|result| result.map_err(|e| errors.push(e)).ok())
        .collect();
    let aborted = Some(&tokio_postgres::error::SqlState::IN_FAILED_SQL_TRANSACTION);
    let cause = errors.iter().position(|e| e.code() != aborted).unwrap_or(0);
    match (columns, Rows::try_from(others)) {
        (Some(columns), Ok(rows)) if errors.is_empty() => Ok((columns, rows)),
        _ => Err(errors.swap_remove(cause)),
    }
}

/// A column, decoded as its row arrives (while PostgreSQL still produces the
/// rest); its type is named once the types query is in.
struct ColumnRow {
    relid: u32,
    attnum: i16,
    type_oid: u32,
    column: Column,
}

/// Streams the columns query `sql`, the biggest, decoding each row on
/// arrival; with the relations whose expressions it left out.
async fn read_columns(
    client: &tokio_postgres::Client,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> std::result::Result<(Vec<ColumnRow>, SkippedOids), tokio_postgres::Error> {
    let stream = client.query_raw(sql, params.iter().copied()).await?;
    let mut stream = std::pin::pin!(stream);
    let mut columns = Vec::new();
    let mut skipped = SkippedOids::default();
    while let Some(row) = futures_util::TryStreamExt::try_next(&mut stream).await? {
        let relid: u32 = row.get("attrelid");
        // 's' stored, 'v' virtual (PostgreSQL 18); either way the
        // expression in pg_attrdef is the generation expression, not a default.
        let generated_kind = match char_of(&row, "attgenerated") {
            b's' => Some(GeneratedKind::Stored),
            b'v' => Some(GeneratedKind::Virtual),
            _ => None,
        };
        let generated = generated_kind.is_some();
        let has_expression: bool = row.get("atthasdef");
        let expression = text_or_not_read(&row, "expression", has_expression, relid, &mut skipped);
        columns.push(ColumnRow {
            relid,
            attnum: row.get("attnum"),
            type_oid: row.get("atttypid"),
            column: Column {
                name: row.get("attname"),
                data_type: row.get("data_type"),
                udt: TypeName::builtin("unknown"),
                element: None,
                nullable: !row.get::<_, bool>("attnotnull"),
                default: if generated { None } else { expression.clone() },
                identity: match char_of(&row, "attidentity") {
                    b'a' => Some(Identity::Always),
                    b'd' => Some(Identity::ByDefault),
                    _ => None,
                },
                generated: if generated { expression } else { None },
                generated_kind: generated_kind.unwrap_or_default(),
                not_null_not_valid: false,
                comment: row.get("description"),
            },
        });
    }
    Ok((columns, skipped))
}

/// The relation row's triggers, from its names and `tgtype` arrays.
fn triggers(row: &Row) -> Vec<Trigger> {
    let names: Vec<String> = row.get("trigger_names");
    let types: Vec<i32> = row.get("trigger_types");
    names
        .into_iter()
        .zip(types)
        .map(|(name, tgtype)| Trigger::from_tgtype(name, tgtype))
        .collect()
}

/// The `"char"` column `column` of `row`, as its byte.
fn char_of(row: &Row, column: &str) -> u8 {
    row.get::<_, i8>(column) as u8
}

/// The type named by the columns `schema` and `name` of `row`; `None` when
/// either is NULL.
fn type_name(row: &Row, schema: &str, name: &str) -> Option<TypeName> {
    Some(TypeName::new(
        row.get::<_, Option<String>>(schema)?,
        row.get::<_, Option<String>>(name)?,
    ))
}

/// Relations by oid, each with the position of its schema in the schema list.
type Relations = HashMap<u32, (usize, Relation)>;

/// Composite types by their relation's oid, each with the position of its
/// schema in the schema list.
type Composites = HashMap<u32, (usize, CompositeType)>;

/// Schema names to their position in the schema list.
type SchemaIndex = HashMap<String, usize>;

/// Builds the catalog from the rows of every query, one kind of object at a
/// time. An object of a schema that was not read is left out.
fn assemble(
    mut columns: Vec<ColumnRow>,
    mut skipped: SkippedOids,
    [schema_rows, relation_rows, constraint_rows, index_rows, enum_rows, domain_rows, type_rows]: Rows,
) -> Introspection {
    let mut schemas = read_schemas(&schema_rows);
    let schema_index = index_schemas(&schemas);
    let (mut relations, mut composites) =
        read_relations(&relation_rows, &schema_index, &mut skipped);
    name_column_types(&mut columns, &TypeNames::read(&type_rows));
    let mut columns = ColumnIndex::new(columns);
    columns.mark_not_valid_not_nulls(&constraint_rows);
    add_constraints(&mut relations, &constraint_rows, &columns, &mut skipped);
    add_indexes(
        &mut relations,
        &index_rows,
        &columns,
        &schemas,
        &mut skipped,
    );
    add_columns(&mut relations, &mut composites, columns);
    add_enums(&mut schemas, &schema_index, &enum_rows);
    add_domains(&mut schemas, &schema_index, &domain_rows);
    place_in_schemas(&mut schemas, relations, composites);
    let mut catalog = Catalog { schemas };
    catalog.normalize();
    Introspection {
        catalog,
        skipped: skipped.named(&relation_names(&relation_rows)),
    }
}

/// Every relation row's name, by oid.
fn relation_names(rows: &[Row]) -> HashMap<u32, RelationName> {
    rows.iter()
        .map(|row| {
            let name = RelationName {
                schema: row.get("nspname"),
                name: row.get("relname"),
            };
            (row.get("oid"), name)
        })
        .collect()
}

/// The schemas, with nothing in them yet.
fn read_schemas(rows: &[Row]) -> Vec<Schema> {
    rows.iter()
        .map(|row| Schema {
            name: row.get("nspname"),
            comment: row.get("description"),
            extension: row.get("extname"),
            ..Schema::default()
        })
        .collect()
}

/// Each schema's position in `schemas`, by name.
fn index_schemas(schemas: &[Schema]) -> SchemaIndex {
    schemas
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.clone(), i))
        .collect()
}

/// A partition, before it is hung under its parent.
struct PartitionRow {
    oid: u32,
    parent: u32,
    partition: Partition,
}

/// The relations, with their partitions, and the composite types, from the
/// relation rows; columns, constraints and indexes come later.
fn read_relations(
    rows: &[Row],
    schema_index: &SchemaIndex,
    skipped: &mut SkippedOids,
) -> (Relations, Composites) {
    let mut relations = Relations::new();
    let mut composites = Composites::new();
    let mut partitions = Vec::new();
    for row in rows {
        let oid: u32 = row.get("oid");
        let schema: String = row.get("nspname");
        if row.get::<_, bool>("relispartition") {
            partitions.push(PartitionRow {
                oid,
                parent: row.get::<_, Option<u32>>("inhparent").unwrap_or(0),
                partition: Partition {
                    schema,
                    name: row.get("relname"),
                    bound: text_or_not_read(row, "partition_bound", true, oid, skipped)
                        .unwrap_or_default(),
                    partitions: Vec::new(),
                },
            });
            continue;
        }
        let Some(&schema_idx) = schema_index.get(&schema) else {
            continue;
        };
        if char_of(row, "relkind") == b'c' {
            composites.insert(oid, (schema_idx, composite_type(row)));
        } else {
            relations.insert(oid, (schema_idx, relation(row, oid, skipped)));
        }
    }
    attach_partitions(&mut relations, partitions);
    (relations, composites)
}

/// A composite type from its relation row; its attributes come with the columns.
fn composite_type(row: &Row) -> CompositeType {
    CompositeType {
        name: row.get("relname"),
        attributes: Vec::new(),
        comment: row.get("description"),
        extension: row.get("extname"),
    }
}

/// A relation from its row, without its columns, constraints, indexes and
/// partitions.
fn relation(row: &Row, oid: u32, skipped: &mut SkippedOids) -> Relation {
    let kind = match char_of(row, "relkind") {
        b'v' => RelationKind::View,
        b'm' => RelationKind::MaterializedView,
        b'p' => RelationKind::PartitionedTable,
        b'f' => RelationKind::ForeignTable,
        _ => RelationKind::Table,
    };
    Relation {
        name: row.get("relname"),
        kind,
        comment: row.get("description"),
        columns: Vec::new(),
        primary_key: None,
        foreign_keys: Vec::new(),
        unique_constraints: Vec::new(),
        check_constraints: Vec::new(),
        indexes: Vec::new(),
        partition_key: text_or_not_read(
            row,
            "partition_key",
            kind == RelationKind::PartitionedTable,
            oid,
            skipped,
        ),
        partitions: Vec::new(),
        extension: row.get("extname"),
        triggers: triggers(row),
        writable: writable(row, kind, oid, skipped),
        distribution: distribution(row),
    }
}

/// The table's distribution from its `pg_dist_partition` columns, classified
/// as Citus classifies its tables: a distributed schema's first, then by
/// distribution column, then reference (replication model `t`); colocation
/// group 0 is a table Citus keeps local.
fn distribution(row: &Row) -> Option<Distribution> {
    let method: Option<String> = row.get("dist_method");
    let method = method?;
    let colocation_group = row
        .get::<_, Option<i32>>("dist_colocation")
        .and_then(|group| u32::try_from(group).ok())
        .unwrap_or(0);
    let column: Option<String> = row.get("dist_column");
    if row.get::<_, bool>("dist_schema") {
        return Some(Distribution::Schema { colocation_group });
    }
    if let Some(column) = column {
        return Some(match method.as_str() {
            "r" => Distribution::Range {
                column,
                colocation_group,
            },
            "a" => Distribution::Append {
                column,
                colocation_group,
            },
            _ => Distribution::Hash {
                column,
                colocation_group,
            },
        });
    }
    if row.get::<_, Option<String>>("dist_replication").as_deref() == Some("t") {
        return Some(Distribution::Reference);
    }
    (colocation_group != 0).then_some(Distribution::SingleShard { colocation_group })
}

/// Which writes a view accepts, from the bits of `pg_relation_is_updatable`
/// (4 update, 8 insert). A locked view was not asked: it is taken as
/// accepting both, so that no write is reported refused on a guess.
fn writable(
    row: &Row,
    kind: RelationKind,
    oid: u32,
    skipped: &mut SkippedOids,
) -> Option<Writable> {
    if kind == RelationKind::View && locks::is_locked(row) {
        skipped.note(oid, row);
        return Some(Writable {
            insert: true,
            update: true,
        });
    }
    row.get::<_, Option<i32>>("updatable_events")
        .map(|bits| Writable {
            insert: bits & 8 != 0,
            update: bits & 4 != 0,
        })
}

/// Every type by oid: its name and, for an array type, its element type's
/// oid (0 for any other type).
struct TypeNames(HashMap<u32, (TypeName, u32)>);

impl TypeNames {
    fn read(rows: &[Row]) -> Self {
        Self(
            rows.iter()
                .map(|row| {
                    let name = TypeName::new(
                        row.get::<_, String>("nspname"),
                        row.get::<_, String>("typname"),
                    );
                    (row.get("oid"), (name, row.get("element")))
                })
                .collect(),
        )
    }

    /// The type's name; `unknown` for a type that was not read.
    fn name(&self, oid: u32) -> TypeName {
        self.0
            .get(&oid)
            .map_or_else(|| TypeName::builtin("unknown"), |(name, _)| name.clone())
    }

    /// The element type's name, for an array type.
    fn element(&self, oid: u32) -> Option<TypeName> {
        self.0
            .get(&oid)
            .map(|(_, element)| *element)
            .filter(|element| *element != 0)
            .map(|element| self.name(element))
    }
}

/// Names each column's type (and element type, for an array) from its oid.
fn name_column_types(columns: &mut [ColumnRow], types: &TypeNames) {
    for row in columns {
        row.column.udt = types.name(row.type_oid);
        row.column.element = types.element(row.type_oid);
    }
}

/// Every column row, sorted by relation and column number,
/// with each relation's range: constraint and index keys come as column
/// numbers and are named from here.
struct ColumnIndex {
    rows: Vec<ColumnRow>,
    ranges: HashMap<u32, std::ops::Range<usize>>,
}

impl ColumnIndex {
    fn new(mut rows: Vec<ColumnRow>) -> Self {
        rows.sort_unstable_by_key(|row| (row.relid, row.attnum));
        let mut ranges: HashMap<u32, std::ops::Range<usize>> = HashMap::new();
        for (i, row) in rows.iter().enumerate() {
            ranges.entry(row.relid).or_insert(i..i).end = i + 1;
        }
        Self { rows, ranges }
    }

    /// The columns of relation `relid`, in column order.
    fn of_relation(&self, relid: u32) -> Option<&[ColumnRow]> {
        Some(&self.rows[self.ranges.get(&relid)?.clone()])
    }

    /// Column `attnum` of relation `relid`.
    fn column_mut(&mut self, relid: u32, attnum: i16) -> Option<&mut Column> {
        let of_relation = &mut self.rows[self.ranges.get(&relid)?.clone()];
        let i = of_relation
            .binary_search_by_key(&attnum, |c| c.attnum)
            .ok()?;
        Some(&mut of_relation[i].column)
    }

    /// The names of columns `attnums` of relation `relid`; `None` when the
    /// relation's columns or one of these were not read.
    fn names(&self, relid: u32, attnums: &[i16]) -> Option<Vec<String>> {
        let of_relation = self.of_relation(relid)?;
        attnums
            .iter()
            .map(|attnum| {
                let i = of_relation
                    .binary_search_by_key(attnum, |c| c.attnum)
                    .ok()?;
                Some(of_relation[i].column.name.clone())
            })
            .collect()
    }

    /// A `NOT VALID` NOT NULL: NULL may still be read, not written.
    fn mark_not_valid_not_nulls(&mut self, constraint_rows: &[Row]) {
        for row in constraint_rows
            .iter()
            .filter(|row| char_of(row, "contype") == b'n')
        {
            let keys: Vec<i16> = row.get::<_, Option<Vec<i16>>>("conkey").unwrap_or_default();
            if let [attnum] = keys.as_slice() {
                if let Some(column) = self.column_mut(row.get("conrelid"), *attnum) {
                    column.nullable = true;
                    column.not_null_not_valid = true;
                }
            }
        }
    }
}

/// Primary keys, unique constraints, checks and foreign keys, each on its
/// relation.
fn add_constraints(
    relations: &mut Relations,
    rows: &[Row],
    columns: &ColumnIndex,
    skipped: &mut SkippedOids,
) {
    for row in rows {
        let relid: u32 = row.get("conrelid");
        let keys: Vec<i16> = row.get::<_, Option<Vec<i16>>>("conkey").unwrap_or_default();
        let Some((_, relation)) = relations.get_mut(&relid) else {
            continue;
        };
        let name: String = row.get("conname");
        let key_columns = columns.names(relid, &keys).unwrap_or_default();
        let key = |name, columns| KeyConstraint {
            name,
            columns,
            without_overlaps: row.get("period"),
        };
        match char_of(row, "contype") {
            b'p' => relation.primary_key = Some(key(name, key_columns)),
            b'u' => relation.unique_constraints.push(key(name, key_columns)),
            b'c' => relation.check_constraints.push(CheckConstraint {
                name,
                definition: text_or_not_read(row, "check_definition", true, relid, skipped)
                    .unwrap_or_default(),
            }),
            b'f' => relation
                .foreign_keys
                .push(foreign_key(row, name, key_columns, columns)),
            _ => {}
        }
    }
}

/// A foreign key from its constraint row. The referenced columns come named
/// from the query when their table's columns were not read.
fn foreign_key(
    row: &Row,
    name: String,
    key_columns: Vec<String>,
    columns: &ColumnIndex,
) -> ForeignKey {
    let referenced: Vec<i16> = row
        .get::<_, Option<Vec<i16>>>("confkey")
        .unwrap_or_default();
    let referenced_columns = row
        .get::<_, Option<Vec<String>>>("referenced_columns")
        .or_else(|| columns.names(row.get("confrelid"), &referenced))
        .unwrap_or_default();
    ForeignKey {
        name,
        columns: key_columns,
        references: RelationName {
            schema: row
                .get::<_, Option<String>>("referenced_schema")
                .unwrap_or_default(),
            name: row
                .get::<_, Option<String>>("referenced_table")
                .unwrap_or_default(),
        },
        referenced_columns,
        on_update: referential_action(char_of(row, "confupdtype")),
        on_delete: referential_action(char_of(row, "confdeltype")),
        not_enforced: !row.get::<_, bool>("enforced"),
        period: row.get("period"),
    }
}

/// The indexes, each on its relation.
fn add_indexes(
    relations: &mut Relations,
    rows: &[Row],
    columns: &ColumnIndex,
    schemas: &[Schema],
    skipped: &mut SkippedOids,
) {
    for row in rows {
        let relid: u32 = row.get("indrelid");
        if let Some((schema_idx, relation)) = relations.get_mut(&relid) {
            let index = index(
                row,
                (relid, &schemas[*schema_idx].name, &relation.name),
                columns,
                skipped,
            );
            relation.indexes.push(index);
        }
    }
}

/// An index of table `(relid, schema, table)` from its row: key columns
/// named from the column rows unless the index has expressions (each
/// expression [`NOT_READ`] when the table is locked); a plain index's
/// definition written here.
fn index(
    row: &Row,
    (relid, schema, table): (u32, &str, &str),
    columns: &ColumnIndex,
    skipped: &mut SkippedOids,
) -> Index {
    let key_count = usize::try_from(row.get::<_, i16>("indnkeyatts")).unwrap_or(0);
    let keys: Vec<i16> = row.get("indkey");
    let keys = &keys[..key_count.min(keys.len())];
    let key_columns = row
        .get::<_, Option<Vec<String>>>("key_expressions")
        .unwrap_or_else(|| {
            keys.iter()
                .map(|&attnum| match attnum {
                    0 => Some(NOT_READ.to_owned()),
                    _ => columns.names(relid, &[attnum])?.pop(),
                })
                .collect::<Option<Vec<String>>>()
                .unwrap_or_default()
        });
    let not_read: bool = row.get("definition_not_read");
    let mut index = Index {
        name: row.get("relname"),
        unique: row.get("indisunique"),
        primary: row.get("indisprimary"),
        definition: text_or_not_read(row, "definition", not_read, relid, skipped)
            .unwrap_or_default(),
        columns: key_columns,
    };
    if index.definition.is_empty() {
        index.definition = plain_index_definition(
            &index,
            schema,
            table,
            &row.get::<_, String>("amname"),
            row.get("partitioned"),
        );
    }
    index
}

/// Each column to its relation and each attribute to its composite type, in
/// column order.
fn add_columns(relations: &mut Relations, composites: &mut Composites, columns: ColumnIndex) {
    for row in columns.rows {
        if let Some((_, relation)) = relations.get_mut(&row.relid) {
            relation.columns.push(row.column);
        } else if let Some((_, composite)) = composites.get_mut(&row.relid) {
            let column = row.column;
            composite.attributes.push(Attribute {
                name: column.name,
                data_type: column.data_type,
                udt: column.udt,
                element: column.element,
                comment: column.comment,
            });
        }
    }
}

/// The enum types, each in its schema.
fn add_enums(schemas: &mut [Schema], schema_index: &SchemaIndex, rows: &[Row]) {
    for row in rows {
        if let Some(&i) = schema_index.get(&row.get::<_, String>("nspname")) {
            schemas[i].enums.push(EnumType {
                name: row.get("typname"),
                labels: row.get("labels"),
                comment: row.get("description"),
                extension: row.get("extname"),
            });
        }
    }
}

/// The domains, each in its schema.
fn add_domains(schemas: &mut [Schema], schema_index: &SchemaIndex, rows: &[Row]) {
    for row in rows {
        if let Some(&i) = schema_index.get(&row.get::<_, String>("nspname")) {
            schemas[i].domains.push(domain(row));
        }
    }
}

/// A domain from its row, its checks paired by name with their definitions.
fn domain(row: &Row) -> Domain {
    let names: Vec<String> = row.get("check_names");
    let definitions: Vec<String> = row.get("check_definitions");
    Domain {
        name: row.get("typname"),
        data_type: row.get("data_type"),
        base: TypeName::new(
            row.get::<_, String>("base_schema"),
            row.get::<_, String>("base_name"),
        ),
        element: type_name(row, "element_schema", "element_name"),
        not_null: row.get("typnotnull"),
        default: row.get("typdefault"),
        checks: names
            .into_iter()
            .zip(definitions)
            .map(|(name, definition)| CheckConstraint { name, definition })
            .collect(),
        comment: row.get("description"),
        extension: row.get("extname"),
    }
}

/// Each relation and composite type, complete, into its schema.
fn place_in_schemas(schemas: &mut [Schema], relations: Relations, composites: Composites) {
    for (schema_idx, composite) in composites.into_values() {
        schemas[schema_idx].composites.push(composite);
    }
    for (schema_idx, relation) in relations.into_values() {
        schemas[schema_idx].relations.push(relation);
    }
}

fn referential_action(code: u8) -> ReferentialAction {
    match code {
        b'r' => ReferentialAction::Restrict,
        b'c' => ReferentialAction::Cascade,
        b'n' => ReferentialAction::SetNull,
        b'd' => ReferentialAction::SetDefault,
        _ => ReferentialAction::NoAction,
    }
}

/// Hangs every partition under its parent: a relation, or a partition that
/// is itself partitioned.
fn attach_partitions(relations: &mut Relations, rows: Vec<PartitionRow>) {
    let mut children: HashMap<u32, Vec<(u32, Partition)>> = HashMap::new();
    for row in rows {
        children
            .entry(row.parent)
            .or_default()
            .push((row.oid, row.partition));
    }
    fn build(oid: u32, children: &mut HashMap<u32, Vec<(u32, Partition)>>) -> Vec<Partition> {
        let direct = children.remove(&oid).unwrap_or_default();
        direct
            .into_iter()
            .map(|(child_oid, mut partition)| {
                partition.partitions = build(child_oid, children);
                partition
            })
            .collect()
    }
    for (oid, (_, relation)) in relations.iter_mut() {
        if relation.kind == RelationKind::PartitionedTable {
            relation.partitions = build(*oid, &mut children);
        }
    }
}
