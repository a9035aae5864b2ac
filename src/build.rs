//! The build-time checker (feature `build`): one line in `build.rs`.
//!
//! ```no_run
//! // in build.rs's `fn main()`:
//! pgdrift::build::check().expect("pgdrift");
//! ```
//!
//! It resolves the schema source as the derive would, loads the
//! schema once per build and hands it to every `#[derive(Model)]` of the
//! crate through `PGDRIFT_BUILD_SCHEMA`, so the derives never connect. It
//! also writes each section of the docs to `OUT_DIR/pgdrift-docs/<schema>.<name>.md`,
//! each name escaped so that it stays a plain file name (`%XX` for every
//! byte that is not a lower-case ASCII letter, digit or `_`; see
//! `schema_check::docs::fragment_path`).
//!
//! - **Offline** (a snapshot): the script reruns only when the snapshot,
//!   `.env`, `pgdrift.toml` or the models change.
//! - **Live** (`DATABASE_URL`): the script introspects on every build, so a
//!   change in the database alone fails the next `cargo build`. Cargo then
//!   recompiles the crate each build (incrementally; the derives read the
//!   schema file, no connection).
//! - **Live with `schema-check watch`**: the watcher keeps
//!   `.pgdrift/watch/schema.json` current; the script depends only on that
//!   file, so a build with no change compiles nothing and a schema change is
//!   seen by the next build.

use std::fmt;
use std::path::{Path, PathBuf};

use schema_check::crate_schema::CrateSettings;
use schema_check::discover::discover_with;
use schema_check::introspect::{Introspection, OnLocked, NOT_READ};
use schema_check::schema_source::{
    self, Door, KeptSchema, SchemaRequest, SchemaSource, BUILD_SCHEMA, CHOOSING_VARS, WATCH_DIR,
};
use schema_check::{docs, files, Catalog, ConnectOptions, Connection, DatabaseUrl};

/// Checks with the default options; see [`Builder`].
pub fn check() -> Result<(), Error> {
    Builder::new().check()
}

/// Options of the build-time checker.
#[derive(Debug, Clone, Default)]
pub struct Builder {
    fail_on_drift: bool,
}

/// Why the build-time checker failed the build. `Debug` prints the message
/// as it is, so `check().expect("pgdrift")` shows it readably.
#[derive(Clone, PartialEq, Eq)]
pub struct Error {
    message: String,
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl From<schema_check::Error> for Error {
    fn from(err: schema_check::Error) -> Error {
        Error {
            message: err.to_string(),
        }
    }
}

impl Builder {
    pub fn new() -> Builder {
        Builder::default()
    }

    /// Also check every model under the model paths here, in the build
    /// script, and fail the build with one summary of every drifted model
    /// before the crate compiles.
    pub fn fail_on_drift(mut self, yes: bool) -> Builder {
        self.fail_on_drift = yes;
        self
    }

    /// Runs the checker; call it from `build.rs`.
    pub fn check(&self) -> Result<(), Error> {
        // Model files are parsed recursively: a deep stack for hostile ones.
        schema_check::discover::with_parse_stack(|| self.check_here())
    }

    fn check_here(&self) -> Result<(), Error> {
        let crate_dir = env_path("CARGO_MANIFEST_DIR")?;
        let out_dir = env_path("OUT_DIR")?;
        for var in CHOOSING_VARS {
            println!("cargo:rerun-if-env-changed={var}");
        }
        let settings = CrateSettings::load(&crate_dir)?;
        if let Some(dotenv) = settings.env.dotenv_path() {
            rerun_if_changed(dotenv);
        }
        let config = settings.root.join("pgdrift.toml");
        if config.exists() {
            rerun_if_changed(&config);
        }
        let source = schema_source::resolve(
            &settings.lookup(&crate_dir),
            &SchemaRequest::default(),
            Door::BuildScript,
        )?;
        let schema_file = match &source {
            SchemaSource::Snapshot(path) => {
                rerun_if_changed(path);
                path.clone()
            }
            SchemaSource::Watched(watched) => {
                // The build depends on the watcher's liveness file too, so a
                // watcher that dies (even killed outright) sends the next
                // build back to introspecting.
                rerun_if_changed(&watched.liveness);
                rerun_if_changed(&watched.schema);
                rerun_if_changed(&watched.schema.with_file_name("watcher.json"));
                watched.schema.clone()
            }
            SchemaSource::Live(url) => {
                // A path that never exists: cargo reruns this script on every build.
                rerun_if_changed(&out_dir.join("pgdrift-rerun-every-build"));
                rerun_if_changed(&settings.root.join(WATCH_DIR).join("watcher.json"));
                return self.check_live(&crate_dir, &out_dir, &settings, url);
            }
        };
        let loaded = schema_source::load_for_build(source, &settings.env, &settings.root, None)?;
        // A file holds every text: nothing was skipped.
        let read = Introspection {
            catalog: loaded.catalog,
            skipped: Vec::new(),
        };
        self.finish(&crate_dir, &out_dir, &settings, &read, &schema_file)
    }

