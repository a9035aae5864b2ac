//! Reports: the findings of every comparison as JSON, Markdown and SARIF.
//!
//! The JSON shape is versioned ([`REPORT_VERSION`]):
//!
//! ```json
//! {
//!   "version": 1,
//!   "tool": {"name": "pgdrift", "version": "0.1.0"},
//!   "generated_at": "2026-11-25T09:00:00Z",
//!   "source": "postgres://app:***@db/app",
//!   "summary": {"errors": 1, "warnings": 0, "models": 8, "tables": 9,
//!               "by_kind": {"db-models": 1}, "by_check": {"missing-column": 1}},
//!   "findings": [{"check": "missing-column", "kind": "db-models", "severity": "error",
//!                 "schema": "public", "table": "users", "column": "pw_hash",
//!                 "model": "User", "field": "pw_hash", "file": "src/models.rs",
//!                 "line": 12, "col": 9, "message": "…", "help": "…"}]
//! }
//! ```
//!
//! `kind` is the comparison (`db-models`: database against models,
//! `models-doc`: models against the docs, `db-doc`: database against the
//! docs); `check` the rule within it.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;

use serde::Serialize;

use crate::discover::{resolve_fix, Discovered, SourceFinding, SourceModel, TextEdit};
use crate::docs::{parse_document, Section, Segment};
use crate::error::Result;
use crate::finding::Level;

/// The version of the JSON report's shape, written as its `version` field.
pub const REPORT_VERSION: u32 = 1;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// A problem that counts as drift; counted in the summary's `errors`.
    Error,
    /// A problem that does not count as drift; counted in the summary's
    /// `warnings`.
    Warning,
}

/// One finding of any comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issue {
    /// The rule that found it, e.g. `missing-column`.
    pub check: String,
    /// The comparison that found it: `db-models`, `models-doc` or `db-doc`.
    pub kind: &'static str,
    /// Whether it is an error or a warning.
    pub severity: Severity,
    /// The schema of the table it is about; `None` when not about a table.
    pub schema: Option<String>,
    /// The table it is about; `None` when not about a table.
    pub table: Option<String>,
    /// The column it is about; `None` when not about one column.
    pub column: Option<String>,
    /// The name of the model struct it is about; `None` when not about a model.
    pub model: Option<String>,
    /// The model field it is about; `None` when not about one field.
    pub field: Option<String>,
    /// The file it points at, a model's source file or the docs file.
    pub file: Option<String>,
    /// The 1-based line in `file`; `None` when no line is known.
    pub line: Option<usize>,
    /// The 1-based column in `line`, in characters; `None` when not known.
    pub col: Option<usize>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it, when there is advice to give.
    pub help: Option<String>,
    /// The one sure fix, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<IssueFix>,
    /// The bytes of `file` the issue is about, for showing the source.
    #[serde(skip)]
    pub span: Option<std::ops::Range<usize>>,
}

/// A fix as edits of one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IssueFix {
    /// What the fix does, in words.
    pub description: String,
    /// The file the edits apply to.
    pub file: String,
    /// The edits, as byte ranges of `file` and their replacements, in file
    /// order.
    pub edits: Vec<TextEdit>,
}

impl Issue {
    /// A finding of the database-against-models check, at its source
    /// position; `source` is the file's text, for its fix.
    pub fn from_source(found: &SourceFinding, source: Option<&str>) -> Issue {
        let f = &found.finding;
        let file = found.file.to_string_lossy().into_owned();
        let fix = f.fix.as_ref().zip(source).map(|(fix, source)| IssueFix {
            description: fix.description.clone(),
            file: file.clone(),
            edits: resolve_fix(fix, source),
        });
        let (line, col) = found.position();
        Issue {
            check: f.check.code().to_owned(),
            kind: "db-models",
            severity: match f.level {
                Level::Error => Severity::Error,
                Level::Warning => Severity::Warning,
            },
            schema: f.schema.clone(),
            table: f.table.clone(),
            column: f.column.clone(),
            model: Some(f.model.clone()),
            field: f.field.clone(),
            file: Some(file),
            line: Some(line),
            col: Some(col),
            message: f.message.clone(),
            help: f.help.clone(),
            fix,
            span: source.map(|text| crate::discover::span_range(f.span, f.end, text)),
        }
    }

