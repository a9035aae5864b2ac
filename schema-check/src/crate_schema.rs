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
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

use crate::config::{self, Env, ProjectConfig};
use crate::error::Result;
use crate::schema_source::{
    self, log_load, Door, Loaded, Lookup, SchemaRequest, SchemaSource, CHOOSING_VARS,
};

/// How long a live catalog is reused in one process.
pub const LIVE_REFRESH: Duration = Duration::from_secs(30);

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

    /// What chooses the schema of the crate at `crate_dir`.
    pub fn lookup<'a>(&'a self, crate_dir: &'a Path) -> Lookup<'a> {
        Lookup {
            env: &self.env,
            project: &self.project,
            root: &self.root,
            dir: crate_dir,
        }
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
    let source = schema_source::resolve(
        &settings.lookup(crate_dir),
        &SchemaRequest::default(),
        Door::Derive,
    )?;
    let schema_file = source.file().map(Path::to_path_buf);
    // Taken before loading: a change during the load is seen next time.
    let inputs = Inputs::of(crate_dir, schema_file.as_deref());
    let live = matches!(source, SchemaSource::Live(_));
    let loaded = schema_source::load_for_build(
        source.clone(),
        &settings.env,
        &settings.root,
        settings.project.schema_filter(),
    );
    log_load(&settings.env, crate_dir, &source);
    let entry = Entry {
        inputs,
        schema_file,
        live,
        loaded_at: Instant::now(),
        loaded: Arc::new(loaded),
    };
    let loaded = entry.loaded.clone();
    lock().insert(crate_dir.to_path_buf(), entry);
    Ok(loaded)
}
