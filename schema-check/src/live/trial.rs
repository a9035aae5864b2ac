//! Trying statements without keeping them: they run inside a transaction
//! that ends with `ROLLBACK` whatever happens, and what they did is read
//! before it does. No `COMMIT` is ever sent; a session dropped before its
//! `ROLLBACK` (an error, a timeout, a panic) is closed, and the server rolls
//! back the transaction it began.

use std::time::Duration;

use tokio_postgres::error::SqlState;

use super::{describe, seconds, Connection};
use crate::error::{Error, Result};

/// How a trial went.
pub(crate) enum Trial<T> {
    /// Every statement ran; what the read gave inside the transaction.
    Ran(T),
    /// The statement at `index` failed, for `reason` (the server's words,
    /// the URL's password scrubbed).
    Failed { index: usize, reason: String },
}

impl Connection {
    /// Runs `statements` one at a time inside a transaction, each bounded
    /// by the query timeout, then `read` inside it, then rolls it back.
    /// Each statement is sent alone by the extended protocol, where the
    /// server refuses more than one statement per request. The statements
    /// must not control the transaction (the caller refuses `COMMIT` and
    /// the like).
    pub(crate) fn trial<T>(
        &self,
        statements: &[&str],
        read: impl AsyncFnOnce(&tokio_postgres::Client) -> std::result::Result<T, tokio_postgres::Error>,
    ) -> Result<Trial<T>> {
        let tried = self.in_transaction(statements, read);
        let rollback = self.within(self.query_timeout, async |client| {
            client.batch_execute("ROLLBACK").await
        });
        match rollback {
            Some(Ok(())) => tried,
            _ => Err(Error::Query(format!(
                "{}: the ROLLBACK after the trial got no answer; the session is closed, and the server rolls back its transaction",
                self.url
            ))),
        }
    }

    /// Begins the transaction, runs each statement, and reads.
    fn in_transaction<T>(
        &self,
        statements: &[&str],
        read: impl AsyncFnOnce(&tokio_postgres::Client) -> std::result::Result<T, tokio_postgres::Error>,
    ) -> Result<Trial<T>> {
        let ms = self.query_timeout.as_millis().max(1);
        let begin = format!("BEGIN; SET LOCAL statement_timeout = {ms}");
        self.bounded(async |client| client.batch_execute(&begin).await)?;
        for (index, statement) in statements.iter().enumerate() {
            if let Some(reason) = self.failure(statement) {
                return Ok(Trial::Failed { index, reason });
            }
        }
        Ok(Trial::Ran(self.bounded(read)?))
    }

    /// Runs one statement; why it failed, when it did.
    fn failure(&self, statement: &str) -> Option<String> {
        let ran = self.within(grace(self.query_timeout), async |client| {
            client.execute(statement, &[]).await
        });
        let timeout = seconds(self.query_timeout);
        Some(match ran {
            Some(Ok(_)) => return None,
            Some(Err(e)) if e.code() == Some(&SqlState::QUERY_CANCELED) => format!(
                "{}; it ran longer than {timeout} (PGDRIFT_QUERY_TIMEOUT)",
                self.url.scrub(&describe(&e)),
            ),
            Some(Err(e)) => self.url.scrub(&describe(&e)),
            None => format!("no answer within {timeout} (PGDRIFT_QUERY_TIMEOUT)"),
        })
    }

    /// Runs `work` within the query timeout (and a grace for the server's
    /// own timeout to come first), every failure an error.
    fn bounded<T>(
        &self,
        work: impl AsyncFnOnce(&tokio_postgres::Client) -> std::result::Result<T, tokio_postgres::Error>,
    ) -> Result<T> {
        let url = &self.url;
        match self.within(grace(self.query_timeout), work) {
            Some(Ok(value)) => Ok(value),
            Some(Err(e)) => Err(Error::Query(format!("{url}: {}", url.scrub(&describe(&e))))),
            None => Err(Error::Query(format!(
                "{url}: no answer within {} (PGDRIFT_QUERY_TIMEOUT)",
                seconds(self.query_timeout)
            ))),
        }
    }
}

/// The query timeout and a grace, so that the server's `statement_timeout`,
/// whose error says more, ends a statement before we stop waiting.
fn grace(timeout: Duration) -> Duration {
    timeout + Duration::from_millis(1500)
}
