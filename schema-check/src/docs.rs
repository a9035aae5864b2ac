//! `database_schema.md`: the schema as Markdown, one marker-delimited section
//! per table or view.
//!
//! [`relation_section`] is the one renderer of a table's section: the docs
//! file, the derive's `SCHEMA_DOC` and the build's doc fragments all call it,
//! so they agree byte for byte.

use std::fmt::Write;

use crate::catalog::{Column, Identity, Relation};
use crate::escape;
use crate::input::ModelDef;

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

#[cfg(feature = "workflow")]
mod document;
#[cfg(feature = "workflow")]
pub use document::*;

/// The section of one relation (what goes between its markers), with the
/// fields of `models` that map its columns.
pub fn relation_section(schema: &str, relation: &Relation, models: &[DocModel]) -> String {
    // Every field is named, so that a part added to relations does not
    // compile until the docs say whether they show it.
    let Relation {
        name,
        kind,
        comment,
        columns: _,
        // Shown in the columns' Key cells.
        primary_key: _,
        foreign_keys: _,
        unique_constraints: _,
        check_constraints,
        indexes,
        partition_key,
        partitions,
        extension,
        // Not part of the docs.
        triggers: _,
        writable: _,
        distribution,
    } = relation;
    let mut out = String::new();
    let mut title = kind.describe().to_owned();
    title[..1].make_ascii_uppercase();
    let _ = writeln!(out, "### {title} {}\n", code(&format!("{schema}.{name}")));
    if let Some(comment) = comment {
        let _ = writeln!(out, "{}\n", prose(comment));
    }
    if let Some(extension) = extension {
        let _ = writeln!(out, "Belongs to the extension {}.\n", code(extension));
    }
    if let Some(distribution) = distribution {
        let _ = writeln!(out, "{}.\n", distribution.describe(code));
    }
    column_table(&mut out, relation, models);
    let secondary: Vec<String> = indexes
        .iter()
        .filter(|i| !i.primary)
        .map(|i| format!("- {}: {}", code(&i.name), code(&i.definition)))
        .collect();
    list(&mut out, "Indexes", &secondary);
    let checks: Vec<String> = check_constraints
        .iter()
        .map(|c| format!("- {}: {}", code(&c.name), code(&c.definition)))
        .collect();
    list(&mut out, "Checks", &checks);
    if let Some(key) = partition_key {
        let mut lines = Vec::new();
        self::partitions(partitions, 0, &mut lines);
        let _ = write!(out, "\nPartitioned by {}", code(key));
        if lines.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, ":\n\n{}", lines.join("\n"));
        }
    }
    out
}

/// The table of the relation's columns, one row each.
fn column_table(out: &mut String, relation: &Relation, models: &[DocModel]) {
    out.push_str("| Column | Type | Null | Default | Key | Model field | Description |\n");
    out.push_str("| --- | --- | --- | --- | --- | --- | --- |\n");
    for column in &relation.columns {
        column_row(out, relation, column, models);
    }
}

/// A column's row: the fields of `models` that map it, and its comment,
/// else the first such field's doc comment, as description. Written
/// straight into `out`: the derive renders a row per column of every model.
fn column_row(out: &mut String, relation: &Relation, column: &Column, models: &[DocModel]) {
    let null = match (column.nullable, column.not_null_not_valid) {
        (_, true) => "yes (`NOT NULL NOT VALID`)",
        (true, false) => "yes",
        (false, false) => "no",
    };
    for part in [
        "| ",
        &code(&column.name),
        " | ",
        &code(&column.data_type),
        " | ",
        null,
        " | ",
        &default_text(column),
        " | ",
        &keys(relation, column).join(", "),
        " | ",
    ] {
        out.push_str(part);
    }
    let mut description = column.comment.as_deref();
    let mut first = true;
    for model in models {
        for field in &model.fields {
            if field.column != column.name {
                continue;
            }
            if !first {
                out.push_str(", ");
            }
            first = false;
            out.push_str(&code(&format!("{}.{}", model.name, field.field)));
            description = description.or(field.doc.as_deref());
        }
    }
    out.push_str(" | ");
    if let Some(description) = description {
        out.push_str(&cell(description));
    }
    out.push_str(" |\n");
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
        (_, Some(expression), _) => format!(
            "generated ({}): {}",
            column.generated_kind.as_sql(),
            code(expression)
        ),
        (_, _, Some(default)) => code(default),
        _ => String::new(),
    }
}

