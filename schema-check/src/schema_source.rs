//! Where the schema comes from: one decision for every front door (the
//! derive, `pgdrift::build`, the CLI), the loading it implies, and a live
//! schema kept in a file while the database's fingerprint stands still.
//!
//! The decision reads `PGDRIFT_OFFLINE`, `DATABASE_URL` (or
//! `TEST_DATABASE_URL`) from the environment or the nearest `.env`, the
//! snapshot (found upwards, or `PGDRIFT_SNAPSHOT`), the CLI's flags, the file
//! `pgdrift::build` hands to the derive and the file `schema-check watch`
//! keeps.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::catalog::{Catalog, RelationName};
use crate::config::{find_upwards, Env, ProjectConfig, DEFAULT_SNAPSHOT};
use crate::error::{Error, Result};
use crate::url::DatabaseUrl;

#[cfg(feature = "live")]
use crate::introspect::{Introspection, OnLocked};
#[cfg(feature = "live")]
use crate::live::{ConnectOptions, Connection};

/// Set by `pgdrift::build` for the crate's compilation: the schema file the
/// build script wrote, which the derive reads instead of connecting.
pub const BUILD_SCHEMA: &str = "PGDRIFT_BUILD_SCHEMA";

/// The variables that choose where a crate's schema comes from and how long
/// reading it may take: a change of any of them is a change of the schema
/// source.
pub const CHOOSING_VARS: [&str; 6] = [
    "DATABASE_URL",
    "PGDRIFT_OFFLINE",
    "PGDRIFT_SNAPSHOT",
    BUILD_SCHEMA,
    "PGDRIFT_CONNECT_TIMEOUT",
    "PGDRIFT_QUERY_TIMEOUT",
];

/// Whether a build may record `var`'s value among what the crate depends
/// on (the compiler writes such values into the build's dependency files):
/// every choosing variable but `DATABASE_URL`, whose value may hold a
/// password.
pub fn recordable(var: &str) -> bool {
    var != "DATABASE_URL"
}

/// Where `schema-check watch` keeps the live schema (`schema.json`) and
/// says who it is (`watcher.json`), relative to the project root.
pub const WATCH_DIR: &str = ".pgdrift/watch";

/// Where the schema comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemaSource {
    /// The database at this URL.
    Live(DatabaseUrl),
    /// A snapshot file, or the file `pgdrift::build` handed to the derive.
    Snapshot(PathBuf),
    /// The file a running `schema-check watch` keeps current with the
    /// database `pgdrift::build` would read (only `pgdrift::build` asks).
    Watched(Watched),
}

/// A running watcher's schema file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Watched {
    /// The schema file it keeps current.
    pub schema: PathBuf,
    /// A file that exists exactly as long as the watcher runs (see
    /// [`WatcherInfo::liveness_file`]).
    pub liveness: PathBuf,
}

impl SchemaSource {
    /// The file the schema is read from, if it is one (to track as a
    /// build input).
    pub fn file(&self) -> Option<&Path> {
        match self {
            SchemaSource::Snapshot(path) => Some(path),
            SchemaSource::Watched(watched) => Some(&watched.schema),
            SchemaSource::Live(_) => None,
        }
    }
}

impl std::fmt::Display for SchemaSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SchemaSource::Live(url) => write!(f, "{url}"),
            SchemaSource::Snapshot(path) => write!(f, "snapshot {}", path.display()),
            SchemaSource::Watched(watched) => {
                write!(f, "watched schema {}", watched.schema.display())
            }
        }
    }
}

/// What the caller asks for on top of the environment (the CLI's flags).
#[derive(Debug, Clone, Default)]
pub struct SchemaRequest {
    /// An explicit URL (`--database-url`), which beats every variable.
    pub database_url: Option<String>,
    /// Use `TEST_DATABASE_URL` instead of `DATABASE_URL` (`--test`).
    pub test: bool,
    /// Force the snapshot (`--offline`), like `PGDRIFT_OFFLINE=true`.
    pub offline: bool,
}

/// Who asks for the schema: each front door honours the files meant for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Door<'a> {
    /// A command reading the schema wherever the flags and environment say.
    Command,
    /// A command that reads the live database only (it writes or judges
    /// the snapshot against it), named in its errors.
    Live(&'a str),
    /// The derive: the file `pgdrift::build` handed over comes first.
    Derive,
    /// `pgdrift::build`: a running `schema-check watch`'s file stands in for
    /// the database it watches.
    BuildScript,
}

