//! Where a command's inputs come from: the project root, `.env`,
//! `pgdrift.toml`, the schema (live or snapshot), the models, the docs
//! file, the clock and whether to colour.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use clap::ValueEnum;
use schema_check::cfg::Cfg;
use schema_check::config::{Env, ProjectConfig};
use schema_check::discover::{discover_with, Discovered};
use schema_check::introspect::{Introspection, OnLocked};
use schema_check::schema_source::{self, Door, Lookup, SchemaRequest, SchemaSource};
use schema_check::{files, Catalog, ConnectOptions, Error};

use crate::progress;

/// `--color`: whether diagnostics are coloured.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// The options every command takes, as given on the command line.
pub(crate) struct Flags {
    pub(crate) root: Option<PathBuf>,
    pub(crate) config: Option<PathBuf>,
    pub(crate) request: SchemaRequest,
    pub(crate) features: Vec<String>,
    pub(crate) verbose: bool,
    pub(crate) color: ColorChoice,
}

/// A command's inputs: the project root, its `.env` and `pgdrift.toml`, and
/// the options every command takes.
pub(crate) struct Context {
    pub(crate) root: PathBuf,
    pub(crate) env: Env,
    pub(crate) project: ProjectConfig,
    pub(crate) request: SchemaRequest,
    pub(crate) features: Vec<String>,
    pub(crate) verbose: bool,
    color: ColorChoice,
}

impl Context {
    /// Whether diagnostics are coloured: `--color`, else on a terminal
    /// unless `NO_COLOR` is set to something.
    pub(crate) fn color(&self) -> bool {
        use std::io::IsTerminal;
        match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stdout().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }

    /// The context `flags` describe: `.env` and `pgdrift.toml` read from the
    /// root (`--config` names a file that must exist).
    pub(crate) fn new(flags: Flags) -> Result<Context, Error> {
        let root = flags.root.unwrap_or_else(|| PathBuf::from("."));
        if !root.is_dir() {
            return Err(Error::Config(format!(
                "--root {} is not a directory",
                root.display()
            )));
        }
        let (config_path, required) = match flags.config {
            Some(path) => (path, true),
            None => (root.join("pgdrift.toml"), false),
        };
        Ok(Context {
            env: Env::load(&root)?,
            project: ProjectConfig::load(&config_path, required)?,
            request: flags.request,
            features: flags.features,
            verbose: flags.verbose,
            color: flags.color,
            root,
        })
    }

    pub(crate) fn connect_options(&self) -> Result<ConnectOptions, Error> {
        ConnectOptions::from_env(&self.env, &self.root)
    }

