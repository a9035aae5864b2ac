//! `schema-check`: pgdrift's command line.
//!
//! Exit codes: 0 success, 1 findings (drift, stale files), 2 usage,
//! configuration, connection or parse errors.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

mod progress;
mod workflow;

use clap::{Parser, Subcommand, ValueEnum};
use schema_check::config::{Env, ProjectConfig};
use schema_check::introspect::{Introspection, OnLocked};
use schema_check::schema_source::{self, Door, Lookup, SchemaRequest, SchemaSource};
use schema_check::{snapshot, Catalog, ConnectOptions, Error};

#[derive(Parser)]
#[command(
    name = "schema-check",
    version,
    about = "Keep PostgreSQL, Rust models and schema docs in agreement"
)]
struct Cli {
    /// Database to read (beats DATABASE_URL and .env).
    #[arg(long, global = true, value_name = "URL")]
    database_url: Option<String>,
    /// Use TEST_DATABASE_URL instead of DATABASE_URL.
    #[arg(long, global = true)]
    test: bool,
    /// Read the snapshot instead of the database (like PGDRIFT_OFFLINE=true).
    #[arg(long, global = true)]
    offline: bool,
    /// Project root: paths and pgdrift.toml are relative to it [default: .]
    #[arg(long, global = true, value_name = "DIR")]
    root: Option<PathBuf>,
    /// Configuration file [default: ROOT/pgdrift.toml]
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Features to evaluate `#[cfg(feature = "…")]` with, besides the package's default ones.
    #[arg(long, global = true, value_name = "FEATURES", value_delimiter = ',')]
    features: Vec<String>,
    /// Also say which models, modules and files a default build leaves out (`#[cfg(...)]`).
    #[arg(long, short, global = true)]
    verbose: bool,
    /// Colour diagnostics: auto (on a terminal, unless NO_COLOR is set), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    color: ColorChoice,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Print the live schema.
    Introspect {
        /// Only this relation (`name` or `schema.name`).
        #[arg(long, value_name = "NAME")]
        table: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Write the snapshot (.pgdrift/schema.json) from the live database.
    Snapshot {
        /// Write nothing; exit 1 and list the differences when the file is not current.
        #[arg(long)]
        check: bool,
    },
    /// Check every #[derive(Model)] struct under the model paths against the schema.
    CompareDbModels {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Also fail (exit 1) on warnings: `--deny warnings`.
        #[arg(long, value_enum, value_name = "LEVEL")]
        deny: Option<Deny>,
    },
    /// Check the models against the docs file.
    CompareModelsDoc,
    /// Write the docs (docs/database_schema.md) from the schema and the models.
    GenerateDocs {
        /// Write here instead of the configured docs path.
        #[arg(long, value_name = "PATH")]
        output: Option<PathBuf>,
        /// Assemble the sections from the fragments pgdrift::build wrote (OUT_DIR/pgdrift-docs).
        #[arg(long, value_name = "DIR")]
        fragments: Option<PathBuf>,
    },
    /// Exit 1, listing stale sections, unless the docs are what generate-docs would write.
    Validate,
    /// Run every comparison and write schema-report.{json,md,sarif}.
    Report {
        /// Directory for the reports [default: .pgdrift/reports]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Formats to write, comma-separated.
        #[arg(
            long,
            value_enum,
            value_delimiter = ',',
            default_value = "json,md,sarif"
        )]
        format: Vec<workflow::ReportFormat>,
        /// Also fail (exit 1) on warnings: `--deny warnings`. The reports are written either way.
        #[arg(long, value_enum, value_name = "LEVEL")]
        deny: Option<Deny>,
    },
    /// Keep .pgdrift/watch/schema.json current with the live database, for pgdrift::build.
    Watch {
        /// Seconds between checks of the database.
        #[arg(long, value_name = "SECS", default_value_t = 2.0)]
        interval: f64,
    },
    /// Apply every finding's sure fix to the model files; print the diff.
    Fix {
        /// Print the diff, write nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Write Rust model structs (and enums) for the schema's tables and views.
    GenerateModels {
        /// Only this relation (`name` or `schema.name`); repeatable.
        #[arg(long = "table", value_name = "NAME")]
        tables: Vec<String>,
        /// Only relations of this schema; repeatable.
        #[arg(long = "schema", value_name = "NAME")]
        schemas: Vec<String>,
        /// Write here instead of standard output.
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Another derive for every struct (e.g. `sqlx::FromRow`); repeatable.
        #[arg(long = "derive", value_name = "PATH")]
        derives: Vec<String>,
        /// Date and time types from this crate [default: pgdrift.toml's `time`, else chrono]
        #[arg(long, value_enum)]
        time: Option<TimeArg>,
        /// The `numeric` type from this crate [default: pgdrift.toml's `decimal`, else rust_decimal]
        #[arg(long, value_enum)]
        decimal: Option<DecimalArg>,
        /// Also an insert struct (`NewUser`) per table: columns an INSERT may omit are `Option`.
        #[arg(long)]
        insert: bool,
    },
    /// Append the changes since the snapshot to the change log, and update the snapshot.
    Changelog {
        /// A line describing the change.
        #[arg(long, short, value_name = "TEXT")]
        message: Option<String>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum TimeArg {
    Chrono,
    Time,
    Jiff,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DecimalArg {
    #[value(name = "rust_decimal")]
    RustDecimal,
    Bigdecimal,
}

/// What fails a command besides errors: `--deny warnings`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Deny {
    /// Warnings fail the command too.
    Warnings,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// A command's outcome: success, or findings (exit 1).
pub(crate) enum Outcome {
    Clean,
    Findings,
}

impl Outcome {
    /// The outcome of a check that found `errors` and `warnings`: findings
    /// when there is an error, or a warning under `--deny warnings`.
    pub(crate) fn of(errors: usize, warnings: usize, deny: Option<Deny>) -> Outcome {
        let denied = deny == Some(Deny::Warnings) && warnings > 0;
        if errors > 0 || denied {
            Outcome::Findings
        } else {
            Outcome::Clean
        }
    }
}

pub(crate) struct Context {
    root: PathBuf,
    env: Env,
    project: ProjectConfig,
    request: SchemaRequest,
    features: Vec<String>,
    verbose: bool,
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

    fn new(cli: &Cli) -> Result<Context, Error> {
        let root = cli.root.clone().unwrap_or_else(|| PathBuf::from("."));
        if !root.is_dir() {
            return Err(Error::Config(format!(
                "--root {} is not a directory",
                root.display()
            )));
        }
        let (config_path, required) = match &cli.config {
            Some(path) => (path.clone(), true),
            None => (root.join("pgdrift.toml"), false),
        };
        Ok(Context {
            env: Env::load(&root)?,
            project: ProjectConfig::load(&config_path, required)?,
            request: SchemaRequest {
                database_url: cli.database_url.clone(),
                test: cli.test,
                offline: cli.offline,
            },
            features: cli.features.clone(),
            verbose: cli.verbose,
            color: cli.color,
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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Model files are parsed recursively: a deep stack for hostile ones.
    schema_check::discover::with_parse_stack(|| run(&cli))
}

fn run(cli: &Cli) -> ExitCode {
    let result = Context::new(cli).and_then(|ctx| match &cli.command {
        Command::Introspect { table, format } => introspect(&ctx, table.as_deref(), *format),
        Command::Snapshot { check } => snapshot(&ctx, *check),
        Command::CompareDbModels { format, deny } => {
            workflow::compare_db_models(&ctx, *format == Format::Json, *deny)
        }
        Command::CompareModelsDoc => workflow::compare_models_doc(&ctx),
        Command::GenerateDocs { output, fragments } => {
            workflow::generate_docs(&ctx, output.as_deref(), fragments.as_deref())
        }
        Command::Watch { interval } => workflow::watch(&ctx, *interval),
        Command::Validate => workflow::validate(&ctx),
        Command::Report { out, format, deny } => {
            workflow::report(&ctx, out.as_deref(), format, *deny)
        }
        Command::Fix { dry_run } => workflow::fix(&ctx, *dry_run),
        Command::GenerateModels {
            tables,
            schemas,
            output,
            derives,
            time,
            decimal,
            insert,
        } => workflow::generate_models(
            &ctx,
            &workflow::Selection { tables, schemas },
            output.as_deref(),
            workflow::generate_options(&ctx, derives, *time, *decimal, *insert)?,
        ),
        Command::Changelog { message } => workflow::changelog(&ctx, message.as_deref()),
    });
    match result {
        Ok(Outcome::Clean) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        Err(err) => {
            let message = match &cli.database_url {
                Some(url) => schema_check::DatabaseUrl::new(url.as_str()).scrub(&err.to_string()),
                None => err.to_string(),
            };
            eprintln!("error: {}", schema_check::escape::terminal(&message));
            ExitCode::from(2)
        }
    }
}

/// Prints text for a person: control characters from the database, a file
/// or a variable are shown escaped, never sent to the terminal.
pub(crate) fn print(text: &str) -> Result<(), Error> {
    write_stdout(|out| out.write_all(schema_check::escape::terminal(text).as_bytes()))
}

/// Prints text whose outside parts (database text, file contents, paths)
/// were escaped already, keeping the colour codes pgdrift itself wrote.
pub(crate) fn print_styled(text: &str) -> Result<(), Error> {
    write_stdout(|out| out.write_all(text.as_bytes()))
}

/// Writes to standard output through a buffer; a closed pipe (`| head`) is
/// not an error.
fn write_stdout(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), Error> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::Io(format!("cannot write to standard output: {e}")))
        }
        _ => Ok(()),
    }
}

fn introspect(ctx: &Context, table: Option<&str>, format: Format) -> Result<Outcome, Error> {
    let mut catalog = ctx.catalog_around_locks()?;
    if let Some(name) = table {
        catalog = only_relation(catalog, name)?;
    }
    match format {
        Format::Json => write_stdout(|out| snapshot::write(&mut *out, &catalog))?,
        Format::Text => print(&schema_check::catalog_text::render(&catalog))?,
    }
    // The process ends now: leave the catalog's many small allocations to
    // the operating system rather than freeing them one by one.
    std::mem::forget(catalog);
    Ok(Outcome::Clean)
}

/// The catalog cut down to one relation, found by `name` or `schema.name`.
fn only_relation(mut catalog: Catalog, name: &str) -> Result<Catalog, Error> {
    let (s, r) =
        find_relation(&catalog, name, |_| true).map(|(s, r)| (s.to_owned(), r.to_owned()))?;
    catalog.schemas.retain(|schema| schema.name == s);
    for schema in &mut catalog.schemas {
        // Every field is named, so that a kind of object added to the
        // catalog does not compile until it is left out here too.
        let schema_check::catalog::Schema {
            name: _,
            comment: _,
            relations,
            enums,
            domains,
            composites,
            extension: _,
        } = schema;
        relations.retain(|rel| rel.name == r);
        enums.clear();
        domains.clear();
        composites.clear();
    }
    Ok(catalog)
}

/// The one relation `--table NAME` names (`name`, or `schema.name` when
/// that schema exists) among those in a schema `keep` accepts: its schema
/// and name, or an error saying none or several match.
pub(crate) fn find_relation<'a>(
    catalog: &'a Catalog,
    name: &str,
    keep: impl Fn(&str) -> bool,
) -> Result<(&'a str, &'a str), Error> {
    let (schema, relation) = match name.split_once('.') {
        Some((s, r)) if catalog.schema(s).is_some() => (Some(s), r),
        _ => (None, name),
    };
    let matches: Vec<(&str, &str)> = catalog
        .relations()
        .filter(|(s, r)| r.name == relation && schema.is_none_or(|want| want == *s) && keep(s))
        .map(|(s, r)| (s, r.name.as_str()))
        .collect();
    match matches.as_slice() {
        [one] => Ok(*one),
        [] => Err(Error::Config(format!(
            "--table {name}: no such table or view in the schema"
        ))),
        several => Err(Error::Config(format!(
            "--table {name} is ambiguous: it names {}; qualify it with its schema",
            several
                .iter()
                .map(|(s, r)| format!("{s}.{r}"))
                .collect::<Vec<_>>()
                .join(" and ")
        ))),
    }
}

fn snapshot(ctx: &Context, check: bool) -> Result<Outcome, Error> {
    let catalog = ctx.live_catalog(if check {
        "snapshot --check"
    } else {
        "snapshot"
    })?;
    let path = ctx.snapshot_target();
    let shown = path.strip_prefix(&ctx.root).unwrap_or(&path).display();
    let bytes = snapshot::to_bytes(&catalog);
    if !check {
        schema_check::files::write_atomic(&path, &bytes)?;
        let tables = catalog.relations().count();
        print(&format!("wrote {shown} ({tables} relations)\n"))?;
        return Ok(Outcome::Clean);
    }
    let current = schema_check::files::read_if_exists(&path)?;
    let shown = shown.to_string();
    match snapshot::freshness(current.as_deref(), &catalog, &path, &shown)? {
        None => {
            print(&format!("{shown} is up to date\n"))?;
            Ok(Outcome::Clean)
        }
        Some(finding) => {
            let help = finding.help.as_deref().unwrap_or_default();
            print(&format!("{}\n{help}\n", finding.message))?;
            Ok(Outcome::Findings)
        }
    }
}