/// Everything besides the request that chooses the schema.
#[derive(Debug, Clone, Copy)]
pub struct Lookup<'a> {
    /// The variables, with the nearest `.env`.
    pub env: &'a Env,
    /// The project's settings (`pgdrift.toml`).
    pub project: &'a ProjectConfig,
    /// The project root: a configured snapshot and the watcher's files are
    /// relative to it.
    pub root: &'a Path,
    /// Where the search for the snapshot starts and what `PGDRIFT_SNAPSHOT`
    /// is relative to: the crate being compiled, or the root.
    pub dir: &'a Path,
}

impl Lookup<'_> {
    /// The snapshot to read: `PGDRIFT_SNAPSHOT`, else the configured one,
    /// else the nearest `.pgdrift/schema.json` at or above the directory,
    /// else the directory's `.pgdrift/schema.json` (which may not exist).
    pub fn snapshot_path(&self) -> PathBuf {
        if let Some(path) = self.snapshot_variable() {
            return self.dir.join(path);
        }
        match &self.project.snapshot {
            Some(path) => self.root.join(path),
            None => find_upwards(self.dir, Path::new(DEFAULT_SNAPSHOT))
                .unwrap_or_else(|| self.dir.join(DEFAULT_SNAPSHOT)),
        }
    }

    /// Where `schema-check snapshot` writes the snapshot: like
    /// [`Lookup::snapshot_path`], but never one found above the root.
    pub fn snapshot_target(&self) -> PathBuf {
        match self.snapshot_variable() {
            Some(path) => self.root.join(path),
            None => self.root.join(
                self.project
                    .snapshot
                    .as_deref()
                    .unwrap_or(DEFAULT_SNAPSHOT.as_ref()),
            ),
        }
    }

    fn snapshot_variable(&self) -> Option<String> {
        self.env.get("PGDRIFT_SNAPSHOT").filter(|p| !p.is_empty())
    }
}

/// Resolves the schema source for `door`: offline mode (`PGDRIFT_OFFLINE`
/// or `--offline`) reads the snapshot, which must exist; else a database URL
/// (`--database-url`, `DATABASE_URL` or, for `--test`, `TEST_DATABASE_URL`,
/// from the environment or the nearest `.env`) means the live database;
/// else the snapshot when there is one; else an error saying how to get one.
/// The derive takes the file `pgdrift::build` handed over before all that;
/// `pgdrift::build` takes a running watcher's file for its database; a
/// live-only command takes the database or fails.
pub fn resolve(at: &Lookup, request: &SchemaRequest, door: Door) -> Result<SchemaSource> {
    match door {
        Door::Derive => {
            if let Some(path) = at.env.get(BUILD_SCHEMA).filter(|p| !p.is_empty()) {
                return Ok(SchemaSource::Snapshot(PathBuf::from(path)));
            }
            resolve_source(at.env, request, &at.snapshot_path())
        }
        Door::Command => resolve_source(at.env, request, &at.snapshot_path()),
        Door::Live(command) => live_only(at.env, request, command).map(SchemaSource::Live),
        Door::BuildScript => match resolve_source(at.env, request, &at.snapshot_path())? {
            SchemaSource::Live(url) => Ok(match running_watcher(at.root, &url) {
                Some(watched) => SchemaSource::Watched(watched),
                None => SchemaSource::Live(url),
            }),
            other => Ok(other),
        },
    }
}

/// The environment's choice between the database and `snapshot`.
fn resolve_source(env: &Env, request: &SchemaRequest, snapshot: &Path) -> Result<SchemaSource> {
    if request.offline || env.flag("PGDRIFT_OFFLINE")? {
        if snapshot.exists() {
            return Ok(SchemaSource::Snapshot(snapshot.to_path_buf()));
        }
        return Err(Error::Snapshot(format!(
            "offline mode (PGDRIFT_OFFLINE=true) needs the snapshot {}, which does not exist: run `schema-check snapshot` against the database to create it",
            snapshot.display()
        )));
    }
    if let Some(url) = live_url(env, request)? {
        return Ok(SchemaSource::Live(url));
    }
    if snapshot.exists() {
        return Ok(SchemaSource::Snapshot(snapshot.to_path_buf()));
    }
    Err(Error::Config(format!(
        "no schema source: set {} (in the environment or a .env file) to check against the database, or run `schema-check snapshot` to create {}",
        url_variable(request),
        snapshot.display()
    )))
}

