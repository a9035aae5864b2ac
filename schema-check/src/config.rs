//! The environment pgdrift reads and where pgdrift's files live.
//!
//! The environment wins over the nearest `.env` (walking up from the project
//! directory); `pgdrift.toml` at the project root moves the files.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

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
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum TimeCrate {
    #[default]
    Chrono,
    Time,
    Jiff,
}

/// The crate whose type stands for `numeric`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DecimalCrate {
    #[default]
    RustDecimal,
    Bigdecimal,
}

/// `pgdrift.toml`: paths relative to the project root, and the schemas to read.
#[derive(Debug, Clone, PartialEq, Eq)]
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
        ProjectConfig::parse(&text).map_err(|(span, message)| {
            let line = span
                .and_then(|span| text.get(..span.start))
                .map(|before| 1 + before.matches('\n').count());
            let at = line.map(|l| format!(" line {l}")).unwrap_or_default();
            Error::Config(crate::url::redact_text(&format!(
                "{}{at}: {}",
                path.display(),
                message.trim_end()
            )))
        })
    }

    /// The settings `text` gives over the defaults, or where in `text` the
    /// first mistake is and what it is.
    ///
    /// The TOML is parsed into toml's document tree and its keys read here,
    /// not through serde: the derive's build compiles this crate, and
    /// toml's serde layer cost every cold build of a user's crate.
    fn parse(text: &str) -> std::result::Result<ProjectConfig, (Option<Range<usize>>, String)> {
        let document = DeTable::parse(text).map_err(|e| (e.span(), e.message().to_owned()))?;
        let mut config = ProjectConfig::default();
        // The table is ordered by key: of several mistakes, the first in the
        // file is reported.
        let mut first_error: Option<(Range<usize>, String)> = None;
        for (key, value) in document.get_ref().iter() {
            if let Err((span, message)) = config.set(key.get_ref(), value) {
                let span = span.unwrap_or_else(|| key.span());
                if first_error
                    .as_ref()
                    .is_none_or(|(first, _)| span.start < first.start)
                {
                    first_error = Some((span, message));
                }
            }
        }
        match first_error {
            Some((span, message)) => Err((Some(span), message)),
            None => Ok(config),
        }
    }

    /// Sets the setting `key` names to `value`; an unknown key, or a value
    /// of the wrong kind, is an error (at the value's span, or else the key's).
    fn set(
        &mut self,
        key: &str,
        value: &Spanned<DeValue>,
    ) -> std::result::Result<(), (Option<Range<usize>>, String)> {
        let at_value = |message: String| (Some(value.span()), message);
        match key {
            "models" => self.models = strings(value).map_err(at_value)?,
            "docs" => self.docs = string(value).map_err(at_value)?.into(),
            "changelog" => self.changelog = string(value).map_err(at_value)?.into(),
            "snapshot" => self.snapshot = Some(string(value).map_err(at_value)?.into()),
            "reports" => self.reports = string(value).map_err(at_value)?.into(),
            "schemas" => self.schemas = strings(value).map_err(at_value)?,
            "diagram" => {
                self.diagram = match value.get_ref() {
                    DeValue::Boolean(yes) => *yes,
                    other => return Err(at_value(wrong_type(other, "a boolean"))),
                }
            }
            "time" => self.time = variant(value, TIME_CRATES).map_err(at_value)?,
            "decimal" => self.decimal = variant(value, DECIMAL_CRATES).map_err(at_value)?,
            "drafts" => self.drafts = string(value).map_err(at_value)?.into(),
            other => return Err((None, unknown("field", other, SETTINGS))),
        }
        Ok(())
    }

    /// The schemas filter handed to introspection (`None`: all).
    pub fn schema_filter(&self) -> Option<&[String]> {
        (!self.schemas.is_empty()).then_some(self.schemas.as_slice())
    }
}

/// The keys `pgdrift.toml` may set, in the order its docs list them.
const SETTINGS: &[&str] = &[
    "models",
    "docs",
    "changelog",
    "snapshot",
    "reports",
    "schemas",
    "diagram",
    "time",
    "decimal",
    "drafts",
];
const TIME_CRATES: &[(&str, TimeCrate)] = &[
    ("chrono", TimeCrate::Chrono),
    ("time", TimeCrate::Time),
    ("jiff", TimeCrate::Jiff),
];
const DECIMAL_CRATES: &[(&str, DecimalCrate)] = &[
    ("rust_decimal", DecimalCrate::RustDecimal),
    ("bigdecimal", DecimalCrate::Bigdecimal),
];

