//! `fix`: applies every finding's sure fix to the model files and prints
//! the diff.

use schema_check::{files, Error};

use crate::context::Context;
use crate::render::{print, print_issues, printable, Outcome, Sources};

/// Applies the sure fixes (or, with `dry_run`, only prints their diff);
/// findings when some are left without one.
pub(crate) fn fix(ctx: &Context, dry_run: bool) -> Result<Outcome, Error> {
    let catalog = ctx.catalog()?;
    let schema_check::fix::apply::Fixed {
        original,
        texts,
        applied,
        findings: issues,
        models,
    } = schema_check::fix::apply::fix_models(
        &catalog,
        &ctx.root,
        &ctx.project.models,
        &ctx.features,
    )?;
    let mut out = String::new();
    let mut files_changed = 0;
    for (file, text) in &texts {
        let before = &original[file];
        if before == text {
            continue;
        }
        files_changed += 1;
        let shown = file.to_string_lossy();
        let diff = similar::TextDiff::from_lines(before.as_str(), text.as_str())
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{shown}"), &format!("b/{shown}"))
            .to_string();
        out.push_str(&printable(&diff));
        if !dry_run {
            files::write_atomic(&ctx.root.join(file), text.as_bytes())?;
        }
    }
    let verb = if dry_run { "would fix" } else { "fixed" };
    out.push_str(&format!(
        "{verb} {applied} {} in {files_changed} {}\n",
        if applied == 1 { "finding" } else { "findings" },
        if files_changed == 1 { "file" } else { "files" },
    ));
    if issues.is_empty() {
        print(&out)?;
        return Ok(Outcome::Clean);
    }
    out.push_str("\nfindings without a sure fix:\n\n");
    print(&out)?;
    let sources: Sources = texts
        .iter()
        .map(|(path, text)| (path.to_string_lossy().into_owned(), text.as_str()))
        .collect();
    print_issues(
        ctx,
        &issues,
        &format!(" left in {models} models"),
        &sources,
        None,
    )?;
    Ok(Outcome::Findings)
}
