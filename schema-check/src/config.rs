//! The environment pgdrift reads and where pgdrift's files live.
//!
//! The environment wins over the nearest `.env` (walking up from the project
//! directory); `pgdrift.toml` at the project root moves the files.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

use crate::error::{Error, Result};

pub const DEFAULT_SNAPSHOT: &str = ".pgdrift/schema.json";
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
pub const DEFAULT_QUERY_TIMEOUT: Duration = Duration::from_secs(30);

/// Environment variables, with the nearest `.env` file as a fallback.
///
/// Reading never changes the process environment (the derive runs inside
/// rustc, which must not see our variables).
#[derive(Debug, Clone, Default)]
pub struct Env {
    /// Whether the process environment is consulted (before `vars`).
    process: bool,
    vars: HashMap<String, String>,
    dotenv_path: Option<PathBuf>,
}

impl Env {
    /// The process environment plus the nearest `.env` at or above `dir`.
    pub fn load(dir: &Path) -> Result<Env> {
        let mut env = Env {
            process: true,
            ..Env::default()
        };
        if let Some(path) = find_upwards(dir, Path::new(".env")) {
            let iter = dotenvy::from_path_iter(&path).map_err(|e| dotenv_error(&path, e))?;
            for item in iter {
                let (key, value) = item.map_err(|e| dotenv_error(&path, e))?;
                env.vars.insert(key, value);
            }
            env.dotenv_path = Some(path);
        }
        Ok(env)
    }

    /// Only the given variables, ignoring the process environment.
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Env {
        Env {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect(),
            ..Env::default()
        }
    }

    /// The `.env` file that was read, if any.
    pub fn dotenv_path(&self) -> Option<&Path> {
        self.dotenv_path.as_deref()
    }

    pub fn get(&self, key: &str) -> Option<String> {
        if self.process {
            if let Ok(value) = std::env::var(key) {
                return Some(value);
            }
        }
        self.vars.get(key).cloned()
    }

    /// A boolean variable: `true/1/yes/on` or `false/0/no/off/""`.
    pub fn flag(&self, key: &str) -> Result<bool> {
        match self.get(key) {
            None => Ok(false),
            Some(value) => match value.trim().to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" | "on" => Ok(true),
                "false" | "0" | "no" | "off" | "" => Ok(false),
                _ => Err(Error::Config(format!(
                    "{key}={value:?} is not a boolean: use true or false"
                ))),
            },
        }
    }

    /// `PGDRIFT_CONNECT_TIMEOUT` in seconds, 5 when unset.
    pub fn connect_timeout(&self) -> Result<Duration> {
        self.seconds("PGDRIFT_CONNECT_TIMEOUT", DEFAULT_CONNECT_TIMEOUT)
    }

    /// `PGDRIFT_QUERY_TIMEOUT` in seconds, 30 when unset: how long a query
    /// may run, and wait behind another session's lock.
    pub fn query_timeout(&self) -> Result<Duration> {
        self.seconds("PGDRIFT_QUERY_TIMEOUT", DEFAULT_QUERY_TIMEOUT)
    }

    fn seconds(&self, key: &str, default: Duration) -> Result<Duration> {
        match self.get(key) {
            None => Ok(default),
            Some(value) => {
                parse_seconds(&value).map_err(|why| Error::Config(format!("{key}={value:?} {why}")))
            }
        }
    }
}

/// The longest timeout or interval pgdrift takes: one day.
pub const MAX_SECONDS: f64 = 86_400.0;

/// A number of seconds, more than 0 and at most [`MAX_SECONDS`] (fractions
/// allowed); the error completes a sentence about the value.
pub fn parse_seconds(value: &str) -> std::result::Result<Duration, String> {
    match value.trim().parse::<f64>() {
        Ok(secs) if secs.is_finite() && secs > 0.0 && secs <= MAX_SECONDS => {
            Ok(Duration::from_secs_f64(secs))
        }
        Ok(secs) if secs.is_finite() && secs > MAX_SECONDS => Err(format!(
            "is too long: give at most {MAX_SECONDS} seconds (one day)"
        )),
        _ => Err("is not a positive number of seconds".to_owned()),
    }
}

/// A `.env` error that names the file, the line and the variable, never the
/// line's text: a malformed line may hold a password.
fn dotenv_error(path: &Path, err: dotenvy::Error) -> Error {
    match err {
        dotenvy::Error::LineParse(line, _) => {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            let number = text
                .find(line.as_str())
                .map(|at| 1 + text[..at].matches('\n').count());
            let at = number.map(|n| format!(" line {n}")).unwrap_or_default();
            let name = line
                .trim_start()
                .trim_start_matches("export ")
                .split('=')
                .next()
                .map(str::trim)
                .filter(|n| {
                    !n.is_empty() && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                });
            let what = match name {
                Some(name) => format!("the value of {name} is malformed (an unclosed quote?)"),
                None => "the line is not `NAME=value`".to_owned(),
            };
            Error::Config(format!("cannot parse {}{at}: {what}", path.display()))
        }
        dotenvy::Error::Io(e) => Error::io("read", path, e),
        other => Error::Config(crate::url::redact_text(&format!(
            "cannot read {}: {other}",
            path.display()
        ))),
    }
}

