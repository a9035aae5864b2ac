//! The schema for a crate being compiled, loaded once per process.
//!
//! rustc runs every `#[derive(Model)]` of a crate in one process, and
//! rust-analyzer keeps one process for hours: the catalog is cached per crate
//! directory, keyed by everything that chooses it (see [`catalog_for_crate`]),
//! so a crate with 500 models introspects or reads its snapshot once, and an
//! editor notices a changed file at once and a database change within
//! [`LIVE_REFRESH`].

#![deny(missing_docs)]

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use crate::catalog::{Catalog, RelationName};
use crate::config::{self, Env, ProjectConfig, SchemaRequest, SchemaSource};
use crate::error::Result;

/// Set by `pgdrift::build` for the crate's compilation: the schema file the
/// build script wrote, which the derive reads instead of connecting.
pub const BUILD_SCHEMA: &str = "PGDRIFT_BUILD_SCHEMA";

/// Where `schema-check watch` keeps the live schema (`schema.json`) and
/// says who it is (`watcher.json`), relative to the project root.
pub const WATCH_DIR: &str = ".pgdrift/watch";

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

/// How long a live catalog is reused in one process.
pub const LIVE_REFRESH: Duration = Duration::from_secs(30);

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
        match &self.source {
            SchemaSource::Snapshot(path) => Some(path),
            SchemaSource::Live(_) => None,
        }
    }
}

/// The variables that choose a crate's schema.
const CHOOSING_VARS: [&str; 6] = [
    "DATABASE_URL",
    "PGDRIFT_OFFLINE",
    "PGDRIFT_SNAPSHOT",
    BUILD_SCHEMA,
    "PGDRIFT_CONNECT_TIMEOUT",
    "PGDRIFT_QUERY_TIMEOUT",
];

/// Everything a crate's schema depends on, as it stands now: the variables
/// that choose it, and the files that do (the nearest `.env` and
/// `pgdrift.toml`) or hold it (the snapshot or the build's schema file),
/// each with its modification time and length.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Inputs {
    vars: Vec<Option<String>>,
    files: Vec<(PathBuf, Option<(SystemTime, u64)>)>,
}

impl Inputs {
    fn of(crate_dir: &Path, schema_file: Option<&Path>) -> Inputs {
        let found = [".env", "pgdrift.toml"]
            .iter()
            .filter_map(|name| config::find_upwards(crate_dir, Path::new(name)));
        Inputs {
            vars: CHOOSING_VARS
                .iter()
                .map(|var| std::env::var(var).ok())
                .collect(),
            files: found
                .chain(schema_file.map(Path::to_path_buf))
                .map(|path| {
                    let stamp = std::fs::metadata(&path)
                        .ok()
                        .and_then(|m| Some((m.modified().ok()?, m.len())));
                    (path, stamp)
                })
                .collect(),
        }
    }
}

/// A crate's loaded schema (or why it could not be loaded) and what it was
/// loaded from.
struct Entry {
    inputs: Inputs,
    schema_file: Option<PathBuf>,
    live: bool,
    loaded_at: Instant,
    loaded: Arc<Result<Loaded>>,
}

impl Entry {
    /// Whether nothing the schema depends on changed (and a live schema is
    /// recent enough).
    fn is_current(&self, crate_dir: &Path) -> bool {
        (!self.live || self.loaded_at.elapsed() < LIVE_REFRESH)
            && self.inputs == Inputs::of(crate_dir, self.schema_file.as_deref())
    }
}

fn cache() -> &'static Mutex<HashMap<PathBuf, Entry>> {
    static CACHE: OnceLock<Mutex<HashMap<PathBuf, Entry>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// Settings for a crate: its `.env` and the nearest `pgdrift.toml`.
pub struct CrateSettings {
    /// The project root: where `pgdrift.toml` is, else the crate.
    pub root: PathBuf,
    /// The crate's environment with its `.env`.
    pub env: Env,
    /// The project's settings (the defaults without a `pgdrift.toml`).
    pub project: ProjectConfig,
}

