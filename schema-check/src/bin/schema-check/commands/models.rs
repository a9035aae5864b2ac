//! The commands about the model structs: `compare-db-models` and
//! `compare-models-doc` check them, `generate-models` writes them.

use std::path::Path;

use clap::ValueEnum;
use schema_check::{compare, files, generate, report, Error};

use crate::context::Context;
use crate::render::{counts, model_sources, print, print_issues, Deny, Outcome};
use crate::select::{select_relations, Selection};

/// `--time`: the crate of the date and time types.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum TimeArg {
    Chrono,
    Time,
    Jiff,
}

/// `--decimal`: the crate of the `numeric` type.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DecimalArg {
    #[value(name = "rust_decimal")]
    RustDecimal,
    Bigdecimal,
}

/// The models of every readable file are checked and printed; a file that
/// cannot be read is an error (exit 2) after them.
pub(crate) fn compare_db_models(
    ctx: &Context,
    json: bool,
    deny: Option<Deny>,
) -> Result<Outcome, Error> {
    let catalog = ctx.catalog_around_locks()?;
    let found = ctx.models_readable_or_not()?;
    let issues = compare::db_models_noting(&catalog, &found, ctx.verbose);
    let outcome = if json {
        print(&report::findings_json(&issues))?;
        let (errors, warnings) = counts(&issues);
        Outcome::of(errors, warnings, deny)
    } else {
        let tail = format!(" in {} models ({} files)", found.models.len(), found.files);
        print_issues(ctx, &issues, &tail, &model_sources(&found), deny)?
    };
    found.require_readable()?;
    Ok(outcome)
}

/// Checks the models against the docs file; findings when it is missing.
pub(crate) fn compare_models_doc(ctx: &Context) -> Result<Outcome, Error> {
    let found = ctx.models()?;
    let (path, text) = ctx.read_docs()?;
    let Some(text) = text else {
        print(&format!(
            "{} does not exist: run `schema-check generate-docs` to create it\n",
            ctx.shown(&path)
        ))?;
        return Ok(Outcome::Findings);
    };
    let issues = compare::models_docs(&found.models, &text, &ctx.relative(&path))?;
    let mut sources = model_sources(&found);
    sources.insert(ctx.relative(&path).to_string_lossy().into_owned(), &text);
    print_issues(
        ctx,
        &issues,
        &format!(
            " between {} models and {}",
            found.models.len(),
            ctx.shown(&path)
        ),
        &sources,
        None,
    )
}

/// `generate-models`' options: the flags, else `pgdrift.toml`.
pub(crate) fn generate_options(
    ctx: &Context,
    derives: &[String],
    time: Option<TimeArg>,
    decimal: Option<DecimalArg>,
    insert: bool,
) -> Result<generate::Options, Error> {
    for derive in derives {
        if syn::parse_str::<syn::Path>(derive).is_err() {
            return Err(Error::Config(format!(
                "--derive {derive:?} is not a path to a derive macro (like `sqlx::FromRow`)"
            )));
        }
    }
    Ok(generate::Options {
        derives: derives.to_vec(),
        time: match time {
            None => ctx.project.time,
            Some(TimeArg::Chrono) => generate::TimeCrate::Chrono,
            Some(TimeArg::Time) => generate::TimeCrate::Time,
            Some(TimeArg::Jiff) => generate::TimeCrate::Jiff,
        },
        decimal: match decimal {
            None => ctx.project.decimal,
            Some(DecimalArg::RustDecimal) => generate::DecimalCrate::RustDecimal,
            Some(DecimalArg::Bigdecimal) => generate::DecimalCrate::Bigdecimal,
        },
        insert,
        nameable: schema_check::cfg::nameable_crates(&ctx.root),
    })
}

/// Writes the model structs of the selected relations to standard output
/// or `output`.
pub(crate) fn generate_models(
    ctx: &Context,
    selection: &Selection,
    output: Option<&Path>,
    options: generate::Options,
) -> Result<Outcome, Error> {
    let catalog = ctx.catalog()?;
    let relations = select_relations(&catalog, selection)?;
    let text = generate::generate(&catalog, &relations, &options);
    match output {
        None => print(&text)?,
        Some(path) => {
            let path = ctx.root.join(path);
            files::write_atomic(&path, text.as_bytes())?;
            print(&format!(
                "wrote {} ({} relations)\n",
                ctx.shown(&path),
                relations.len()
            ))?;
        }
    }
    Ok(Outcome::Clean)
}
