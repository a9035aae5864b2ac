//! `database_schema.md`: the schema as Markdown, one marker-delimited section
//! per table or view (SPEC §5).
//!
//! [`relation_section`] is the one renderer of a table's section: the docs
//! file, the derive's `SCHEMA_DOC` and the build's doc fragments all call it,
//! so they agree byte for byte.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write;
use std::path::Path;

use crate::catalog::{Catalog, Column, Domain, EnumType, Identity, Relation};
use crate::error::{Error, Result};
use crate::model::ModelDef;

/// A model as the docs show it: which field maps which column.
#[derive(Debug, Clone)]
pub struct DocModel {
    pub name: String,
    pub fields: Vec<DocField>,
}

#[derive(Debug, Clone)]
pub struct DocField {
    pub column: String,
    pub field: String,
    pub doc: Option<String>,
}

impl From<&ModelDef> for DocModel {
    fn from(model: &ModelDef) -> DocModel {
        DocModel {
            name: model.name(),
            fields: model
                .mapped_fields()
                .map(|f| DocField {
                    column: f.column.clone(),
                    field: f.name(),
                    doc: f.doc.clone(),
                })
                .collect(),
        }
    }
}

/// The models of each table, by `(schema, table)`, sorted by struct name.
pub fn models_by_table<'a>(
    models: impl IntoIterator<Item = &'a ModelDef>,
) -> HashMap<(String, String), Vec<DocModel>> {
    let mut by_table: HashMap<(String, String), Vec<DocModel>> = HashMap::new();
    for model in models {
        by_table
            .entry((model.schema.clone(), model.table.clone()))
            .or_default()
            .push(DocModel::from(model));
    }
    for models in by_table.values_mut() {
        models.sort_by(|a, b| a.name.cmp(&b.name));
    }
    by_table
}

/// One marker-delimited section: its key (`schema.name`) and its body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub key: String,
    pub body: String,
}

/// Every section the docs hold for `catalog`, in catalog order: each
/// schema's relations, then its enums and domains.
pub fn sections(
    catalog: &Catalog,
    models: &HashMap<(String, String), Vec<DocModel>>,
) -> Vec<Section> {
    let mut out = Vec::new();
    for schema in &catalog.schemas {
        let key = |name: &str| format!("{}.{name}", schema.name);
        for relation in &schema.relations {
            let of_table = models
                .get(&(schema.name.clone(), relation.name.clone()))
                .map(Vec::as_slice)
                .unwrap_or_default();
            out.push(Section {
                key: key(&relation.name),
                body: relation_section(&schema.name, relation, of_table),
            });
        }
        for e in &schema.enums {
            out.push(Section {
                key: key(&e.name),
                body: enum_section(&schema.name, e),
            });
        }
        for d in &schema.domains {
            out.push(Section {
                key: key(&d.name),
                body: domain_section(&schema.name, d),
            });
        }
    }
    out
}

/// Orders sections as [`sections`] makes them: by schema; relations, then
/// enums, then domains; by name.
pub fn sort_like_catalog(sections: &mut [Section]) {
    let order = |s: &Section| {
        let (schema, name) = s.key.split_once('.').unwrap_or(("", s.key.as_str()));
        let kind = if s.body.starts_with("### Enum ") {
            1
        } else if s.body.starts_with("### Domain ") {
            2
        } else {
            0
        };
        (schema.to_owned(), kind, name.to_owned())
    };
    sections.sort_by_key(order);
}

fn enum_section(schema: &str, e: &EnumType) -> String {
    let mut out = format!("### Enum {}\n\n", code(&format!("{schema}.{}", e.name)));
    if let Some(comment) = &e.comment {
        let _ = writeln!(out, "{}\n", comment.trim());
    }
    let labels: Vec<String> = e.labels.iter().map(|l| code(l)).collect();
    let _ = writeln!(out, "Labels, in order: {}", labels.join(", "));
    out
}

fn domain_section(schema: &str, d: &Domain) -> String {
    let mut out = format!("### Domain {}\n\n", code(&format!("{schema}.{}", d.name)));
    if let Some(comment) = &d.comment {
        let _ = writeln!(out, "{}\n", comment.trim());
    }
    let _ = write!(
        out,
        "Base type {}, {}",
        code(&d.data_type),
        if d.not_null { "not null" } else { "nullable" }
    );
    if let Some(default) = &d.default {
        let _ = write!(out, ", default {}", code(default));
    }
    out.push('\n');
    let checks: Vec<String> = d
        .checks
        .iter()
        .map(|c| format!("- {}: {}", code(&c.name), code(&c.definition)))
        .collect();
    list(&mut out, "Checks", &checks);
    out
}