/// The database a live-only `command` reads; an error when none is
/// configured or offline mode is on.
fn live_only(env: &Env, request: &SchemaRequest, command: &str) -> Result<DatabaseUrl> {
    if request.offline || env.flag("PGDRIFT_OFFLINE")? {
        return Err(Error::Config(format!(
            "`{command}` reads the live database, but offline mode is on (--offline or PGDRIFT_OFFLINE=true)"
        )));
    }
    live_url(env, request)?.ok_or_else(|| {
        Error::Config(format!(
            "`{command}` needs a database: set {} (in the environment or a .env file) or pass --database-url",
            url_variable(request)
        ))
    })
}

/// The variable that names the database for `request`.
fn url_variable(request: &SchemaRequest) -> &'static str {
    if request.test {
        "TEST_DATABASE_URL"
    } else {
        "DATABASE_URL"
    }
}

/// The database URL the request and environment name, if any.
fn live_url(env: &Env, request: &SchemaRequest) -> Result<Option<DatabaseUrl>> {
    let (var, value) = match &request.database_url {
        Some(url) => ("--database-url", Some(url.clone())),
        None => (url_variable(request), env.get(url_variable(request))),
    };
    match value {
        None => Ok(None),
        Some(value) if value.trim().is_empty() => Err(Error::Config(format!(
            "{var} is set but empty: give it a postgres:// URL, or unset it"
        ))),
        Some(value) => Ok(Some(DatabaseUrl::new(value))),
    }
}

/// What `schema-check watch` says of itself in `watcher.json`, beside the
/// schema file it keeps current.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct WatcherInfo {
    /// The watcher's process id.
    pub pid: u32,
    /// When the process started, as the system counts it (clock ticks since
    /// boot, from `/proc/<pid>/stat`), so a later process that reuses the id
    /// is not taken for the watcher.
    pub started: Option<u64>,
    /// The database it watches, redacted.
    pub source: String,
    /// Seconds between polls.
    pub interval: f64,
}

impl WatcherInfo {
    /// This process, watching `source`.
    pub fn of_this_process(source: String, interval: f64) -> WatcherInfo {
        let pid = std::process::id();
        WatcherInfo {
            pid,
            started: process_start(pid),
            source,
            interval,
        }
    }

    /// The watcher described in `dir/watcher.json`, if the file is readable.
    pub fn read(dir: &Path) -> Option<WatcherInfo> {
        serde_json::from_slice(&std::fs::read(dir.join("watcher.json")).ok()?).ok()
    }

    /// A file that exists exactly as long as the watcher runs (the kernel
    /// removes it when the process ends, however it ends): a build script
    /// that depends on it reruns at its next build after the watcher died.
    /// `None` where the system offers no such file (only Linux does), or
    /// when this watcher is not running: then no watcher is trusted.
    pub fn liveness_file(&self) -> Option<PathBuf> {
        let file = PathBuf::from(format!("/proc/{}/stat", self.pid));
        (file.exists() && process_start(self.pid) == self.started && self.started.is_some())
            .then_some(file)
    }
}

/// The start time of process `pid` (field 22 of `/proc/<pid>/stat`).
fn process_start(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) is in parentheses and may hold spaces.
    let after_name = &stat[stat.rfind(')')? + 1..];
    after_name.split_whitespace().nth(19)?.parse().ok()
}

/// The schema file of a `schema-check watch` running for `url` under
/// `root`, if any, with its liveness file.
fn running_watcher(root: &Path, url: &DatabaseUrl) -> Option<Watched> {
    let dir = root.join(WATCH_DIR);
    let info = WatcherInfo::read(&dir)?;
    if info.source != url.redacted() {
        return None;
    }
    let liveness = info.liveness_file()?;
    let schema = dir.join("schema.json");
    schema.exists().then_some(Watched { schema, liveness })
}

/// A loaded catalog and where it came from.
#[derive(Debug)]
pub struct Loaded {
    /// The schema.
    pub catalog: Catalog,
    /// Where it was read from.
    pub source: SchemaSource,
    /// The relations whose texts (defaults, checks, index definitions) were
    /// not read because another session locked them, each with its warning.
    pub not_read: Vec<(RelationName, String)>,
}

impl Loaded {
    /// The snapshot file the catalog was read from (to track as a build input).
    pub fn snapshot_path(&self) -> Option<&Path> {
        self.source.file()
    }
}