fn keys(relation: &Relation, column: &Column) -> Vec<String> {
    let mut keys = Vec::new();
    if let Some(pk) = &relation.primary_key {
        if pk.columns.iter().any(|c| *c == column.name) {
            // A temporal key's range column is its last.
            let temporal =
                pk.without_overlaps && pk.columns.last().is_some_and(|c| *c == column.name);
            keys.push(
                if temporal {
                    "PK (without overlaps)"
                } else {
                    "PK"
                }
                .to_owned(),
            );
        }
    }
    for fk in &relation.foreign_keys {
        if let Some(i) = fk.columns.iter().position(|c| *c == column.name) {
            let target = fk.referenced_columns.get(i).cloned().unwrap_or_default();
            let period = fk.period && i + 1 == fk.columns.len();
            keys.push(format!(
                "FK → {}{}{}",
                code(&format!(
                    "{}.{}.{target}",
                    fk.references.schema, fk.references.name
                )),
                if period { " (period)" } else { "" },
                if fk.not_enforced {
                    " (not enforced)"
                } else {
                    ""
                }
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

/// Database text as a Markdown paragraph: its lines kept (trimmed, blank
/// ones dropped so the paragraph stays one), HTML and entities escaped so
/// nothing renders as markup, a comment or a marker, and a line that would
/// start a heading, list, quote, table, fence or marker made plain text.
fn prose(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| {
            let line = html(&escape::terminal(line));
            match line.chars().next() {
                Some('#' | '-' | '+' | '*' | '>' | '|' | '`' | '~' | '=' | '_') => {
                    format!("\\{line}")
                }
                Some(c) if c.is_ascii_digit() => {
                    line.replacen('.', "\\.", 1).replacen(')', "\\)", 1)
                }
                _ => line,
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `&`, `<` and `>` as entities.
fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Database text as one table cell: one line, control characters escaped,
/// HTML escaped, backslashes and pipes escaped so the row keeps its cells.
pub fn cell(text: &str) -> String {
    let plain = |b: u8| b.is_ascii_graphic() && !matches!(b, b'\\' | b'<' | b'>' | b'&' | b'|');
    if is_plain(text, plain) {
        return text.to_owned();
    }
    escaped_cell(text)
}

/// [`cell`] for text that may need escaping.
fn escaped_cell(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    html(&escape::terminal(&one_line))
        .replace('\\', "\\\\")
        .replace('|', "\\|")
}

/// Database text as inline code in a table cell. Plain text goes in a
/// backtick span long enough for the backticks inside; text with a
/// backslash (which a span cannot hold next to an escaped pipe) or a `<`
/// (which could read as a tag or a marker to a tool that ignores spans)
/// goes in a `<code>` element with every special character as an entity.
pub fn code(text: &str) -> String {
    // Most names and types need no escaping at all: one plain span. The
    // derive renders every model's docs section, so this path is hot.
    let plain = |b: u8| b.is_ascii_graphic() && !matches!(b, b'\\' | b'<' | b'|' | b'`');
    if !text.is_empty() && is_plain(text, plain) {
        let mut span = String::with_capacity(text.len() + 2);
        span.push('`');
        span.push_str(text);
        span.push('`');
        return span;
    }
    escaped_code(text)
}

/// Whether `text` is bytes `plain` accepts and single spaces between
/// them: text that whitespace folding and escaping leave as it is.
fn is_plain(text: &str, plain: impl Fn(u8) -> bool) -> bool {
    // One pass: the derive runs this unoptimised for every cell of every
    // model's section, where each further scan of the text costs a pass.
    let mut after_space = true; // so that a leading space is not plain
    for &b in text.as_bytes() {
        if b == b' ' {
            if after_space {
                return false;
            }
            after_space = true;
        } else if plain(b) {
            after_space = false;
        } else {
            return false;
        }
    }
    !after_space || text.is_empty()
}

/// [`code`] for text that may need escaping.
fn escaped_code(text: &str) -> String {
    let text =
        escape::terminal(&text.split_whitespace().collect::<Vec<_>>().join(" ")).into_owned();
    if text.contains(['\\', '<']) {
        let mut out = String::from("<code>");
        for c in text.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '|' => out.push_str("&#124;"),
                '\\' => out.push_str("&#92;"),
                '`' => out.push_str("&#96;"),
                c => out.push(c),
            }
        }
        out.push_str("</code>");
        return out;
    }
    let text = text.replace('|', "\\|");
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    if longest_run > 0 || text.is_empty() {
        format!("{fence} {text} {fence}")
    } else {
        format!("{fence}{text}{fence}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn plain_text_takes_the_short_way_to_the_same_cell(text in "[ -~\\t\\n\u{80}-\u{10ffff}]{0,12}") {
            proptest::prop_assert_eq!(code(&text), escaped_code(&text));
            proptest::prop_assert_eq!(cell(&text), escaped_cell(&text));
        }
    }
}