/// The start of a new docs file.
pub const HEADER: &str = "# Database schema

Generated from the database by `schema-check generate-docs`. Write freely
outside the `pgdrift:begin` / `pgdrift:end` markers: that text is kept.
Everything between them is rewritten from the schema on every run.
";

/// A docs file split into the user's text and pgdrift's sections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Text(String),
    Section {
        key: String,
        body: String,
        line: usize,
    },
}

const BEGIN: &str = "<!-- pgdrift:begin ";
const END: &str = "<!-- pgdrift:end ";

/// Splits a docs file at its markers; unbalanced, nested, duplicated or
/// garbled markers are an error naming the line.
pub fn parse_document(text: &str, path: &Path) -> Result<Vec<Segment>> {
    let fail = |line: usize, what: String| {
        Error::Config(format!(
            "{} line {line}: {what}; fix the markers by hand (pgdrift never overwrites a file it cannot read)",
            path.display()
        ))
    };
    let mut segments = Vec::new();
    let mut text_run = String::new();
    let mut open: Option<(String, usize, String)> = None;
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let number = i + 1;
        let trimmed = line.trim();
        let marker = |prefix: &str| {
            trimmed
                .strip_prefix(prefix)
                .and_then(|rest| rest.strip_suffix("-->"))
                .map(|key| key.trim().to_owned())
                .filter(|key| !key.is_empty() && !key.contains(char::is_whitespace))
        };
        if let Some(key) = marker(BEGIN) {
            if let Some((open_key, open_line, _)) = &open {
                return Err(fail(number, format!("`pgdrift:begin {key}` inside section `{open_key}` opened at line {open_line}, which has no `pgdrift:end`")));
            }
            if let Some(first) = seen.insert(key.clone(), number) {
                return Err(fail(
                    number,
                    format!("section `{key}` appears twice (first at line {first})"),
                ));
            }
            segments.push(Segment::Text(std::mem::take(&mut text_run)));
            open = Some((key, number, String::new()));
        } else if let Some(key) = marker(END) {
            match open.take() {
                Some((open_key, open_line, body)) if open_key == key => segments.push(Segment::Section {
                    key,
                    body,
                    line: open_line,
                }),
                Some((open_key, open_line, _)) => {
                    return Err(fail(number, format!("`pgdrift:end {key}` closes section `{open_key}` opened at line {open_line}")))
                }
                None => return Err(fail(number, format!("`pgdrift:end {key}` has no `pgdrift:begin {key}` before it"))),
            }
        } else if trimmed.contains("<!-- pgdrift:") {
            return Err(fail(number, format!("malformed marker {trimmed:?}: write `<!-- pgdrift:begin schema.name -->` or `<!-- pgdrift:end schema.name -->`")));
        } else {
            match &mut open {
                Some((_, _, body)) => body.push_str(line),
                None => text_run.push_str(line),
            }
        }
    }
    if let Some((key, line, _)) = open {
        return Err(fail(
            line,
            format!("section `{key}` is never closed with `pgdrift:end {key}`"),
        ));
    }
    segments.push(Segment::Text(text_run));
    Ok(segments)
}

fn fragment(out: &mut String, section: &Section) {
    let _ = write!(
        out,
        "{BEGIN}{} -->\n{}{END}{} -->\n",
        section.key, section.body, section.key
    );
}

/// The docs file with `sections`: the existing file's text kept, its sections
/// rewritten, dropped relations' sections removed, new ones appended.
pub fn render_document(
    existing: Option<&str>,
    path: &Path,
    sections: &[Section],
) -> Result<String> {
    let segments = parse_document(existing.unwrap_or(HEADER), path)?;
    let wanted: HashMap<&str, &Section> = sections.iter().map(|s| (s.key.as_str(), s)).collect();
    let mut written = HashSet::new();
    let mut out = String::new();
    let mut dropped = false;
    for segment in &segments {
        match segment {
            Segment::Text(text) => {
                let text = if dropped {
                    text.strip_prefix('\n').unwrap_or(text)
                } else {
                    text
                };
                out.push_str(text);
                dropped = false;
            }
            Segment::Section { key, .. } => match wanted.get(key.as_str()) {
                Some(section) => {
                    fragment(&mut out, section);
                    written.insert(key.as_str());
                }
                None => dropped = true,
            },
        }
    }
    for section in sections
        .iter()
        .filter(|s| !written.contains(s.key.as_str()))
    {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        out.push('\n');
        fragment(&mut out, section);
    }
    Ok(out)
}

