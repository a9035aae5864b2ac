//! `fix`: applies every finding's sure fix to the model files and prints
//! the diff.

use std::path::PathBuf;

use schema_check::cfg::Cfg;
use schema_check::{compare, files, Error, TextEdit};

use crate::context::Context;
use crate::render::{print, print_issues, printable, Outcome, Sources};

/// How many times `fix` re-checks after applying fixes: a fix can make
/// another possible (a type fixed, then its `Option`).
const FIX_PASSES: usize = 4;

/// Applies the sure fixes (or, with `dry_run`, only prints their diff);
/// findings when some are left without one.
pub(crate) fn fix(ctx: &Context, dry_run: bool) -> Result<Outcome, Error> {
    let catalog = ctx.catalog()?;
    let mut texts: std::collections::BTreeMap<PathBuf, String> =
        schema_check::discover::read_model_files(&ctx.root, &ctx.project.models)?
            .into_iter()
            .collect();
    let original = texts.clone();
    let mut applied = 0;
    let mut issues;
    let mut models;
    let mut pass = 0;
    let cfg = Cfg::for_package(&ctx.root, &ctx.features)?;
    loop {
        let found = schema_check::discover::discover_texts(
            texts.iter().map(|(p, t)| (p.clone(), t.clone())).collect(),
            &cfg,
        );
        found.require_readable()?;
        models = found.models.len();
        issues = compare::db_models(&catalog, &found);
        pass += 1;
        if pass > FIX_PASSES {
            break;
        }
        let mut changed = false;
        for (file, text) in texts.iter_mut() {
            let shown = file.to_string_lossy();
            let fixes: Vec<&[TextEdit]> = issues
                .iter()
                .filter(|i| i.fix.is_some())
                .filter_map(|i| i.place.as_ref())
                .filter(|p| p.file == shown && !p.edits.is_empty())
                .map(|p| p.edits.as_slice())
                .collect();
            let (fixed, count) = apply_fixes(text, &fixes);
            if count > 0 {
                *text = fixed;
                applied += count;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
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

/// `text` with every fix applied whose edits do not touch an edit of a fix
/// applied before it, and how many were applied.
fn apply_fixes(text: &str, fixes: &[&[TextEdit]]) -> (String, usize) {
    let mut accepted: Vec<&TextEdit> = Vec::new();
    let mut count = 0;
    for edits in fixes {
        let clashes = edits.iter().any(|edit| {
            edit.end > text.len()
                || accepted.iter().any(|other| {
                    let overlap = edit.start < other.end && other.start < edit.end;
                    let inside = |a: &TextEdit, b: &TextEdit| {
                        a.start == a.end && b.start < a.start && a.start < b.end
                    };
                    overlap || inside(edit, other) || inside(other, edit)
                })
        });
        if !clashes {
            accepted.extend(edits.iter());
            count += 1;
        }
    }
    accepted.sort_by_key(|e| (e.start, e.end));
    let mut out = String::with_capacity(text.len());
    let mut position = 0;
    for edit in accepted {
        out.push_str(&text[position..edit.start]);
        out.push_str(&edit.replacement);
        position = edit.end;
    }
    out.push_str(&text[position..]);
    (out, count)
}