    /// `schema.table`, when the issue is about one.
    pub fn table_key(&self) -> Option<String> {
        Some(format!(
            "{}.{}",
            self.schema.as_ref()?,
            self.table.as_ref()?
        ))
    }

    /// `file:line:col: severity: message`, as rustc prints diagnostics.
    pub fn to_diagnostic(&self) -> String {
        let mut out = String::new();
        match (&self.file, self.line, self.col) {
            (Some(file), Some(line), Some(col)) => {
                let _ = write!(out, "{file}:{line}:{col}: ");
            }
            (Some(file), Some(line), None) => {
                let _ = write!(out, "{file}:{line}: ");
            }
            (Some(file), None, _) => {
                let _ = write!(out, "{file}: ");
            }
            _ => {}
        }
        let _ = write!(out, "{}: {}", self.severity_word(), self.message);
        if let Some(help) = &self.help {
            let _ = write!(out, "\n    help: {help}");
        }
        crate::escape::terminal(&out).into_owned()
    }

    fn severity_word(&self) -> &'static str {
        match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// The program that wrote a report.
#[derive(Debug, Clone, Serialize)]
pub struct Tool {
    /// The program's name, `pgdrift`.
    pub name: &'static str,
    /// The program's version.
    pub version: &'static str,
}

/// Counts over a report's findings.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// How many findings are errors.
    pub errors: usize,
    /// How many findings are warnings.
    pub warnings: usize,
    /// How many models the model paths hold.
    pub models: usize,
    /// How many relations the catalog holds (tables, views and the other
    /// kinds, partitions not counted).
    pub tables: usize,
    /// How many findings each comparison (`kind`) made; kinds without
    /// findings are absent.
    pub by_kind: BTreeMap<&'static str, usize>,
    /// How many findings each rule (`check`) made; rules without findings are
    /// absent.
    pub by_check: BTreeMap<String, usize>,
}

/// Everything one `report` run found.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// The version of the report's shape, [`REPORT_VERSION`].
    pub version: u32,
    /// The program that wrote the report.
    pub tool: Tool,
    /// When the report was made, as the caller gave it (RFC 3339, e.g.
    /// `2026-11-25T09:00:00Z`).
    pub generated_at: String,
    /// Where the schema came from, URL redacted.
    pub source: String,
    /// The counts over `findings`.
    pub summary: Summary,
    /// Every finding, sorted by table, file, line, column, check and message.
    pub findings: Vec<Issue>,
}

