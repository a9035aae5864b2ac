//! `database_schema.md`: the schema as Markdown, one marker-delimited section
//! per table or view (SPEC §5).
//!
//! [`relation_section`] is the one renderer of a table's section: the docs
//! file, the derive's `SCHEMA_DOC` and the build's doc fragments all call it,
//! so they agree byte for byte.

use std::fmt::Write;

use crate::catalog::{Column, Identity, Relation};
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
