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

#![deny(missing_docs)]

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::{Serialize, Serializer};

use crate::finding::{Comparison, Finding, Level};
use crate::fix::TextEdit;

/// The version of the JSON report's shape, written as its `version` field.
pub const REPORT_VERSION: u32 = 1;

/// A finding as the JSON report writes it.
#[derive(Serialize)]
struct FindingJson<'a> {
    check: &'static str,
    kind: &'static str,
    severity: &'static str,
    schema: &'a Option<String>,
    table: &'a Option<String>,
    column: &'a Option<String>,
    model: &'a Option<String>,
    field: &'a Option<String>,
    file: Option<&'a str>,
    line: Option<usize>,
    col: Option<usize>,
    message: &'a str,
    help: &'a Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<FixJson<'a>>,
}

/// A fix as edits of one file.
#[derive(Serialize)]
struct FixJson<'a> {
    description: &'a str,
    file: &'a str,
    edits: &'a [TextEdit],
}

impl<'a> FindingJson<'a> {
    fn new(finding: &'a Finding) -> FindingJson<'a> {
        let place = finding.place.as_ref();
        FindingJson {
            check: finding.check.code(),
            kind: finding.check.comparison().code(),
            severity: finding.level.word(),
            schema: &finding.schema,
            table: &finding.table,
            column: &finding.column,
            model: &finding.model,
            field: &finding.field,
            file: place.map(|p| p.file.as_str()),
            line: place.and_then(|p| p.line),
            col: place.and_then(|p| p.col),
            message: &finding.message,
            help: &finding.help,
            fix: resolved_fix(finding),
        }
    }
}

/// The finding's fix as byte edits of its file, when it has one and its
/// file's text was at hand.
fn resolved_fix(finding: &Finding) -> Option<FixJson<'_>> {
    let (fix, place) = finding.fix.as_ref().zip(finding.place.as_ref())?;
    (!place.edits.is_empty()).then(|| FixJson {
        description: &fix.description,
        file: &place.file,
        edits: &place.edits,
    })
}

fn serialize_findings<S: Serializer>(findings: &[Finding], out: S) -> Result<S::Ok, S::Error> {
    out.collect_seq(findings.iter().map(FindingJson::new))
}

/// `findings` as a pretty-printed JSON array of the report's finding
/// objects, ending with a newline.
pub fn findings_json(findings: &[Finding]) -> String {
    let items: Vec<FindingJson> = findings.iter().map(FindingJson::new).collect();
    let mut text = serde_json::to_string_pretty(&items).expect("findings always serialise");
    text.push('\n');
    text
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
    pub by_check: BTreeMap<&'static str, usize>,
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
    #[serde(serialize_with = "serialize_findings")]
    pub findings: Vec<Finding>,
    /// The comparisons made, in the order the Markdown report lists them.
    #[serde(skip)]
    pub compared: Vec<Comparison>,
}

