//! The engine's error: one sentence saying what went wrong, where, and what to
//! do next. Every URL in it is already redacted.

use std::path::Path;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// Bad configuration: an environment variable, `pgdrift.toml`, a URL.
    #[error("{0}")]
    Config(String),
    /// The database could not be reached, or refused us.
    #[error("{0}")]
    Connect(String),
    /// A catalog query failed.
    #[error("{0}")]
    Query(String),
    /// The snapshot file is missing, corrupt or from a newer pgdrift.
    #[error("{0}")]
    Snapshot(String),
    /// Reading or writing a file failed.
    #[error("{0}")]
    Io(String),
}

impl Error {
    pub(crate) fn io(action: &str, path: &Path, err: std::io::Error) -> Error {
        Error::Io(format!("cannot {action} {}: {err}", path.display()))
    }
}