/// Loads the schema from `source`: introspects a live database, or reads the
/// schema file, doing `on_locked` about relations another session locks
/// exclusively (a file has none).
#[cfg(feature = "live")]
pub fn load(
    source: &SchemaSource,
    options: &ConnectOptions,
    schemas: Option<&[String]>,
    on_locked: OnLocked,
) -> Result<Introspection> {
    match source {
        SchemaSource::Live(url) => {
            crate::introspect::read(&Connection::open(url, options)?, schemas, on_locked)
        }
        SchemaSource::Snapshot(_) | SchemaSource::Watched(_) => Ok(Introspection {
            catalog: read_file(source)?,
            skipped: Vec::new(),
        }),
    }
}

/// Loads the schema for a build, never waiting on a migration (the texts of
/// a relation another session locks exclusively are left out): reads the
/// file, or introspects the live database when this build of the engine can
/// connect (feature `live`); without it, a live source is refused, saying
/// how to get a live schema. `env` and `root` give the connection's options.
pub fn load_for_build(
    source: SchemaSource,
    env: &Env,
    root: &Path,
    schemas: Option<&[String]>,
) -> Result<Loaded> {
    let (catalog, not_read) = match &source {
        SchemaSource::Snapshot(_) | SchemaSource::Watched(_) => (read_file(&source)?, Vec::new()),
        #[cfg(feature = "live")]
        SchemaSource::Live(_) => {
            let options = ConnectOptions::from_env(env, root)?;
            let read = load(&source, &options, schemas, OnLocked::SkipTexts)?;
            let not_read = read
                .skipped
                .iter()
                .map(|skipped| (skipped.relation.clone(), skipped.warning()))
                .collect();
            (read.catalog, not_read)
        }
        #[cfg(not(feature = "live"))]
        SchemaSource::Live(_) => {
            let _ = (env, root, schemas);
            return Err(Error::Config(NO_LIVE_DERIVE.to_owned()));
        }
    };
    Ok(Loaded {
        catalog,
        source,
        not_read,
    })
}

/// The catalog in a snapshot or watched file.
fn read_file(source: &SchemaSource) -> Result<Catalog> {
    match source.file() {
        Some(path) => crate::snapshot::load(path),
        None => unreachable!("a live source has no file"),
    }
}

/// Why a derive built without the `live` feature refuses `DATABASE_URL`, and
/// the two ways to give it a live schema.
pub const NO_LIVE_DERIVE: &str = "DATABASE_URL is set, but `#[derive(Model)]` does not connect to \
databases by itself: add `pgdrift::build::check().expect(\"pgdrift\");` to `fn main` in build.rs \
(with pgdrift's feature \"build\" under [build-dependencies]), or enable pgdrift's feature \"live\" \
under [dependencies] so the derive connects; PGDRIFT_OFFLINE=true checks against the snapshot instead";

/// `PGDRIFT_LOG_LOADS=FILE` appends one line per schema load, so that
/// benchmarks and tests can count loads (the README documents it); nothing
/// is written otherwise.
pub fn log_load(env: &Env, crate_dir: &Path, source: &SchemaSource) {
    if let Some(path) = env.get("PGDRIFT_LOG_LOADS").filter(|p| !p.is_empty()) {
        if let Ok(mut file) = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
        {
            let _ = writeln!(
                file,
                "{} pid={} {source}",
                crate_dir.display(),
                std::process::id()
            );
        }
    }
}

/// A live schema kept in a file, read again only when the database's
/// fingerprint moved, and the file rewritten only when its bytes change
/// (so nothing that depends on it rebuilds for nothing).
#[cfg(all(feature = "live", feature = "workflow"))]
#[derive(Debug)]
pub struct KeptSchema {
    path: PathBuf,
    /// Where the fingerprint is remembered between processes, if anywhere.
    state: Option<PathBuf>,
    /// What the remembered state must match besides the fingerprint.
    context: String,
    /// The fingerprint the file is current for.
    current: Option<String>,
    /// The fingerprint of the last read, until it is kept.
    pending: Option<String>,
}

/// A schema read because the fingerprint moved.
#[cfg(all(feature = "live", feature = "workflow"))]
#[derive(Debug)]
pub struct Fresh {
    /// What was read.
    pub read: Introspection,
    /// Whether the file's bytes changed.
    pub written: bool,
}

