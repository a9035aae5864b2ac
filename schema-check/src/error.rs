//! The engine's error: one sentence saying what went wrong, where, and what to
//! do next. Every URL in it is already redacted.

use std::path::Path;

pub type Result<T, E = Error> = std::result::Result<T, E>;

///
/// Each kind holds its whole message. (Written out rather than derived: the
/// proc macro links this crate, and a derive crate more in every user's
/// build is not worth five one-line `Display` arms.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// Bad configuration: an environment variable, `pgdrift.toml`, a URL.
    Config(String),
    /// The database could not be reached, or refused us.
    Connect(String),
    /// A catalog query failed.
    Query(String),
    /// The snapshot file is missing, corrupt or from a newer pgdrift.
    Snapshot(String),
    /// Reading or writing a file failed.
    Io(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Config(message)
            | Error::Connect(message)
            | Error::Query(message)
            | Error::Snapshot(message)
            | Error::Io(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}

impl Error {
    pub(crate) fn io(action: &str, path: &Path, err: std::io::Error) -> Error {
        Error::Io(format!("cannot {action} {}: {err}", path.display()))
    }
}