/// The nearest `dir/name`, `dir/../name`, … that exists.
pub fn find_upwards(dir: &Path, name: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join(name))
        .find(|candidate| candidate.exists())
}

/// The crate whose types stand for dates and times.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TimeCrate {
    #[default]
    Chrono,
    Time,
    Jiff,
}

/// The crate whose type stands for `numeric`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecimalCrate {
    #[default]
    RustDecimal,
    Bigdecimal,
}

/// `pgdrift.toml`: paths relative to the project root, and the schemas to read.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProjectConfig {
    /// Globs of the Rust files that hold models.
    pub models: Vec<String>,
    pub docs: PathBuf,
    pub changelog: PathBuf,
    /// The snapshot; when unset, the nearest `.pgdrift/schema.json` at or
    /// above the root.
    pub snapshot: Option<PathBuf>,
    pub reports: PathBuf,
    /// Schemas to introspect; empty means every non-system schema.
    pub schemas: Vec<String>,
    /// Whether the docs hold the entity-relationship diagram.
    pub diagram: bool,
    /// The crate `generate-models` takes date and time types from.
    pub time: TimeCrate,
    /// The crate `generate-models` takes the `numeric` type from.
    pub decimal: DecimalCrate,
    /// Where `draft` writes its SQL files in the plain `sql` layout.
    pub drafts: PathBuf,
}

impl Default for ProjectConfig {
    fn default() -> Self {
        ProjectConfig {
            models: vec!["src/**/*.rs".to_owned()],
            docs: PathBuf::from("docs/database_schema.md"),
            changelog: PathBuf::from("docs/pgdb_changes.md"),
            snapshot: None,
            reports: PathBuf::from(".pgdrift/reports"),
            schemas: Vec::new(),
            diagram: true,
            time: Default::default(),
            decimal: Default::default(),
            drafts: PathBuf::from("temp"),
        }
    }
}

impl ProjectConfig {
    /// Reads `path`, or the defaults when `path` does not exist and
    /// `required` is false.
    pub fn load(path: &Path, required: bool) -> Result<ProjectConfig> {
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
                return Ok(ProjectConfig::default())
            }
            Err(e) => return Err(Error::io("read", path, e)),
        };
        toml::from_str(&text).map_err(|e| {
            let line = e
                .span()
                .map(|span| 1 + text[..span.start].matches('\n').count());
            let at = line.map(|l| format!(" line {l}")).unwrap_or_default();
            Error::Config(crate::url::redact_text(&format!(
                "{}{at}: {}",
                path.display(),
                e.message().trim_end()
            )))
        })
    }

    /// The schemas filter handed to introspection (`None`: all).
    pub fn schema_filter(&self) -> Option<&[String]> {
        (!self.schemas.is_empty()).then_some(self.schemas.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_wins_over_dotenv_found_upwards() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(".env"),
            "PGDRIFT_TEST_ONLY_A=from-dotenv\nPGDRIFT_TEST_ONLY_PATH=/tmp\n",
        )
        .unwrap();
        let nested = dir.path().join("crates/app");
        std::fs::create_dir_all(&nested).unwrap();
        let env = Env::load(&nested).unwrap();
        assert_eq!(env.dotenv_path(), Some(dir.path().join(".env").as_path()));
        assert_eq!(
            env.get("PGDRIFT_TEST_ONLY_A").as_deref(),
            Some("from-dotenv")
        );
        // PATH is always in the environment, and the environment wins.
        std::fs::write(dir.path().join(".env"), "PATH=from-dotenv\n").unwrap();
        let env = Env::load(&nested).unwrap();
        assert_ne!(env.get("PATH").as_deref(), Some("from-dotenv"));
    }

    #[test]
    fn bad_values_are_clear_errors() {
        let env = Env::from_pairs([
            ("PGDRIFT_OFFLINE", "maybe"),
            ("PGDRIFT_CONNECT_TIMEOUT", "-1"),
        ]);
        assert_eq!(
            env.flag("PGDRIFT_OFFLINE").unwrap_err().to_string(),
            "PGDRIFT_OFFLINE=\"maybe\" is not a boolean: use true or false"
        );
        assert!(env.connect_timeout().is_err());
        let ok = Env::from_pairs([("PGDRIFT_CONNECT_TIMEOUT", "0.5")]);
        assert_eq!(ok.connect_timeout().unwrap(), Duration::from_millis(500));
    }

    #[test]
    fn project_config_errors_name_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pgdrift.toml");
        std::fs::write(&path, "docs = \"d.md\"\nmodel = [\"src/*.rs\"]\n").unwrap();
        let message = ProjectConfig::load(&path, true).unwrap_err().to_string();
        assert!(
            message.contains("pgdrift.toml line 2: unknown field `model`"),
            "{message}"
        );
        std::fs::write(&path, "docs = \"d.md\"\nschemas = [\"app\"]\n").unwrap();
        let config = ProjectConfig::load(&path, true).unwrap();
        assert_eq!(config.docs, PathBuf::from("d.md"));
        assert_eq!(config.schema_filter(), Some(&["app".to_owned()][..]));
        assert_eq!(config.snapshot, None);
    }
}