#[cfg(all(feature = "live", feature = "workflow"))]
impl KeptSchema {
    /// A schema file whose fingerprint this process remembers.
    pub fn in_memory(path: PathBuf) -> KeptSchema {
        KeptSchema {
            path,
            state: None,
            context: String::new(),
            current: None,
            pending: None,
        }
    }

    /// A schema file whose fingerprint is remembered in the file `state`
    /// (its first line), valid while the rest of `state` is `context` and
    /// the schema file exists.
    pub fn remembered(path: PathBuf, state: PathBuf, context: String) -> Result<KeptSchema> {
        let previous = crate::files::read_if_exists(&state)?
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .filter(|_| path.exists());
        let current = previous
            .as_deref()
            .and_then(|p| p.split_once('\n'))
            .filter(|(_, rest)| *rest == context)
            .map(|(fingerprint, _)| fingerprint.to_owned());
        Ok(KeptSchema {
            path,
            state: Some(state),
            context,
            current,
            pending: None,
        })
    }

    /// The schema file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Polls the fingerprint; when it moved, reads the schema and writes the
    /// file if its bytes changed (`None`: nothing moved). The new
    /// fingerprint counts only once [`KeptSchema::keep`] is called; until
    /// then the remembered state is gone, so an interrupted caller reads
    /// again next time.
    pub fn poll(
        &mut self,
        connection: &Connection,
        schemas: Option<&[String]>,
        on_locked: OnLocked,
    ) -> Result<Option<Fresh>> {
        let (fingerprint, read) = crate::introspect::introspect_if_changed(
            connection,
            schemas,
            self.current.as_deref(),
            on_locked,
        )?;
        let Some(read) = read else {
            return Ok(None);
        };
        if let Some(state) = &self.state {
            let _ = std::fs::remove_file(state);
        }
        let bytes = crate::snapshot::to_bytes(&read.catalog);
        let written =
            crate::files::read_if_exists(&self.path)?.as_deref() != Some(bytes.as_slice());
        if written {
            crate::files::write_atomic(&self.path, &bytes)?;
        }
        self.pending = Some(fingerprint);
        Ok(Some(Fresh { read, written }))
    }

