//! Verifying a drafted database change on a test database: the draft runs
//! inside a transaction that is always rolled back, and the models are
//! checked against the schema as the draft left it, read inside that
//! transaction.

use crate::catalog::Catalog;
use crate::discover::Discovered;
use crate::error::{Error, Result};
use crate::finding::{Finding, Level};
use crate::introspect::{self, OnLocked};
use crate::live::{ConnectOptions, Connection, Trial, OFFLINE_HINT};
use crate::url::DatabaseUrl;

mod statements;

use statements::Statement;

/// What running a draft on the test database showed.
#[derive(Debug, Clone)]
pub enum Verified {
    /// The models fit the schema the draft leaves: no error remains (a
    /// warning may, such as a `renamed_from` the rename made stale).
    Fit,
    /// The draft ran, and these findings remain (at least one error): the
    /// database-against-models findings, as `compare-db-models` gives them.
    Remaining(Vec<Finding>),
    /// A statement of the draft failed: its text (trimmed, comments before
    /// it left out, escaped for a terminal) and the server's message.
    Failed {
        /// The statement that failed.
        statement: String,
        /// Why, in the server's words.
        message: String,
    },
}

/// Runs the draft `up_statements` on the test database `test_url` and
/// checks the models `found` against the schema it leaves, changing
/// nothing there.
///
/// What it guarantees (it connects to `test_url` only):
/// - The draft is refused, before anything connects, when a statement of
///   it controls the transaction (`BEGIN`, `START`, `COMMIT`, `END`,
///   `ROLLBACK`, `ABORT`, `SAVEPOINT`, `RELEASE`, `PREPARE TRANSACTION`).
/// - The test database's schema (`schemas`, else every non-system schema)
///   is first read read-only, as `snapshot --check` reads it, and must be
///   the one `made_from` holds, objects that extensions own aside: else an
///   error names the first differences, and nothing runs.
/// - The draft's statements then run one at a time, each on its own (the
///   server refuses more than one in a request), inside one transaction,
///   until one fails ([`Verified::Failed`]); the transaction ends with
///   `ROLLBACK` whatever happens. No `COMMIT` is ever sent;
///   a session that fails or is dropped before its `ROLLBACK` (an error, a
///   timeout, a panic) is closed, and the server rolls back what it began.
///   What PostgreSQL never rolls back stays: sequence values the draft
///   drew, and what statements that open sessions of their own (`dblink`)
///   do.
/// - The connect is bounded by `options.timeout`, and each statement of
///   the draft, the schema reads and the `ROLLBACK` by
///   `options.query_timeout` (the server's `statement_timeout` first, then
///   our own wait, after which the statement is cancelled).
/// - The schema is re-read inside the transaction by the same queries as
///   every introspection, and the models are checked against it as
///   `compare-db-models` checks them.
pub fn verify(
    test_url: &DatabaseUrl,
    made_from: &Catalog,
    up_statements: &str,
    found: &Discovered,
    options: &ConnectOptions,
    schemas: Option<&[String]>,
) -> Result<Verified> {
    let statements = statements::split(up_statements);
    refuse_transaction_control(&statements)?;
    let connection = Connection::open(test_url, options).map_err(without_offline_hint)?;
    same_schema(&connection, made_from, schemas)?;
    let texts: Vec<&str> = statements.iter().map(|s| s.text).collect();
    let timeout = options.query_timeout;
    let tried = connection.trial(&texts, async |client| {
        introspect::read_within(client, schemas, timeout).await
    });
    let after = match tried? {
        Trial::Ran(read) => read.catalog,
        Trial::Failed { index, reason } => return Ok(failed(&statements[index], &reason)),
    };
    let findings = crate::compare::db_models(&after, found);
    if findings.iter().any(|f| f.level == Level::Error) {
        Ok(Verified::Remaining(findings))
    } else {
        Ok(Verified::Fit)
    }
}

/// An error when a statement controls the transaction: a `COMMIT` would
/// end the transaction that keeps the test database unchanged.
fn refuse_transaction_control(statements: &[Statement]) -> Result<()> {
    for (number, statement) in statements.iter().enumerate() {
        if let Some(words) = statement.transaction_control() {
            return Err(Error::Config(format!(
                "the draft's statement {} is `{words}`: a draft to verify must not control the transaction, which verifying opens and always rolls back",
                number + 1
            )));
        }
    }
    Ok(())
}

/// The error when the test database's schema differs from `made_from`,
/// naming the first differences in the diff's words.
fn same_schema(
    connection: &Connection,
    made_from: &Catalog,
    schemas: Option<&[String]>,
) -> Result<()> {
    let read =
        introspect::read(connection, schemas, OnLocked::Wait).map_err(without_offline_hint)?;
    let changes = crate::diff::diff(made_from, &read.catalog);
    if changes.is_empty() {
        return Ok(());
    }
    const SHOWN: usize = 3;
    let mut first: Vec<String> = changes
        .iter()
        .take(SHOWN)
        .map(ToString::to_string)
        .collect();
    if changes.len() > SHOWN {
        first.push(format!("and {} more", changes.len() - SHOWN));
    }
    Err(Error::Config(crate::escape::terminal(&format!(
        "the schema of the test database {} is not the one the draft was made from (from that schema to the test database's: {}); bring the test database to the same schema and verify again",
        connection.url(),
        first.join("; ")
    ))
    .into_owned()))
}

/// A statement's failure, both texts escaped for a terminal.
fn failed(statement: &Statement, reason: &str) -> Verified {
    Verified::Failed {
        statement: crate::escape::terminal(statement.text.trim()).into_owned(),
        message: crate::escape::terminal(reason).into_owned(),
    }
}

/// A connection error without its advice to read the snapshot instead,
/// which is no help when verifying on a test database.
fn without_offline_hint(error: Error) -> Error {
    match error {
        Error::Connect(message) => Error::Connect(message.replace(OFFLINE_HINT, "")),
        Error::Query(message) => Error::Query(message.replace(OFFLINE_HINT, "")),
        other => other,
    }
}