impl Report {
    /// A report of `findings`: sorts them and counts them into the summary,
    /// with `models` and `tables` as the summary's counts of models and
    /// relations.
    pub fn new(
        generated_at: String,
        source: String,
        models: usize,
        tables: usize,
        mut findings: Vec<Issue>,
    ) -> Report {
        findings.sort_by(|a, b| {
            (a.table_key(), &a.file, a.line, a.col, &a.check, &a.message).cmp(&(
                b.table_key(),
                &b.file,
                b.line,
                b.col,
                &b.check,
                &b.message,
            ))
        });
        let mut summary = Summary {
            models,
            tables,
            ..Summary::default()
        };
        for issue in &findings {
            match issue.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
            }
            *summary.by_kind.entry(issue.kind).or_default() += 1;
            *summary.by_check.entry(issue.check.clone()).or_default() += 1;
        }
        Report {
            version: REPORT_VERSION,
            tool: Tool {
                name: "pgdrift",
                version: env!("CARGO_PKG_VERSION"),
            },
            generated_at,
            source,
            summary,
            findings,
        }
    }

    /// The report as pretty-printed JSON, ending with a newline.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("a report always serialises");
        text.push('\n');
        text
    }

    /// Summary first, then the findings grouped by table.
    pub fn to_markdown(&self) -> String {
        let mut out = String::from("# pgdrift report\n\n");
        let _ = writeln!(
            out,
            "Schema from {} · {} · pgdrift {}\n",
            self.source, self.generated_at, self.tool.version
        );
        let verdict = if self.summary.errors == 0 {
            "✅ No errors"
        } else {
            "❌ Drift found"
        };
        let _ = writeln!(
            out,
            "{verdict}: {} errors, {} warnings across {} models and {} tables.\n",
            self.summary.errors, self.summary.warnings, self.summary.models, self.summary.tables
        );
        out.push_str("| Comparison | Errors | Warnings |\n| --- | --- | --- |\n");
        for (kind, title) in KINDS {
            let count = |severity| {
                self.findings
                    .iter()
                    .filter(|i| i.kind == kind && i.severity == severity)
                    .count()
            };
            let _ = writeln!(
                out,
                "| {title} | {} | {} |",
                count(Severity::Error),
                count(Severity::Warning)
            );
        }
        let mut groups: BTreeMap<Option<String>, Vec<&Issue>> = BTreeMap::new();
        for issue in &self.findings {
            groups.entry(issue.table_key()).or_default().push(issue);
        }
        for (table, issues) in groups {
            let title = table.map_or_else(|| "Other".to_owned(), |t| crate::docs::code(&t));
            let _ = writeln!(out, "\n## {title}\n");
            for issue in issues {
                let place = match (&issue.file, issue.line) {
                    (Some(file), Some(line)) => {
                        format!(" {}", crate::docs::code(&format!("{file}:{line}")))
                    }
                    (Some(file), None) => format!(" {}", crate::docs::code(file)),
                    _ => String::new(),
                };
                let _ = write!(
                    out,
                    "- **{}** `{}`{place}: {}",
                    issue.severity_word(),
                    issue.check,
                    crate::docs::cell(&issue.message)
                );
                if let Some(help) = &issue.help {
                    let _ = write!(out, " — {}", crate::docs::cell(help));
                }
                out.push('\n');
            }
        }
        out
    }

    /// SARIF 2.1.0, so code scanning annotates the model lines.
    pub fn to_sarif(&self) -> String {
        let mut rules: BTreeMap<&str, serde_json::Value> = BTreeMap::new();
        for issue in &self.findings {
            rules.entry(issue.check.as_str()).or_insert_with(|| {
                serde_json::json!({
                    "id": issue.check,
                    "name": issue.check,
                    "shortDescription": {"text": rule_description(&issue.check)},
                })
            });
        }
        let rule_ids: Vec<&str> = rules.keys().copied().collect();
        let results: Vec<serde_json::Value> = self
            .findings
            .iter()
            .map(|issue| {
                let mut text = issue.message.clone();
                if let Some(help) = &issue.help {
                    text.push_str(&format!(" (help: {help})"));
                }
                let mut result = serde_json::json!({
                    "ruleId": issue.check,
                    "ruleIndex": rule_ids.iter().position(|r| *r == issue.check),
                    "level": issue.severity_word(),
                    "message": {"text": text},
                });
                if let Some(file) = &issue.file {
                    let mut region = serde_json::Map::new();
                    if let Some(line) = issue.line {
                        region.insert("startLine".into(), line.into());
                    }
                    if let Some(col) = issue.col {
                        region.insert("startColumn".into(), col.into());
                    }
                    let mut location = serde_json::json!({"artifactLocation": {"uri": file}});
                    if !region.is_empty() {
                        location["region"] = serde_json::Value::Object(region);
                    }
                    result["locations"] = serde_json::json!([{"physicalLocation": location}]);
                }
                if let Some(fix) = &issue.fix {
                    result["fixes"] = sarif_fix(fix);
                }
                result
            })
            .collect();
        let sarif = serde_json::json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {
                    "name": "pgdrift",
                    "version": self.tool.version,
                    "rules": rules.into_values().collect::<Vec<_>>(),
                }},
                "results": results,
            }],
        });
        let mut text = serde_json::to_string_pretty(&sarif).expect("SARIF always serialises");
        text.push('\n');
        text
    }
}

/// A fix as SARIF `fixes`: one artifact change of byte-range replacements.
fn sarif_fix(fix: &IssueFix) -> serde_json::Value {
    let replacements: Vec<serde_json::Value> = fix
        .edits
        .iter()
        .map(|edit| {
            serde_json::json!({
                "deletedRegion": {"byteOffset": edit.start, "byteLength": edit.end - edit.start},
                "insertedContent": {"text": edit.replacement},
            })
        })
        .collect();
    serde_json::json!([{
        "description": {"text": fix.description},
        "artifactChanges": [{
            "artifactLocation": {"uri": fix.file},
            "replacements": replacements,
        }],
    }])
}

const KINDS: [(&str, &str); 3] = [
    ("db-models", "Database ↔ models"),
    ("models-doc", "Models ↔ docs"),
    ("db-doc", "Database ↔ docs"),
];