impl CrateSettings {
    /// The settings of the crate at `crate_dir`.
    pub fn load(crate_dir: &Path) -> Result<CrateSettings> {
        let env = Env::load(crate_dir)?;
        let (root, project) = match config::find_upwards(crate_dir, Path::new("pgdrift.toml")) {
            Some(file) => (
                file.parent().unwrap_or(crate_dir).to_path_buf(),
                ProjectConfig::load(&file, true)?,
            ),
            None => (crate_dir.to_path_buf(), ProjectConfig::default()),
        };
        Ok(CrateSettings { root, env, project })
    }

    /// The schema source (see [`config::resolve_source`]), unless `pgdrift::build`
    /// already handed one over (`PGDRIFT_BUILD_SCHEMA`).
    pub fn source(&self, crate_dir: &Path) -> Result<SchemaSource> {
        if let Some(path) = self.env.get(BUILD_SCHEMA).filter(|p| !p.is_empty()) {
            return Ok(SchemaSource::Snapshot(PathBuf::from(path)));
        }
        self.resolve(crate_dir)
    }

    /// The schema source: see [`config::resolve_source`].
    pub fn resolve(&self, crate_dir: &Path) -> Result<SchemaSource> {
        let snapshot = config::snapshot_path(
            &self.env,
            crate_dir,
            self.project
                .snapshot
                .as_deref()
                .map(|p| self.root.join(p))
                .as_deref(),
        );
        config::resolve_source(&self.env, &SchemaRequest::default(), &snapshot)
    }
}

/// The catalog for the crate in `crate_dir`: loaded once, and again only
/// when something it depends on changed (a variable that chooses it, the
/// `.env`, `pgdrift.toml`, the schema file), or after [`LIVE_REFRESH`] for a
/// live database. A failure is kept as long as a schema would be, so an
/// unreachable database costs one attempt per build, not one per model.
pub fn catalog_for_crate(crate_dir: &Path) -> Result<Arc<Result<Loaded>>> {
    let lock = || cache().lock().unwrap_or_else(|p| p.into_inner());
    if let Some(entry) = lock().get(crate_dir) {
        if entry.is_current(crate_dir) {
            return Ok(entry.loaded.clone());
        }
    }
    let settings = CrateSettings::load(crate_dir)?;
    let source = settings.source(crate_dir)?;
    let schema_file = match &source {
        SchemaSource::Snapshot(path) => Some(path.clone()),
        SchemaSource::Live(_) => None,
    };
    // Taken before loading: a change during the load is seen next time.
    let inputs = Inputs::of(crate_dir, schema_file.as_deref());
    let loaded = load(&source, &settings);
    log_load(&settings.env, crate_dir, &source);
    let entry = Entry {
        inputs,
        schema_file,
        live: matches!(source, SchemaSource::Live(_)),
        loaded_at: Instant::now(),
        loaded: Arc::new(loaded.map(|(catalog, not_read)| Loaded {
            catalog,
            source,
            not_read,
        })),
    };
    let loaded = entry.loaded.clone();
    lock().insert(crate_dir.to_path_buf(), entry);
    Ok(loaded)
}

/// Reads the snapshot, or introspects the live database when this build of
/// the engine can connect (feature `live`); with the relations whose texts
/// were not read. A build never waits on a migration: the texts of a
/// relation another session locks exclusively are left out.
fn load(
    source: &SchemaSource,
    settings: &CrateSettings,
) -> Result<(Catalog, Vec<(RelationName, String)>)> {
    match source {
        SchemaSource::Snapshot(path) => Ok((crate::snapshot::load(path)?, Vec::new())),
        #[cfg(feature = "live")]
        SchemaSource::Live(_) => {
            let options = crate::live::ConnectOptions::from_env(&settings.env, &settings.root)?;
            let read = crate::load_schema(
                source,
                &options,
                settings.project.schema_filter(),
                crate::introspect::OnLocked::SkipTexts,
            )?;
            let not_read = read
                .skipped
                .iter()
                .map(|skipped| (skipped.relation.clone(), skipped.warning()))
                .collect();
            Ok((read.catalog, not_read))
        }
        #[cfg(not(feature = "live"))]
        SchemaSource::Live(_) => {
            let _ = settings;
            Err(crate::error::Error::Config(NO_LIVE_DERIVE.to_owned()))
        }
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
