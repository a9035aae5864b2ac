//! `introspect` prints the schema; `snapshot` writes it to the snapshot
//! file (or, with `--check`, says whether that file is current).

use schema_check::{snapshot, Error};

use crate::context::Context;
use crate::render::{print, write_stdout, Outcome};
use crate::select::only_relation;

/// Prints the schema (or the `table` only) as text or as snapshot JSON.
pub(crate) fn introspect(ctx: &Context, table: Option<&str>, json: bool) -> Result<Outcome, Error> {
    let mut catalog = ctx.catalog_around_locks()?;
    if let Some(name) = table {
        catalog = only_relation(catalog, name)?;
    }
    if json {
        write_stdout(|out| snapshot::write(&mut *out, &catalog))?;
    } else {
        print(&schema_check::catalog_text::render(&catalog))?;
    }
    // The process ends now: leave the catalog's many small allocations to
    // the operating system rather than freeing them one by one.
    std::mem::forget(catalog);
    Ok(Outcome::Clean)
}

/// Writes the snapshot from the live database; with `check`, writes
/// nothing and reports whether the file is current.
pub(crate) fn snapshot(ctx: &Context, check: bool) -> Result<Outcome, Error> {
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