/// How the docs differ from what `render_document` would write now.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Staleness {
    /// In both, with other content.
    pub stale: Vec<String>,
    /// In the schema, not in the docs.
    pub missing: Vec<String>,
    /// In the docs, not in the schema.
    pub extra: Vec<String>,
}

impl Staleness {
    pub fn is_clean(&self) -> bool {
        self.stale.is_empty() && self.missing.is_empty() && self.extra.is_empty()
    }
}

/// Compares the docs' sections with `sections`.
pub fn staleness(existing: &str, path: &Path, sections: &[Section]) -> Result<Staleness> {
    let mut have: BTreeMap<String, String> = BTreeMap::new();
    for segment in parse_document(existing, path)? {
        if let Segment::Section { key, body, .. } = segment {
            have.insert(key, body);
        }
    }
    let mut result = Staleness::default();
    for section in sections {
        match have.remove(&section.key) {
            None => result.missing.push(section.key.clone()),
            Some(body) if body != section.body => result.stale.push(section.key.clone()),
            Some(_) => {}
        }
    }
    result.extra = have.into_keys().collect();
    Ok(result)
}

/// `<!-- pgdrift:begin schema.table -->`
pub fn begin_marker(schema: &str, table: &str) -> String {
    format!("<!-- pgdrift:begin {schema}.{table} -->")
}

/// `<!-- pgdrift:end schema.table -->`
pub fn end_marker(schema: &str, table: &str) -> String {
    format!("<!-- pgdrift:end {schema}.{table} -->")
}

/// The section of one relation (what goes between its markers), with the
/// fields of `models` that map its columns.
pub fn relation_section(schema: &str, relation: &Relation, models: &[DocModel]) -> String {
    let mut out = String::new();
    let kind = relation.kind.describe();
    let mut title = kind.to_owned();
    title[..1].make_ascii_uppercase();
    let _ = writeln!(
        out,
        "### {title} {}\n",
        code(&format!("{schema}.{}", relation.name))
    );
    if let Some(comment) = &relation.comment {
        let _ = writeln!(out, "{}\n", comment.trim());
    }
    out.push_str("| Column | Type | Null | Default | Key | Model field | Description |\n");
    out.push_str("| --- | --- | --- | --- | --- | --- | --- |\n");
    for column in &relation.columns {
        let fields: Vec<(&DocModel, &DocField)> = models
            .iter()
            .flat_map(|m| m.fields.iter().map(move |f| (m, f)))
            .filter(|(_, f)| f.column == column.name)
            .collect();
        let model_fields: Vec<String> = fields
            .iter()
            .map(|(m, f)| code(&format!("{}.{}", m.name, f.field)))
            .collect();
        let description = column
            .comment
            .as_deref()
            .or_else(|| fields.iter().find_map(|(_, f)| f.doc.as_deref()))
            .map(cell)
            .unwrap_or_default();
        let cells = [
            code(&column.name),
            code(&column.data_type),
            if column.nullable { "yes" } else { "no" }.to_owned(),
            default_text(column),
            keys(relation, column).join(", "),
            model_fields.join(", "),
            description,
        ];
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    let secondary: Vec<String> = relation
        .indexes
        .iter()
        .filter(|i| !i.primary)
        .map(|i| format!("- {}: {}", code(&i.name), code(&i.definition)))
        .collect();
    list(&mut out, "Indexes", &secondary);
    let checks: Vec<String> = relation
        .check_constraints
        .iter()
        .map(|c| format!("- {}: {}", code(&c.name), code(&c.definition)))
        .collect();
    list(&mut out, "Checks", &checks);
    if let Some(key) = &relation.partition_key {
        let mut lines = Vec::new();
        partitions(&relation.partitions, 0, &mut lines);
        let _ = write!(out, "\nPartitioned by {}", code(key));
        if lines.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, ":\n\n{}", lines.join("\n"));
        }
    }
    out
}

fn list(out: &mut String, title: &str, items: &[String]) {
    if !items.is_empty() {
        let _ = writeln!(out, "\n{title}:\n\n{}", items.join("\n"));
    }
}

fn partitions(parts: &[crate::catalog::Partition], depth: usize, lines: &mut Vec<String>) {
    for p in parts {
        lines.push(format!(
            "{}- {}: {}",
            "  ".repeat(depth),
            code(&format!("{}.{}", p.schema, p.name)),
            cell(&p.bound)
        ));
        partitions(&p.partitions, depth + 1, lines);
    }
}

fn default_text(column: &Column) -> String {
    match (&column.identity, &column.generated, &column.default) {
        (Some(Identity::Always), _, _) => "identity (always)".to_owned(),
        (Some(Identity::ByDefault), _, _) => "identity (by default)".to_owned(),
        (_, Some(expression), _) => format!("generated: {}", code(expression)),
        (_, _, Some(default)) => code(default),
        _ => String::new(),
    }
}