impl Report {
    /// A report of `findings` of the comparisons `compared`: sorts them and
    /// counts them into the summary, with `models` and `tables` as the
    /// summary's counts of models and relations.
    pub fn new(
        generated_at: String,
        source: String,
        models: usize,
        tables: usize,
        compared: Vec<Comparison>,
        mut findings: Vec<Finding>,
    ) -> Report {
        findings.sort_by(|a, b| {
            (a.table_key(), a.position(), a.check.code(), &a.message).cmp(&(
                b.table_key(),
                b.position(),
                b.check.code(),
                &b.message,
            ))
        });
        let mut summary = Summary {
            models,
            tables,
            ..Summary::default()
        };
        for finding in &findings {
            match finding.level {
                Level::Error => summary.errors += 1,
                Level::Warning => summary.warnings += 1,
                Level::Note => {}
            }
            let (check, kind) = (finding.check, finding.check.comparison());
            *summary.by_kind.entry(kind.code()).or_default() += 1;
            *summary.by_check.entry(check.code()).or_default() += 1;
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
            compared,
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
        for comparison in &self.compared {
            let count = |level| {
                self.findings
                    .iter()
                    .filter(|f| f.check.comparison() == *comparison && f.level == level)
                    .count()
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                comparison.title(),
                count(Level::Error),
                count(Level::Warning)
            );
        }
        let mut groups: BTreeMap<Option<String>, Vec<&Finding>> = BTreeMap::new();
        for finding in &self.findings {
            groups.entry(finding.table_key()).or_default().push(finding);
        }
        for (table, findings) in groups {
            let title = table.map_or_else(|| "Other".to_owned(), |t| crate::docs::code(&t));
            let _ = writeln!(out, "\n## {title}\n");
            for finding in findings {
                let place = match &finding.place {
                    Some(place) => match place.line {
                        Some(line) => {
                            format!(" {}", crate::docs::code(&format!("{}:{line}", place.file)))
                        }
                        None => format!(" {}", crate::docs::code(&place.file)),
                    },
                    None => String::new(),
                };
                let _ = write!(
                    out,
                    "- **{}** `{}`{place}: {}",
                    finding.level.word(),
                    finding.check.code(),
                    crate::docs::cell(&finding.message)
                );
                if let Some(help) = &finding.help {
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
        for finding in &self.findings {
            let check = finding.check;
            rules.entry(check.code()).or_insert_with(|| {
                serde_json::json!({
                    "id": check.code(),
                    "name": check.code(),
                    "shortDescription": {"text": check.description()},
                })
            });
        }
        let rule_ids: Vec<&str> = rules.keys().copied().collect();
        let results: Vec<serde_json::Value> = self
            .findings
            .iter()
            .map(|finding| {
                let code = finding.check.code();
                let mut text = finding.message.clone();
                if let Some(help) = &finding.help {
                    text.push_str(&format!(" (help: {help})"));
                }
                let mut result = serde_json::json!({
                    "ruleId": code,
                    "ruleIndex": rule_ids.iter().position(|r| *r == code),
                    "level": finding.level.word(),
                    "message": {"text": text},
                });
                if let Some(place) = &finding.place {
                    let mut region = serde_json::Map::new();
                    if let Some(line) = place.line {
                        region.insert("startLine".into(), line.into());
                    }
                    if let Some(col) = place.col {
                        region.insert("startColumn".into(), col.into());
                    }
                    let mut location = serde_json::json!({"artifactLocation": {"uri": place.file}});
                    if !region.is_empty() {
                        location["region"] = serde_json::Value::Object(region);
                    }
                    result["locations"] = serde_json::json!([{"physicalLocation": location}]);
                }
                if let Some(fix) = resolved_fix(finding) {
                    result["fixes"] = sarif_fix(&fix);
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
fn sarif_fix(fix: &FixJson) -> serde_json::Value {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::{Check, Place};

    fn report(findings: Vec<Finding>) -> Report {
        let compared = vec![Comparison::DbModels, Comparison::DbDoc];
        Report::new(
            "2026-12-05T00:00:00Z".into(),
            "snapshot".into(),
            1,
            2,
            compared,
            findings,
        )
    }

    fn finding(check: Check, level: Level, table: &str) -> Finding {
        Finding {
            place: Some(Place::new("docs/schema.md", Some(3))),
            schema: Some("public".into()),
            table: Some(table.into()),
            ..Finding::about(check, level, format!("{} on {table}", check.code()))
        }
    }

    #[test]
    fn every_rendering_takes_code_kind_and_description_from_the_check() {
        let report = report(vec![
            finding(Check::RequiredColumn, Level::Warning, "users"),
            finding(Check::DocsStaleSection, Level::Error, "orders"),
        ]);
        assert_eq!((report.summary.errors, report.summary.warnings), (1, 1));
        assert_eq!(report.summary.by_kind["db-doc"], 1);
        assert_eq!(report.summary.by_check["required-column"], 1);

        let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
        let first = &json["findings"][0];
        assert_eq!(first["check"], "docs-stale-section", "sorted by table");
        assert_eq!(first["kind"], "db-doc");
        assert_eq!(first["severity"], "error");
        assert_eq!(
            (&first["file"], &first["line"]),
            (&"docs/schema.md".into(), &3.into())
        );

        let sarif: serde_json::Value = serde_json::from_str(&report.to_sarif()).unwrap();
        let rules = &sarif["runs"][0]["tool"]["driver"]["rules"];
        let required = rules
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == "required-column")
            .unwrap();
        assert_eq!(
            required["shortDescription"]["text"],
            Check::RequiredColumn.description()
        );

        let markdown = report.to_markdown();
        assert!(
            markdown.contains("| Database ↔ models | 0 | 1 |"),
            "{markdown}"
        );
        assert!(
            markdown.contains("| Database ↔ docs | 1 | 0 |"),
            "{markdown}"
        );
        assert!(
            !markdown.contains("Models ↔ docs"),
            "only what was compared"
        );
    }
}