    /// Takes the last poll's fingerprint as the file's, unless `read` is
    /// incomplete: an incomplete catalog is not kept as current, so the
    /// next poll reads the database again.
    pub fn keep(&mut self, read: &Introspection) -> Result<()> {
        let Some(fingerprint) = self.pending.take() else {
            return Ok(());
        };
        if !read.is_complete() {
            return Ok(());
        }
        if let Some(state) = &self.state {
            let text = format!("{fingerprint}\n{}", self.context);
            crate::files::write_atomic(state, text.as_bytes())?;
        }
        self.current = Some(fingerprint);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offline_flag_wins_and_needs_the_snapshot() {
        let dir = tempfile::tempdir().unwrap();
        let snapshot = dir.path().join(DEFAULT_SNAPSHOT);
        let env = Env::from_pairs([
            ("PGDRIFT_OFFLINE", "true"),
            ("DATABASE_URL", "postgres://h/db"),
        ]);
        let err = resolve_source(&env, &SchemaRequest::default(), &snapshot).unwrap_err();
        assert!(err
            .to_string()
            .starts_with("offline mode (PGDRIFT_OFFLINE=true) needs the snapshot"));
        std::fs::create_dir_all(snapshot.parent().unwrap()).unwrap();
        std::fs::write(&snapshot, "{}").unwrap();
        assert_eq!(
            resolve_source(&env, &SchemaRequest::default(), &snapshot).unwrap(),
            SchemaSource::Snapshot(snapshot.clone())
        );
    }

    #[test]
    fn database_url_beats_snapshot_and_test_uses_test_url() {
        let dir = tempfile::tempdir().unwrap();
        let snapshot = dir.path().join(DEFAULT_SNAPSHOT);
        std::fs::create_dir_all(snapshot.parent().unwrap()).unwrap();
        std::fs::write(&snapshot, "{}").unwrap();
        let env = Env::from_pairs([
            ("DATABASE_URL", "postgres://u:pw@h/db"),
            ("TEST_DATABASE_URL", "postgres://t@h/test"),
        ]);
        let live = resolve_source(&env, &SchemaRequest::default(), &snapshot).unwrap();
        assert_eq!(live.to_string(), "postgres://u:***@h/db");
        let test = SchemaRequest {
            test: true,
            ..SchemaRequest::default()
        };
        assert_eq!(
            resolve_source(&env, &test, &snapshot).unwrap().to_string(),
            "postgres://t@h/test"
        );
        let none = Env::from_pairs([]);
        assert_eq!(
            resolve_source(&none, &SchemaRequest::default(), &snapshot).unwrap(),
            SchemaSource::Snapshot(snapshot)
        );
    }

    #[test]
    fn neither_url_nor_snapshot_is_an_error_saying_both_ways_out() {
        let err = resolve_source(
            &Env::from_pairs([]),
            &SchemaRequest::default(),
            Path::new("/nowhere/.pgdrift/schema.json"),
        )
        .unwrap_err();
        let message = err.to_string();
        assert!(message.contains("set DATABASE_URL"), "{message}");
        assert!(message.contains("schema-check snapshot"), "{message}");
    }

    #[test]
    fn each_door_honours_its_own_files() {
        let dir = tempfile::tempdir().unwrap();
        let snapshot = dir.path().join(DEFAULT_SNAPSHOT);
        std::fs::create_dir_all(snapshot.parent().unwrap()).unwrap();
        std::fs::write(&snapshot, "{}").unwrap();
        let env = Env::from_pairs([(BUILD_SCHEMA, "/out/pgdrift-schema.json")]);
        let project = ProjectConfig::default();
        let at = Lookup {
            env: &env,
            project: &project,
            root: dir.path(),
            dir: dir.path(),
        };
        let request = SchemaRequest::default();
        assert_eq!(
            resolve(&at, &request, Door::Derive).unwrap(),
            SchemaSource::Snapshot(PathBuf::from("/out/pgdrift-schema.json"))
        );
        assert_eq!(
            resolve(&at, &request, Door::Command).unwrap(),
            SchemaSource::Snapshot(snapshot)
        );
        assert_eq!(
            resolve(&at, &request, Door::Live("snapshot"))
                .unwrap_err()
                .to_string(),
            "`snapshot` needs a database: set DATABASE_URL (in the environment or a .env file) or pass --database-url"
        );
        let offline = SchemaRequest {
            offline: true,
            ..SchemaRequest::default()
        };
        assert_eq!(
            resolve(&at, &offline, Door::Live("watch"))
                .unwrap_err()
                .to_string(),
            "`watch` reads the live database, but offline mode is on (--offline or PGDRIFT_OFFLINE=true)"
        );
    }

    #[test]
    fn the_build_script_takes_a_running_watchers_file_for_its_database() {
        let dir = tempfile::tempdir().unwrap();
        let watch = dir.path().join(WATCH_DIR);
        std::fs::create_dir_all(&watch).unwrap();
        std::fs::write(watch.join("schema.json"), "{}").unwrap();
        let url = DatabaseUrl::new("postgres://u:pw@h/db");
        // This test's own process stands for the watcher: it is running.
        let info = WatcherInfo::of_this_process(url.redacted(), 2.0);
        std::fs::write(
            watch.join("watcher.json"),
            serde_json::to_vec(&info).unwrap(),
        )
        .unwrap();
        let project = ProjectConfig::default();
        let lookup = |env| Lookup {
            env,
            project: &project,
            root: dir.path(),
            dir: dir.path(),
        };
        let request = SchemaRequest::default();
        let env = Env::from_pairs([("DATABASE_URL", "postgres://u:pw@h/db")]);
        let source = resolve(&lookup(&env), &request, Door::BuildScript).unwrap();
        let Some(liveness) = info.liveness_file() else {
            // Only Linux tells a running process by a file: no watcher is trusted.
            assert_eq!(source, SchemaSource::Live(url));
            return;
        };
        assert_eq!(
            source,
            SchemaSource::Watched(Watched {
                schema: watch.join("schema.json"),
                liveness,
            })
        );
        assert_eq!(
            resolve(&lookup(&env), &request, Door::Command).unwrap(),
            SchemaSource::Live(url),
            "only the build script reads the watcher's file"
        );
        let other = Env::from_pairs([("DATABASE_URL", "postgres://u:pw@h/other")]);
        assert_eq!(
            resolve(&lookup(&other), &request, Door::BuildScript).unwrap(),
            SchemaSource::Live(DatabaseUrl::new("postgres://u:pw@h/other")),
            "a watcher of another database is not used"
        );
    }
}