fn keys(relation: &Relation, column: &Column) -> Vec<String> {
    let mut keys = Vec::new();
    if relation
        .primary_key
        .as_ref()
        .is_some_and(|pk| pk.columns.contains(&column.name))
    {
        keys.push("PK".to_owned());
    }
    for fk in &relation.foreign_keys {
        if let Some(i) = fk.columns.iter().position(|c| *c == column.name) {
            let target = fk.referenced_columns.get(i).cloned().unwrap_or_default();
            keys.push(format!(
                "FK → {}",
                code(&format!(
                    "{}.{}.{target}",
                    fk.references.schema, fk.references.name
                ))
            ));
        }
    }
    if relation
        .unique_constraints
        .iter()
        .any(|u| u.columns == [column.name.clone()])
    {
        keys.push("unique".to_owned());
    }
    keys
}

/// Text made safe for one table cell: one line, pipes escaped.
fn cell(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('|', "\\|")
}

/// An inline code span that survives backticks and pipes in `text`.
fn code(text: &str) -> String {
    let text = cell(text);
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(key: &str, body: &str) -> Section {
        Section {
            key: key.into(),
            body: body.into(),
        }
    }

    #[test]
    fn new_file_gets_header_and_every_section() {
        let text = render_document(
            None,
            Path::new("d.md"),
            &[section("public.a", "A\n"), section("public.b", "B\n")],
        )
        .unwrap();
        assert_eq!(
            text,
            format!("{HEADER}\n<!-- pgdrift:begin public.a -->\nA\n<!-- pgdrift:end public.a -->\n\n<!-- pgdrift:begin public.b -->\nB\n<!-- pgdrift:end public.b -->\n")
        );
        let again = render_document(
            Some(&text),
            Path::new("d.md"),
            &[section("public.a", "A\n"), section("public.b", "B\n")],
        )
        .unwrap();
        assert_eq!(again, text);
    }

    #[test]
    fn user_text_is_kept_sections_rewritten_dropped_and_added() {
        let existing = "# Our schema\n\nIntro.\n\n<!-- pgdrift:begin public.a -->\nold A\n<!-- pgdrift:end public.a -->\n\nNotes on a.\n\n<!-- pgdrift:begin public.gone -->\nG\n<!-- pgdrift:end public.gone -->\n\nFooter.\n";
        let text = render_document(
            Some(existing),
            Path::new("d.md"),
            &[section("public.a", "new A\n"), section("public.c", "C\n")],
        )
        .unwrap();
        assert_eq!(
            text,
            "# Our schema\n\nIntro.\n\n<!-- pgdrift:begin public.a -->\nnew A\n<!-- pgdrift:end public.a -->\n\nNotes on a.\n\nFooter.\n\n<!-- pgdrift:begin public.c -->\nC\n<!-- pgdrift:end public.c -->\n"
        );
        let staleness = staleness(
            existing,
            Path::new("d.md"),
            &[section("public.a", "new A\n"), section("public.c", "C\n")],
        )
        .unwrap();
        assert_eq!(
            staleness,
            Staleness {
                stale: vec!["public.a".into()],
                missing: vec!["public.c".into()],
                extra: vec!["public.gone".into()]
            }
        );
    }

    #[test]
    fn malformed_markers_are_errors_naming_the_line() {
        let cases = [
            ("<!-- pgdrift:begin public.a -->\nx\n", "line 1: section `public.a` is never closed"),
            ("x\n<!-- pgdrift:end public.a -->\n", "line 2: `pgdrift:end public.a` has no `pgdrift:begin public.a` before it"),
            ("<!-- pgdrift:begin public.a -->\n<!-- pgdrift:begin public.b -->\n", "line 2: `pgdrift:begin public.b` inside section `public.a`"),
            ("<!-- pgdrift:begin public.a -->\n<!-- pgdrift:end public.a -->\n<!-- pgdrift:begin public.a -->\n<!-- pgdrift:end public.a -->\n", "line 3: section `public.a` appears twice (first at line 1)"),
            ("<!-- pgdrift:begin public.a -->\n<!-- pgdrift:end public.b -->\n", "line 2: `pgdrift:end public.b` closes section `public.a` opened at line 1"),
            ("<!-- pgdrift:begn public.a -->\n", "line 1: malformed marker"),
        ];
        for (text, expected) in cases {
            let message = parse_document(text, Path::new("docs/s.md"))
                .unwrap_err()
                .to_string();
            assert!(
                message.starts_with(&format!("docs/s.md {expected}")),
                "{message}"
            );
        }
    }
}
