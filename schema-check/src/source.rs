//! The schema for a crate being compiled, loaded once per process.
//!
//! rustc runs every `#[derive(Model)]` of a crate in one process, and
//! rust-analyzer keeps one process for hours: the catalog is cached per crate
//! directory and source (database URL or snapshot path), so a crate with 500
//! models introspects or reads its snapshot once. A cached snapshot is
//! reloaded when the file changes; a live catalog after
//! [`LIVE_REFRESH`], so an editor notices a database change.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use crate::catalog::Catalog;
use crate::config::{self, Env, ProjectConfig, Source, SourceRequest};
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
    pub catalog: Catalog,
    pub source: Source,
}

impl Loaded {
    /// The snapshot file the catalog was read from (to track as a build input).
    pub fn snapshot_path(&self) -> Option<&Path> {
        match &self.source {
            Source::Snapshot(path) => Some(path),
            Source::Live(_) => None,
        }
    }
}

/// What makes a cached entry stale.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Stamp {
    File(Option<(SystemTime, u64)>),
    Loaded(Instant),
}

impl Stamp {
    fn of(source: &Source) -> Stamp {
        match source {
            Source::Snapshot(path) => Stamp::File(
                std::fs::metadata(path)
                    .ok()
                    .and_then(|m| Some((m.modified().ok()?, m.len()))),
            ),
            Source::Live(_) => Stamp::Loaded(Instant::now()),
        }
    }

    fn is_current(&self, source: &Source) -> bool {
        match self {
            Stamp::Loaded(at) => at.elapsed() < LIVE_REFRESH,
            file => *file == Stamp::of(source),
        }
    }
}

type Key = (PathBuf, String);
type Entry = (Stamp, Arc<Result<Loaded>>);

fn cache() -> &'static Mutex<HashMap<Key, Entry>> {
    static CACHE: OnceLock<Mutex<HashMap<Key, Entry>>> = OnceLock::new();
    CACHE.get_or_init(Default::default)
}

/// Settings for a crate: its `.env` and the nearest `pgdrift.toml`.
pub struct CrateSettings {
    pub root: PathBuf,
    pub env: Env,
    pub project: ProjectConfig,
}

impl CrateSettings {
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
    pub fn source(&self, crate_dir: &Path) -> Result<Source> {
        if let Some(path) = self.env.get(BUILD_SCHEMA).filter(|p| !p.is_empty()) {
            return Ok(Source::Snapshot(PathBuf::from(path)));
        }
        self.resolve(crate_dir)
    }

    /// The schema source: see [`config::resolve_source`].
    pub fn resolve(&self, crate_dir: &Path) -> Result<Source> {
        let snapshot = config::snapshot_path(
            &self.env,
            crate_dir,
            self.project
                .snapshot
                .as_deref()
                .map(|p| self.root.join(p))
                .as_deref(),
        );
        config::resolve_source(&self.env, &SourceRequest::default(), &snapshot)
    }
}

/// How long a resolved source is reused without looking at the files again:
/// one compile's expansions resolve once, an editor notices a changed `.env`,
/// `pgdrift.toml` or snapshot within this delay.
pub const RESOLVE_REFRESH: Duration = Duration::from_secs(1);

/// The catalog for the crate in `crate_dir`, from the cache when current.
pub fn catalog_for_crate(crate_dir: &Path) -> Result<Arc<Result<Loaded>>> {
    type Recent = HashMap<PathBuf, (Instant, Arc<Result<Loaded>>)>;
    static RECENT: OnceLock<Mutex<Recent>> = OnceLock::new();
    let recent = RECENT.get_or_init(Default::default);
    if let Some((at, loaded)) = recent
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .get(crate_dir)
    {
        if at.elapsed() < RESOLVE_REFRESH {
            return Ok(loaded.clone());
        }
    }
    let loaded = resolve_and_load(crate_dir)?;
    recent
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .insert(crate_dir.to_path_buf(), (Instant::now(), loaded.clone()));
    Ok(loaded)
}

fn resolve_and_load(crate_dir: &Path) -> Result<Arc<Result<Loaded>>> {
    let settings = CrateSettings::load(crate_dir)?;
    let source = settings.source(crate_dir)?;
    let key = (
        crate_dir.to_path_buf(),
        match &source {
            Source::Live(url) => format!("live {}", url.expose()),
            Source::Snapshot(path) => format!("snapshot {}", path.display()),
        },
    );
    let mut cache = cache()
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((stamp, loaded)) = cache.get(&key) {
        if stamp.is_current(&source) {
            return Ok(loaded.clone());
        }
    }
    let stamp = Stamp::of(&source);
    let catalog = load(&source, &settings);
    log_load(&settings.env, crate_dir, &source);
    let loaded = Arc::new(catalog.map(|catalog| Loaded { catalog, source }));
    cache.insert(key, (stamp, loaded.clone()));
    Ok(loaded)
}

/// Reads the snapshot, or introspects the live database when this build of
/// the engine can connect (feature `live`).
fn load(source: &Source, settings: &CrateSettings) -> Result<Catalog> {
    match source {
        Source::Snapshot(path) => crate::snapshot::load(path),
        #[cfg(feature = "live")]
        Source::Live(_) => {
            let options = crate::live::ConnectOptions::from_env(&settings.env, &settings.root)?;
            crate::load_catalog(source, &options, settings.project.schema_filter())
        }
        #[cfg(not(feature = "live"))]
        Source::Live(_) => {
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

/// `PGDRIFT_LOG_LOADS=FILE` appends one line per schema load (benchmarks
/// and tests count them); nothing is written otherwise.
pub fn log_load(env: &Env, crate_dir: &Path, source: &Source) {
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
