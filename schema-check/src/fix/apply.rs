//! The `fix` passes: apply every sure fix to the model files' texts,
//! check them again, and repeat while fixes apply.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use super::TextEdit;
use crate::catalog::Catalog;
use crate::cfg::Cfg;
use crate::compare;
use crate::discover::{discover_texts, read_model_files};
use crate::error::Result;
use crate::finding::Finding;

/// How many times `fix` re-checks after applying fixes: a fix can make
/// another possible (a type fixed, then its `Option`).
const FIX_PASSES: usize = 4;

/// The model files before and after their sure fixes, and what is left.
#[derive(Debug)]
pub struct Fixed {
    /// Every model file's text as read, by path relative to the root.
    pub original: BTreeMap<PathBuf, String>,
    /// Every model file's text with the fixes applied.
    pub texts: BTreeMap<PathBuf, String>,
    /// How many fixes were applied.
    pub applied: usize,
    /// The findings of the fixed texts against the catalog.
    pub findings: Vec<Finding>,
    /// How many models the fixed texts hold.
    pub models: usize,
}

/// The model files matching `patterns` under `root` with every sure fix
/// of their findings against `catalog` applied (the files are not
/// written), their models read as a build with the package's default
/// features plus `features` compiles them.
pub fn fix_models(
    catalog: &Catalog,
    root: &Path,
    patterns: &[String],
    features: &[String],
) -> Result<Fixed> {
    let original: BTreeMap<PathBuf, String> =
        read_model_files(root, patterns)?.into_iter().collect();
    let cfg = Cfg::for_package(root, features)?;
    let crates = crate::cfg::nameable_crates(root);
    let mut texts = original.clone();
    let mut applied = 0;
    let mut pass = 0;
    loop {
        let (models, findings) = check_texts(catalog, &texts, &cfg)?;
        pass += 1;
        let count = match pass > FIX_PASSES {
            true => 0,
            false => apply_pass(&mut texts, &findings, crates.as_ref()),
        };
        if count == 0 {
            return Ok(Fixed {
                original,
                texts,
                applied,
                findings,
                models,
            });
        }
        applied += count;
    }
}

/// How many models `texts` hold, and their findings against `catalog`.
fn check_texts(
    catalog: &Catalog,
    texts: &BTreeMap<PathBuf, String>,
    cfg: &Cfg,
) -> Result<(usize, Vec<Finding>)> {
    let found = discover_texts(
        texts.iter().map(|(p, t)| (p.clone(), t.clone())).collect(),
        cfg,
    );
    found.require_readable()?;
    Ok((found.models.len(), compare::db_models(catalog, &found)))
}

/// Applies the fixes of `findings` to each of `texts`; how many applied.
/// A fix that writes a path into a crate outside `crates` (when the
/// package's crates are known) would not compile, so it is left out.
fn apply_pass(
    texts: &mut BTreeMap<PathBuf, String>,
    findings: &[Finding],
    crates: Option<&BTreeSet<String>>,
) -> usize {
    let mut applied = 0;
    for (file, text) in texts.iter_mut() {
        let shown = file.to_string_lossy();
        let fixes: Vec<&[TextEdit]> = findings
            .iter()
            .filter(|i| i.fix.is_some())
            .filter_map(|i| i.place.as_ref())
            .filter(|p| p.file == shown && !p.edits.is_empty())
            .filter(|p| crates.is_none_or(|crates| names_only(&p.edits, crates)))
            .map(|p| p.edits.as_slice())
            .collect();
        let (fixed, count) = apply_fixes(text, &fixes);
        if count > 0 {
            *text = fixed;
            applied += count;
        }
    }
    applied
}

/// Whether the code `edits` write names no crate but `crates`: the first
/// segment of each path (`sqlx` in `sqlx::postgres::types::PgLTree`). Doc
/// comments and attributes are not code that names a crate.
fn names_only(edits: &[TextEdit], crates: &BTreeSet<String>) -> bool {
    edits
        .iter()
        .flat_map(|edit| edit.replacement.lines())
        .map(str::trim_start)
        .filter(|line| !line.starts_with("//") && !line.starts_with("#["))
        .all(|line| crate::types::nameable_in(line, crates))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_named_by_its_first_segment() {
        let roots = |code| crate::types::path_roots(code).collect::<Vec<_>>();
        assert_eq!(roots("pub path: sqlx::postgres::types::PgLTree,"), ["sqlx"]);
        assert_eq!(
            roots("Option<Vec<chrono::NaiveDate>>, uuid::Uuid"),
            ["chrono", "uuid"]
        );
        assert_eq!(roots("::std::string::String"), ["std"]);
        assert!(roots("Option<i64>").is_empty());
        assert!(roots("<T as pgdrift::SqlType>::SQL_TYPE").contains(&"pgdrift"));
    }

    #[test]
    fn a_fix_naming_a_crate_the_package_lacks_is_left_out() {
        let crates: BTreeSet<String> = ["std", "chrono"].map(str::to_owned).into();
        let edit = |text: &str| TextEdit {
            start: 0,
            end: 0,
            replacement: text.to_owned(),
        };
        assert!(names_only(
            &[edit("    pub at: chrono::NaiveDate,\n")],
            &crates
        ));
        assert!(!names_only(
            &[edit("    pub path: sqlx::postgres::types::PgLTree,\n")],
            &crates
        ));
        assert!(names_only(
            &[edit(
                "    /// see a::b\n    #[pgdrift(column = \"x::y\")]\n    pub x: i64,\n"
            )],
            &crates
        ));
    }
}