    /// Checks against the live database, reading it only when its
    /// fingerprint, the model files or the options changed since the last
    /// build: else the schema file, fragments and checks still stand.
    fn check_live(
        &self,
        crate_dir: &Path,
        out_dir: &Path,
        settings: &CrateSettings,
        url: &DatabaseUrl,
    ) -> Result<(), Error> {
        let options = ConnectOptions::from_env(&settings.env, &settings.root)?;
        let connection = Connection::open(url, &options)?;
        let context = format!(
            "{}fail_on_drift={}\n",
            models_stamp(settings)?,
            self.fail_on_drift
        );
        let mut kept = KeptSchema::remembered(
            out_dir.join("pgdrift-schema.json"),
            out_dir.join("pgdrift-state"),
            context,
        )?;
        // A build never waits on a migration: the texts of a relation
        // another session locks are left out.
        let polled = kept.poll(
            &connection,
            settings.project.schema_filter(),
            OnLocked::SkipTexts,
        )?;
        let Some(fresh) = polled else {
            println!("cargo:rustc-env={BUILD_SCHEMA}={}", kept.path().display());
            rerun_if_changed(&crate_dir.join("src"));
            return Ok(());
        };
        for warning in fresh.read.warnings() {
            println!("cargo:warning={warning}");
        }
        schema_source::log_load(&settings.env, crate_dir, &SchemaSource::Live(url.clone()));
        self.finish(crate_dir, out_dir, settings, &fresh.read, kept.path())?;
        kept.keep(&fresh.read)?;
        Ok(())
    }

    /// Hands the schema file to the derives, writes the fragments, checks.
    fn finish(
        &self,
        crate_dir: &Path,
        out_dir: &Path,
        settings: &CrateSettings,
        read: &Introspection,
        schema_file: &Path,
    ) -> Result<(), Error> {
        let catalog = &read.catalog;
        println!("cargo:rustc-env={BUILD_SCHEMA}={}", schema_file.display());
        let cfg = schema_check::cfg::Cfg::for_build_script(&settings.root)?;
        let found = discover_with(&settings.root, &settings.project.models, &cfg)?;
        found.require_readable()?;
        rerun_if_changed(&crate_dir.join("src"));
        for model in &found.models {
            rerun_if_changed(&settings.root.join(&model.file));
        }
        write_fragments(
            &out_dir.join("pgdrift-docs"),
            read,
            &found,
            settings.project.diagram,
        )?;
        if self.fail_on_drift {
            fail_on_drift(catalog, &found, &settings.root)?;
        }
        Ok(())
    }
}

/// The model files with their sizes and modification times.
fn models_stamp(settings: &CrateSettings) -> Result<String, Error> {
    let mut stamp = String::new();
    for file in schema_check::discover::model_files(&settings.root, &settings.project.models)? {
        let meta = std::fs::metadata(&file).map_err(|e| Error {
            message: format!("cannot read {}: {e}", file.display()),
        })?;
        let modified = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .unwrap_or_default();
        stamp.push_str(&format!(
            "{} {} {}\n",
            file.display(),
            meta.len(),
            modified.as_nanos()
        ));
    }
    Ok(stamp)
}

fn env_path(var: &str) -> Result<PathBuf, Error> {
    std::env::var_os(var)
        .map(PathBuf::from)
        .ok_or_else(|| Error {
            message: format!(
                "{var} is not set: call pgdrift::build::check() from a build script (build.rs)"
            ),
        })
}

fn rerun_if_changed(path: &Path) {
    println!("cargo:rerun-if-changed={}", path.display());
}

/// Leaves an unchanged file alone, so nothing that depends on it rebuilds.
fn write_if_changed(path: &Path, contents: &[u8]) -> Result<(), Error> {
    if files::read_if_exists(path)?.as_deref() != Some(contents) {
        files::write_atomic(path, contents)?;
    }
    Ok(())
}

/// One file per docs section, byte-identical to `database_schema.md`'s;
/// the diagram's too unless `diagram` is off. A section missing a text
/// that was not read (its relation was locked) does not replace the
/// complete file a former build wrote.
fn write_fragments(
    dir: &Path,
    read: &Introspection,
    found: &schema_check::discover::Discovered,
    diagram: bool,
) -> Result<(), Error> {
    let catalog = &read.catalog;
    let sections = schema_check::diagram::document_sections(
        catalog,
        found.models.iter().map(|m| &m.model),
        diagram,
    );
    let wanted: Vec<PathBuf> = sections
        .iter()
        .map(|s| dir.join(docs::fragment_path(&s.key)))
        .collect();
    for (section, path) in sections.iter().zip(&wanted) {
        debug_assert!(path.starts_with(dir));
        let incomplete = !read.is_complete() && section.body.contains(NOT_READ);
        if incomplete && path.exists() {
            continue;
        }
        write_if_changed(path, section.body.as_bytes())?;
    }
    remove_unwanted_fragments(dir, &wanted);
    Ok(())
}

/// Removes fragment files (and emptied schema directories) of sections
/// that no longer exist.
fn remove_unwanted_fragments(dir: &Path, wanted: &[PathBuf]) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            remove_unwanted_fragments(&path, wanted);
            let _ = std::fs::remove_dir(&path);
        } else if path.extension().is_some_and(|e| e == "md") && !wanted.contains(&path) {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// Every model's findings at once, as one error.
fn fail_on_drift(
    catalog: &Catalog,
    found: &schema_check::discover::Discovered,
    root: &Path,
) -> Result<(), Error> {
    let findings = schema_check::compare::db_models(catalog, found);
    let errors: Vec<&schema_check::Finding> = findings
        .iter()
        .filter(|f| f.level == schema_check::Level::Error)
        .collect();
    if errors.is_empty() {
        return Ok(());
    }
    let drifted: std::collections::BTreeSet<&str> =
        errors.iter().filter_map(|i| i.model.as_deref()).collect();
    let mut message = format!(
        "{} of {} models drifted from the schema ({} errors), in {}:\n\n",
        drifted.len(),
        found.models.len(),
        errors.len(),
        root.display()
    );
    for finding in errors {
        message.push_str(&finding.to_diagnostic());
        message.push_str("\n\n");
    }
    Err(Error { message })
}