    /// What chooses the schema: the environment and settings at the root.
    pub(crate) fn lookup(&self) -> Lookup<'_> {
        Lookup {
            env: &self.env,
            project: &self.project,
            root: &self.root,
            dir: &self.root,
        }
    }

    /// Where `snapshot` writes (and `--check` reads) the snapshot.
    pub(crate) fn snapshot_target(&self) -> PathBuf {
        self.lookup().snapshot_target()
    }

    /// The catalog from the live database or the snapshot, as
    /// [`schema_check::schema_source::resolve`] decides.
    pub(crate) fn catalog(&self) -> Result<Catalog, Error> {
        Ok(self.sourced_catalog()?.1)
    }

    /// The catalog and where it came from.
    pub(crate) fn sourced_catalog(&self) -> Result<(SchemaSource, Catalog), Error> {
        let (source, read) = self.read_schema(OnLocked::Wait)?;
        Ok((source, read.catalog))
    }

    /// The catalog for commands that print it or findings, never waiting
    /// on a migration: the texts of a relation another session locks
    /// exclusively are left out, and a warning on stderr names it and the
    /// lock's holder.
    pub(crate) fn catalog_around_locks(&self) -> Result<Catalog, Error> {
        let (_, read) = self.read_schema(OnLocked::SkipTexts)?;
        for warning in read.warnings() {
            eprintln!("warning: {}", schema_check::escape::terminal(&warning));
        }
        Ok(read.catalog)
    }

    /// The schema from the live database or the snapshot, as
    /// [`schema_check::schema_source::resolve`] decides, and where it came from.
    fn read_schema(&self, on_locked: OnLocked) -> Result<(SchemaSource, Introspection), Error> {
        let source = schema_source::resolve(&self.lookup(), &self.request, Door::Command)?;
        let read = self.load(&source, on_locked)?;
        Ok((source, read))
    }

    /// The live catalog; an error when none is configured or offline is asked.
    pub(crate) fn live_catalog(&self, command: &str) -> Result<Catalog, Error> {
        let source = schema_source::resolve(&self.lookup(), &self.request, Door::Live(command))?;
        Ok(self.load(&source, OnLocked::Wait)?.catalog)
    }

    /// Loads the schema from `source`, showing progress.
    fn load(&self, source: &SchemaSource, on_locked: OnLocked) -> Result<Introspection, Error> {
        let options = self.connect_options()?;
        progress::with_progress("reading the schema", || {
            schema_source::load(source, &options, self.project.schema_filter(), on_locked)
        })
    }

    /// Every model, or an error when a model file cannot be read (docs and
    /// reports from a partial set of models would be wrong).
    pub(crate) fn models(&self) -> Result<Discovered, Error> {
        let found = self.models_readable_or_not()?;
        found.require_readable()?;
        Ok(found)
    }

    /// Every model of the files that can be read, as a default build of the
    /// package compiles them (plus `--features`); the others are listed in
    /// `unreadable`. With `--verbose`, says on stderr what it left out.
    pub(crate) fn models_readable_or_not(&self) -> Result<Discovered, Error> {
        let cfg = Cfg::for_package(&self.root, &self.features)?;
        let found = progress::with_progress("reading the models", || {
            discover_with(&self.root, &self.project.models, &cfg)
        })?;
        if self.verbose {
            let mut text = String::new();
            for skipped in &found.skipped {
                let place = match skipped.line {
                    0 => skipped.file.display().to_string(),
                    line => format!("{}:{line}", skipped.file.display()),
                };
                text.push_str(&format!(
                    "skipped {} at {place}: {} does not hold in a default build\n",
                    skipped.what, skipped.cfg
                ));
            }
            eprint!("{}", schema_check::escape::terminal(&text));
        }
        Ok(found)
    }

    pub(crate) fn docs_path(&self) -> PathBuf {
        self.root.join(&self.project.docs)
    }

    /// A path as the user sees it: relative to the root.
    pub(crate) fn shown<'a>(&self, path: &'a Path) -> std::path::Display<'a> {
        path.strip_prefix(&self.root).unwrap_or(path).display()
    }

    /// `SOURCE_DATE_EPOCH` (for reproducible output), else now.
    pub(crate) fn now(&self) -> Result<SystemTime, Error> {
        match self.env.get("SOURCE_DATE_EPOCH") {
            None => Ok(SystemTime::now()),
            Some(value) => value
                .trim()
                .parse::<u64>()
                .map(|secs| SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
                .map_err(|_| {
                    Error::Config(format!(
                        "SOURCE_DATE_EPOCH={value:?} is not a number of seconds"
                    ))
                }),
        }
    }

    /// The docs file's path, and its text when it exists.
    pub(crate) fn read_docs(&self) -> Result<(PathBuf, Option<String>), Error> {
        let path = self.docs_path();
        let text = files::read_if_exists(&path)?
            .map(|bytes| {
                String::from_utf8(bytes)
                    .map_err(|_| Error::Config(format!("{} is not UTF-8", self.shown(&path))))
            })
            .transpose()?;
        Ok((path, text))
    }

    /// A path relative to the root, as docs and reports name it.
    pub(crate) fn relative(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.root).unwrap_or(path).to_path_buf()
    }
}