/// The value of `names` that `value` names.
fn variant<T: Copy>(
    value: &Spanned<DeValue>,
    names: &[(&str, T)],
) -> std::result::Result<T, String> {
    let name = string(value)?;
    match names.iter().find(|(known, _)| *known == name) {
        Some((_, variant)) => Ok(*variant),
        None => {
            let known: Vec<&str> = names.iter().map(|(known, _)| *known).collect();
            Err(unknown("variant", &name, &known))
        }
    }
}

fn string(value: &Spanned<DeValue>) -> std::result::Result<String, String> {
    match value.get_ref() {
        DeValue::String(text) => Ok(text.to_string()),
        other => Err(wrong_type(other, "a string")),
    }
}

fn strings(value: &Spanned<DeValue>) -> std::result::Result<Vec<String>, String> {
    match value.get_ref() {
        DeValue::Array(items) => items.iter().map(string).collect(),
        other => Err(wrong_type(other, "an array of strings")),
    }
}

fn wrong_type(value: &DeValue, expected: &str) -> String {
    format!("invalid type: {}, expected {expected}", value.type_str())
}

/// What is said of an unknown `what` (field, variant): the names it may be.
fn unknown(what: &str, name: &str, known: &[&str]) -> String {
    let known: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
    format!(
        "unknown {what} `{}`, expected one of {}",
        crate::escape::terminal(name),
        known.join(", ")
    )
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
    fn project_config_reads_every_setting_and_refuses_what_it_does_not_know() {
        let text = "models = ['a/*.rs', \"b/**/*.rs\"]\ndocs = 'd.md'\nchangelog = 'c.md'\n\
                    snapshot = 's.json'\nreports = 'r'\nschemas = []\ndiagram = false\n\
                    time = 'jiff'\ndecimal = 'bigdecimal'\ndrafts = 'db'\n";
        let config = ProjectConfig::parse(text).unwrap();
        assert_eq!(config.models, ["a/*.rs", "b/**/*.rs"]);
        assert_eq!(config.docs, PathBuf::from("d.md"));
        assert_eq!(config.changelog, PathBuf::from("c.md"));
        assert_eq!(config.snapshot, Some(PathBuf::from("s.json")));
        assert_eq!(config.reports, PathBuf::from("r"));
        assert_eq!(config.schema_filter(), None);
        assert!(!config.diagram);
        assert_eq!(config.time, TimeCrate::Jiff);
        assert_eq!(config.decimal, DecimalCrate::Bigdecimal);
        assert_eq!(config.drafts, PathBuf::from("db"));
        assert_eq!(ProjectConfig::parse("").unwrap(), ProjectConfig::default());
        assert_eq!(
            ProjectConfig::parse("# nothing\n\n").unwrap(),
            ProjectConfig::default()
        );

        let error = |text: &str| {
            let (span, message) = ProjectConfig::parse(text).unwrap_err();
            let line = 1 + text[..span.unwrap().start].matches('\n').count();
            format!("line {line}: {message}")
        };
        assert_eq!(
            error("diagram = \"yes\""),
            "line 1: invalid type: string, expected a boolean"
        );
        assert_eq!(
            error("docs = 'd'\nschemas = 'app'"),
            "line 2: invalid type: string, expected an array of strings"
        );
        assert_eq!(
            error("models = ['a', 1]"),
            "line 1: invalid type: integer, expected a string"
        );
        assert_eq!(
            error("time = 'chrono'\ndecimal = 'f64'"),
            "line 2: unknown variant `f64`, expected one of `rust_decimal`, `bigdecimal`"
        );
        // Of two mistakes the first in the file, though the keys sort the
        // other way.
        assert!(error("zzz = 1\naaa = 2").starts_with("line 1: unknown field `zzz`"));
        assert!(error("[docs]\npath = 'x'").starts_with("line 1: invalid type: table"));
        assert!(error("docs.path = 'x'").starts_with("line 1: invalid type: table"));
        assert!(error("[paths]\ndocs = 'x'").starts_with("line 1: unknown field `paths`"));
        assert!(error("docs = 'a'\ndocs = 'b'").starts_with("line 2: "));
        assert!(error("docs = ").starts_with("line 1: "));
        // A name from the file is shown without its control characters.
        let message = error("\"a\\u001b[31m\" = 1");
        assert!(!message.contains('\u{1b}'), "{message}");
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
