//! `schema-check`: pgdrift's command line: its arguments, and the exit
//! code of each command's outcome.
//!
//! Exit codes: 0 success, 1 findings (drift, stale files), 2 usage,
//! configuration, connection or parse errors.

use std::path::PathBuf;
use std::process::ExitCode;

mod commands;
mod context;
mod progress;
mod render;
mod select;

use clap::{Parser, Subcommand, ValueEnum};
use schema_check::schema_source::SchemaRequest;

use commands::draft::DraftFormat;
use commands::models::{DecimalArg, TimeArg};
use commands::report::ReportFormat;
use context::{ColorChoice, Context, Flags};
use render::{Deny, Outcome};

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
        format: Vec<ReportFormat>,
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
    /// Draft, for review, the SQL that would make the database fit the models; runs nothing.
    Draft {
        /// The draft's name in its file names: letters, digits, `_` and `-`.
        #[arg(
            short = 'm',
            long = "name",
            value_name = "NAME",
            default_value = "draft"
        )]
        name: String,
        /// The file layout: plain SQL files, or a migration tool's.
        #[arg(long, value_enum, default_value_t = DraftFormat::Sql)]
        format: DraftFormat,
        /// Directory for the files [default: pgdrift.toml's `drafts` (temp) for sql, else migrations]
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Try the draft on TEST_DATABASE_URL inside a transaction that is always rolled back, and check the models against the schema it leaves
        #[arg(long)]
        verify: bool,
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
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Model files are parsed recursively: a deep stack for hostile ones.
    schema_check::discover::with_parse_stack(|| run(&cli))
}

fn run(cli: &Cli) -> ExitCode {
    let result = Context::new(flags(cli)).and_then(|ctx| dispatch(&ctx, &cli.command));
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

/// The options every command takes.
fn flags(cli: &Cli) -> Flags {
    Flags {
        root: cli.root.clone(),
        config: cli.config.clone(),
        request: SchemaRequest {
            database_url: cli.database_url.clone(),
            test: cli.test,
            offline: cli.offline,
        },
        features: cli.features.clone(),
        verbose: cli.verbose,
        color: cli.color,
    }
}

/// Runs the command's module.
fn dispatch(ctx: &Context, command: &Command) -> Result<Outcome, schema_check::Error> {
    use commands::{changelog, docs, draft, fix, introspect, models, report, watch};
    match command {
        Command::Introspect { table, format } => {
            introspect::introspect(ctx, table.as_deref(), *format == Format::Json)
        }
        Command::Snapshot { check } => introspect::snapshot(ctx, *check),
        Command::CompareDbModels { format, deny } => {
            models::compare_db_models(ctx, *format == Format::Json, *deny)
        }
        Command::CompareModelsDoc => models::compare_models_doc(ctx),
        Command::GenerateDocs { output, fragments } => {
            docs::generate_docs(ctx, output.as_deref(), fragments.as_deref())
        }
        Command::Watch { interval } => watch::watch(ctx, *interval),
        Command::Validate => docs::validate(ctx),
        Command::Report { out, format, deny } => report::report(ctx, out.as_deref(), format, *deny),
        Command::Fix { dry_run } => fix::fix(ctx, *dry_run),
        Command::Draft {
            name,
            format,
            out,
            verify,
        } => draft::draft(ctx, name, *format, out.as_deref(), *verify),
        Command::GenerateModels {
            tables,
            schemas,
            output,
            derives,
            time,
            decimal,
            insert,
        } => models::generate_models(
            ctx,
            &select::Selection { tables, schemas },
            output.as_deref(),
            models::generate_options(ctx, derives, *time, *decimal, *insert)?,
        ),
        Command::Changelog { message } => changelog::changelog(ctx, message.as_deref()),
    }
}