fn rule_description(check: &str) -> &'static str {
    match check {
        "attribute" => "A #[pgdrift(...)] attribute is malformed or unknown",
        "missing-table" => "The model's table or view does not exist",
        "missing-column" => "A field's column does not exist",
        "duplicate-column" => "Two fields map the same column",
        "type-mismatch" => "A field's Rust type does not fit its column's type",
        "sql-type-mismatch" => "A declared sql_type does not match the column",
        "nullable-without-option" => "A nullable column's field is not an Option",
        "option-on-not-null" => "A NOT NULL column's field is an Option",
        "unchecked-type" => "A strict model's field type cannot be checked",
        "uncovered-columns" => "Columns that no field of a non-partial model maps",
        "missing-enum-type" => "A Rust enum's PostgreSQL enum type does not exist",
        "enum-labels" => "A Rust enum's labels differ from its PostgreSQL enum's",
        "docs-stale-section" => "A docs section differs from the schema",
        "docs-missing-section" => "The docs lack a section for a table or type",
        "docs-extra-section" => "The docs have a section for something the schema lacks",
        "docs-missing-file" => "The docs file does not exist",
        "docs-missing-table" => "The docs lack a model's table",
        "docs-missing-column" => "The docs lack a model's column",
        "docs-unknown-field" => "The docs name a model field no model maps",
        _ => "pgdrift check",
    }
}

/// The database-against-models findings of every discovered model, as the
/// derive reports them, in source order.
pub fn db_model_issues(catalog: &crate::Catalog, found: &Discovered) -> Vec<Issue> {
    let mut issues: Vec<Issue> = found
        .attribute_findings
        .iter()
        .map(|f| Issue::from_source(f, None))
        .collect();
    for source in &found.models {
        let checked_by_the_build = |finding: &crate::Finding| {
            finding.check == crate::Check::UncheckedType
                && source
                    .model
                    .fields
                    .iter()
                    .find(|f| finding.field.as_deref() == Some(f.name().as_str()))
                    .and_then(|f| crate::types::last_segment_name(&f.ty))
                    .is_some_and(|name| found.sql_types.contains(&name))
        };
        for finding in crate::check_model(&source.model, catalog) {
            if checked_by_the_build(&finding) {
                continue;
            }
            let text = found.sources.get(&source.file).map(String::as_str);
            issues.push(Issue::from_source(
                &SourceFinding {
                    file: source.file.clone(),
                    finding,
                },
                text,
            ));
        }
    }
    for source in &found.enums {
        for finding in crate::custom::check_enum(&source.def, catalog) {
            let text = found.sources.get(&source.file).map(String::as_str);
            issues.push(Issue::from_source(
                &SourceFinding {
                    file: source.file.clone(),
                    finding,
                },
                text,
            ));
        }
    }
    issues.sort_by(|a, b| (&a.file, a.line, a.col).cmp(&(&b.file, b.line, b.col)));
    issues
}

/// A docs row: the column and the model fields it names.
type DocRow = (String, Vec<String>);

