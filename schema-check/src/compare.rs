//! The comparisons of a project's files: the database against the models
//! found in its source, the models against the docs, the docs against the
//! database. Each gives [`Finding`]s placed in their files; rendering them
//! is the CLI's and the report's job.

#![deny(missing_docs)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::discover::{Discovered, FoundModel};
use crate::docs::{parse_document, Section, Segment};
use crate::error::Result;
use crate::finding::{Check, Finding, Level, Place};
use crate::fix::place::place;

/// The database-against-models findings of every discovered model, as the
/// derive reports them, in source order.
pub fn db_models(catalog: &crate::catalog::Catalog, found: &Discovered) -> Vec<Finding> {
    db_models_noting(catalog, found, false)
}

/// [`db_models`], noting also for models that are not `strict` each field
/// that no check can reach when `all_notes` (the CLI's `--verbose`).
pub fn db_models_noting(
    catalog: &crate::catalog::Catalog,
    found: &Discovered,
    all_notes: bool,
) -> Vec<Finding> {
    let mut findings = found.attribute_findings.clone();
    for source in &found.models {
        let checked_by_the_build = |finding: &Finding| {
            finding.check == Check::UncheckedType
                && source
                    .model
                    .fields
                    .iter()
                    .find(|f| finding.field.as_deref() == Some(f.name().as_str()))
                    .and_then(|f| crate::types::last_segment_name(f.checked_ty()))
                    .is_some_and(|name| found.sql_types.contains(&name))
        };
        let text = found.sources.get(&source.file).map(String::as_str);
        let notes = all_notes || source.model.strict;
        for finding in crate::check::check_model_noting(&source.model, catalog, notes) {
            if !checked_by_the_build(&finding) {
                findings.push(place(finding, &source.file, text));
            }
        }
    }
    for source in &found.enums {
        let text = found.sources.get(&source.file).map(String::as_str);
        for finding in crate::custom::check_enum(&source.def, catalog) {
            findings.push(place(finding, &source.file, text));
        }
    }
    findings.sort_by(|a, b| a.position().cmp(&b.position()));
    findings
}

/// The docs' run-the-generator advice, the help of every docs finding.
const REGENERATE: &str = "run `schema-check generate-docs`";

/// Models against the docs file: tables and columns of models that the docs
/// lack, and model fields the docs name that no model maps.
pub fn models_docs(models: &[FoundModel], text: &str, docs_path: &Path) -> Result<Vec<Finding>> {
    let documented = documented_columns(&parse_document(text, docs_path)?);
    let mut findings = Vec::new();
    let mut mapped: BTreeSet<String> = BTreeSet::new();
    for found in models {
        model_against_docs(found, &documented, &mut mapped, &mut findings);
    }
    unmapped_doc_fields(&documented, &mapped, docs_path, &mut findings);
    Ok(findings)
}

/// The documented rows of each section, by marker key: its marker line and
/// its rows.
type Documented = BTreeMap<String, (usize, Vec<DocRow>)>;

/// One model against the docs: a missing section, a missing column, a
/// column whose docs do not name the field. Each mapped field goes into
/// `mapped` as "`key` `Model.field`".
fn model_against_docs(
    found: &FoundModel,
    documented: &Documented,
    mapped: &mut BTreeSet<String>,
    findings: &mut Vec<Finding>,
) {
    let FoundModel { model, file } = found;
    let key = crate::escape::marker_key(&model.schema, &model.table);
    let table_name = format!("{}.{}", model.schema, model.table);
    let at = |check: Check, ident: &syn::Ident, message: String| {
        let start = ident.span().start();
        Finding {
            place: Some(Place {
                col: Some(start.column + 1),
                ..Place::new(file.to_string_lossy(), Some(start.line))
            }),
            model: Some(model.name()),
            schema: Some(model.schema.clone()),
            table: Some(model.table.clone()),
            help: Some(REGENERATE.to_owned()),
            ..Finding::about(check, Level::Error, message)
        }
    };
    let Some((_, rows)) = documented.get(&key) else {
        findings.push(at(
            Check::DocsMissingTable,
            &model.ident,
            format!(
                "the docs have no section for table \"{table_name}\", which model `{}` maps",
                model.name()
            ),
        ));
        return;
    };
    for field in model.mapped_fields() {
        let named = crate::docs::code(&format!("{}.{}", model.name(), field.name()));
        mapped.insert(format!("{key} {named}"));
        let documented_column = crate::docs::code(&field.column);
        let message = match rows.iter().find(|(column, _)| *column == documented_column) {
            None => format!(
                "the docs of \"{table_name}\" have no column \"{}\", which `{}.{}` maps",
                field.column,
                model.name(),
                field.name()
            ),
            Some((_, fields)) if !fields.contains(&named) => format!(
                "the docs of \"{table_name}.{}\" do not name its model field `{}.{}`",
                field.column,
                model.name(),
                field.name()
            ),
            Some(_) => continue,
        };
        findings.push(Finding {
            column: Some(field.column.clone()),
            field: Some(field.name()),
            ..at(Check::DocsMissingColumn, &field.ident, message)
        });
    }
}

/// Model fields the docs name that no model maps (not in `mapped`).
fn unmapped_doc_fields(
    documented: &Documented,
    mapped: &BTreeSet<String>,
    docs_path: &Path,
    findings: &mut Vec<Finding>,
) {
    let docs_file = docs_path.to_string_lossy().into_owned();
    for (key, (line, rows)) in documented {
        for (column, fields) in rows {
            for field in fields {
                if mapped.contains(&format!("{key} {field}")) {
                    continue;
                }
                let (schema, table) = crate::docs::split_key(key);
                let plain = |code: &str| code.trim_matches('`').trim().to_owned();
                let (column, field) = (plain(column), plain(field));
                let message = format!(
                    "the docs name `{field}` for \"{schema}.{table}.{column}\", but no model maps it"
                );
                findings.push(Finding {
                    place: Some(Place::new(docs_file.clone(), Some(*line))),
                    model: field.split_once('.').map(|(m, _)| m.to_owned()),
                    field: field.split_once('.').map(|(_, f)| f.to_owned()),
                    schema: Some(schema),
                    table: Some(table),
                    column: Some(column),
                    help: Some(REGENERATE.to_owned()),
                    ..Finding::about(Check::DocsUnknownField, Level::Error, message)
                });
            }
        }
    }
}

/// The docs against the schema (what `validate` checks): sections out of
/// date, missing or extra, or no docs file at all.
pub fn docs_db(text: Option<&str>, docs_path: &Path, sections: &[Section]) -> Result<Vec<Finding>> {
    let file = docs_path.to_string_lossy().into_owned();
    let finding = |check: Check, key: &str, line: Option<usize>, message: String| {
        let (schema, table) = crate::docs::split_key(key);
        Finding {
            place: Some(Place::new(file.clone(), line)),
            schema: Some(schema),
            table: Some(table),
            help: Some(REGENERATE.to_owned()),
            ..Finding::about(check, Level::Error, message)
        }
    };
    let Some(text) = text else {
        return Ok(vec![Finding {
            place: Some(Place::new(file.clone(), None)),
            help: Some(REGENERATE.to_owned()),
            ..Finding::about(
                Check::DocsMissingFile,
                Level::Error,
                format!("{} does not exist", docs_path.display()),
            )
        }]);
    };
    let lines: BTreeMap<String, usize> = parse_document(text, docs_path)?
        .into_iter()
        .filter_map(|s| match s {
            Segment::Section { key, line, .. } => Some((key, line)),
            Segment::Text(_) => None,
        })
        .collect();
    let staleness = crate::docs::staleness(text, docs_path, sections)?;
    let mut findings = Vec::new();
    for key in &staleness.stale {
        findings.push(finding(
            Check::DocsStaleSection,
            key,
            lines.get(key).copied(),
            format!("the docs of \"{key}\" are out of date with the schema"),
        ));
    }
    for key in &staleness.missing {
        findings.push(finding(
            Check::DocsMissingSection,
            key,
            None,
            format!("the docs have no section for \"{key}\""),
        ));
    }
    for key in &staleness.extra {
        findings.push(finding(
            Check::DocsExtraSection,
            key,
            lines.get(key).copied(),
            format!("the docs have a section for \"{key}\", which the schema does not have"),
        ));
    }
    Ok(findings)
}

/// A docs row: the column and the model fields it names.
type DocRow = (String, Vec<String>);

/// The docs' column rows per section: `schema.table` → (line, rows).
fn documented_columns(segments: &[Segment]) -> Documented {
    let mut out = BTreeMap::new();
    for segment in segments {
        let Segment::Section { key, body, line } = segment else {
            continue;
        };
        let rows = body
            .lines()
            .filter(|l| {
                l.starts_with("| ") && !l.starts_with("| Column |") && !l.starts_with("| --- |")
            })
            .map(|row| {
                let cells = split_row(row);
                let column = cells.first().cloned().unwrap_or_default();
                let fields = cells
                    .get(5)
                    .map(|c| {
                        c.split(", ")
                            .map(str::trim)
                            .filter(|f| !f.is_empty())
                            .map(str::to_owned)
                            .collect()
                    })
                    .unwrap_or_default();
                (column, fields)
            })
            .collect();
        out.insert(key.clone(), (*line, rows));
    }
    out
}

/// A Markdown table row's cells (escaped pipes stay in their cell).
fn split_row(row: &str) -> Vec<String> {
    let inner = row.trim().trim_start_matches('|').trim_end_matches('|');
    let mut cells = vec![String::new()];
    let mut escaped = false;
    for c in inner.chars() {
        match c {
            '|' if !escaped => cells.push(String::new()),
            _ => cells.last_mut().expect("one cell").push(c),
        }
        escaped = c == '\\';
    }
    cells.into_iter().map(|c| c.trim().to_owned()).collect()
}