/// The docs' column rows per section: `schema.table` → (line, rows).
fn documented_columns(segments: &[Segment]) -> BTreeMap<String, (usize, Vec<DocRow>)> {
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

/// Models against the docs file: tables and columns of models that the docs
/// lack, and model fields the docs name that no model maps.
pub fn models_vs_docs(models: &[SourceModel], text: &str, docs_path: &Path) -> Result<Vec<Issue>> {
    let documented = documented_columns(&parse_document(text, docs_path)?);
    let file = Some(docs_path.to_string_lossy().into_owned());
    let mut issues = Vec::new();
    let mut mapped: BTreeMap<String, (String, String, String, String)> = BTreeMap::new();
    for SourceModel {
        model,
        file: model_file,
    } in models
    {
        let key = crate::escape::marker_key(&model.schema, &model.table);
        let table_name = format!("{}.{}", model.schema, model.table);
        let base = Issue {
            check: String::new(),
            kind: "models-doc",
            severity: Severity::Error,
            schema: Some(model.schema.clone()),
            table: Some(model.table.clone()),
            column: None,
            model: Some(model.name()),
            field: None,
            file: Some(model_file.to_string_lossy().into_owned()),
            line: Some(model.ident.span().start().line),
            col: Some(model.ident.span().start().column + 1),
            message: String::new(),
            help: Some("run `schema-check generate-docs`".to_owned()),
            fix: None,
            span: None,
        };
        let Some((_, rows)) = documented.get(&key) else {
            issues.push(Issue {
                check: "docs-missing-table".into(),
                message: format!(
                    "the docs have no section for table \"{table_name}\", which model `{}` maps",
                    model.name()
                ),
                ..base
            });
            continue;
        };
        for field in model.mapped_fields() {
            mapped.insert(
                format!(
                    "{key} {}",
                    crate::docs::code(&format!("{}.{}", model.name(), field.name()))
                ),
                (
                    model.schema.clone(),
                    model.table.clone(),
                    field.column.clone(),
                    field.name(),
                ),
            );
            let documented_column = crate::docs::code(&field.column);
            let row = rows.iter().find(|(column, _)| *column == documented_column);
            let start = field.ident.span().start();
            let at = |mut issue: Issue| {
                issue.column = Some(field.column.clone());
                issue.field = Some(field.name());
                issue.line = Some(start.line);
                issue.col = Some(start.column + 1);
                issue
            };
            match row {
                None => issues.push(at(Issue {
                    check: "docs-missing-column".into(),
                    message: format!(
                        "the docs of \"{table_name}\" have no column \"{}\", which `{}.{}` maps",
                        field.column,
                        model.name(),
                        field.name()
                    ),
                    ..base.clone()
                })),
                Some((_, fields))
                    if !fields.contains(&crate::docs::code(&format!(
                        "{}.{}",
                        model.name(),
                        field.name()
                    ))) =>
                {
                    issues.push(at(Issue {
                        check: "docs-missing-column".into(),
                        message: format!(
                            "the docs of \"{table_name}.{}\" do not name its model field `{}.{}`",
                            field.column,
                            model.name(),
                            field.name()
                        ),
                        ..base.clone()
                    }))
                }
                Some(_) => {}
            }
        }
    }
    for (key, (line, rows)) in &documented {
        for (column, fields) in rows {
            for field in fields {
                if !mapped.contains_key(&format!("{key} {field}")) {
                    let (schema, table) = crate::docs::split_key(key);
                    let plain = |code: &str| code.trim_matches('`').trim().to_owned();
                    let (column, field) = (plain(column), plain(field));
                    issues.push(Issue {
                        check: "docs-unknown-field".into(),
                        kind: "models-doc",
                        severity: Severity::Error,
                        message: format!(
                            "the docs name `{field}` for \"{schema}.{table}.{column}\", but no model maps it"
                        ),
                        schema: Some(schema),
                        table: Some(table),
                        column: Some(column),
                        model: field.split_once('.').map(|(m, _)| m.to_owned()),
                        field: field.split_once('.').map(|(_, f)| f.to_owned()),
                        file: file.clone(),
                        line: Some(*line),
                        col: None,
                        help: Some("run `schema-check generate-docs`".to_owned()),
                        fix: None,
                        span: None,
                    });
                }
            }
        }
    }
    Ok(issues)
}

/// The docs against the schema (what `validate` checks), as issues.
pub fn docs_vs_schema(
    text: Option<&str>,
    docs_path: &Path,
    sections: &[Section],
) -> Result<Vec<Issue>> {
    let file = Some(docs_path.to_string_lossy().into_owned());
    let issue = |check: &str, key: &str, line: Option<usize>, message: String| {
        let (schema, table) = crate::docs::split_key(key);
        Issue {
            check: check.to_owned(),
            kind: "db-doc",
            severity: Severity::Error,
            schema: Some(schema),
            table: Some(table),
            column: None,
            model: None,
            field: None,
            file: file.clone(),
            line,
            col: None,
            message,
            help: Some("run `schema-check generate-docs`".to_owned()),
            fix: None,
            span: None,
        }
    };
    let Some(text) = text else {
        return Ok(vec![Issue {
            schema: None,
            table: None,
            ..issue(
                "docs-missing-file",
                "",
                None,
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
    let mut issues = Vec::new();
    for key in &staleness.stale {
        issues.push(issue(
            "docs-stale-section",
            key,
            lines.get(key).copied(),
            format!("the docs of \"{key}\" are out of date with the schema"),
        ));
    }
    for key in &staleness.missing {
        issues.push(issue(
            "docs-missing-section",
            key,
            None,
            format!("the docs have no section for \"{key}\""),
        ));
    }
    for key in &staleness.extra {
        issues.push(issue(
            "docs-extra-section",
            key,
            lines.get(key).copied(),
            format!("the docs have a section for \"{key}\", which the schema does not have"),
        ));
    }
    Ok(issues)
}
