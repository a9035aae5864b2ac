//! The catalog as readable text, one block per relation (`introspect`).

use std::fmt::Write;

use crate::catalog::*;

/// Renders the relations (and types) of `catalog` as aligned text tables.
pub fn render(catalog: &Catalog) -> String {
    // Every field is named, here and below, so that a kind of object added
    // to the catalog does not compile until `introspect` shows it.
    let Catalog { schemas } = catalog;
    let mut out = String::new();
    for schema in schemas {
        let Schema {
            name,
            // Each object's line names its schema; schemas have no line.
            comment: _,
            relations,
            enums,
            domains,
            composites,
            // Every object an extension owns is marked on its own line.
            extension: _,
        } = schema;
        for relation in relations {
            render_relation(&mut out, name, relation);
        }
        for e in enums {
            render_enum(&mut out, name, e);
        }
        for d in domains {
            render_domain(&mut out, name, d);
        }
        for c in composites {
            render_composite(&mut out, name, c);
        }
    }
    out
}

/// ` (extension postgis)` after the name of an object an extension owns.
fn owner(extension: &Option<String>) -> String {
    extension
        .as_ref()
        .map(|name| format!(" (extension {name})"))
        .unwrap_or_default()
}

/// ` -- comment` on one line, or nothing without a comment.
fn comment_text(comment: &Option<String>) -> String {
    comment
        .as_deref()
        .map(|c| format!(" -- {}", crate::escape::one_line(c)))
        .unwrap_or_default()
}

fn render_enum(out: &mut String, schema: &str, e: &EnumType) {
    let _ = writeln!(
        out,
        "enum {}.{}{}: {}\n",
        quote_ident(schema),
        quote_ident(&e.name),
        owner(&e.extension),
        e.labels.join(", ")
    );
}

fn render_domain(out: &mut String, schema: &str, d: &Domain) {
    let mut line = format!(
        "domain {}.{}{}: {}",
        quote_ident(schema),
        quote_ident(&d.name),
        owner(&d.extension),
        d.data_type
    );
    if d.not_null {
        line.push_str(" NOT NULL");
    }
    if let Some(default) = &d.default {
        let _ = write!(line, " DEFAULT {default}");
    }
    for check in &d.checks {
        let _ = write!(line, " {}", check.definition);
    }
    let _ = writeln!(out, "{line}\n");
}

/// A composite type: its name and comment, then its attributes as a table.
fn render_composite(out: &mut String, schema: &str, c: &CompositeType) {
    let _ = writeln!(
        out,
        "composite type {}.{}{}{}",
        quote_ident(schema),
        quote_ident(&c.name),
        owner(&c.extension),
        comment_text(&c.comment)
    );
    let mut rows = vec![[
        "attribute".to_owned(),
        "type".to_owned(),
        "comment".to_owned(),
    ]];
    for a in &c.attributes {
        rows.push([
            a.name.to_string(),
            a.data_type.to_string(),
            crate::escape::one_line(a.comment.as_deref().unwrap_or_default()).into_owned(),
        ]);
    }
    aligned(out, &rows);
    out.push('\n');
}

/// Rows as columns padded to their widest cell, each line indented by two.
fn aligned<const N: usize>(out: &mut String, rows: &[[String; N]]) {
    let widths: Vec<usize> = (0..N)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    for row in rows {
        let mut line = String::from(" ");
        for (i, cell) in row.iter().enumerate() {
            let _ = write!(line, " {cell:<width$}", width = widths[i]);
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// Renders one relation.
pub fn render_relation(out: &mut String, schema: &str, relation: &Relation) {
    let Relation {
        name,
        kind,
        comment,
        columns,
        primary_key,
        foreign_keys,
        unique_constraints,
        check_constraints,
        indexes,
        partition_key,
        partitions,
        extension,
        triggers,
        writable,
        distribution,
    } = relation;
    let _ = writeln!(
        out,
        "{} {}.{}{}{}",
        kind.describe(),
        quote_ident(schema),
        quote_ident(name),
        owner(extension),
        comment_text(comment)
    );
    if let Some(distribution) = distribution {
        let column = |name: &str| crate::escape::one_line(&quote_ident(name)).into_owned();
        let _ = writeln!(out, "  {}", distribution.describe(column));
    }
    render_columns(out, columns);
    render_keys(out, primary_key, unique_constraints, foreign_keys);
    for check in check_constraints {
        let _ = writeln!(out, "  check {} {}", check.name, check.definition);
    }
    for index in indexes {
        let _ = writeln!(out, "  index {}", index.definition);
    }
    for trigger in triggers {
        let _ = writeln!(out, "  trigger {} {}", trigger.name, trigger.describe());
    }
    if let Some(writable) = writable {
        let _ = writeln!(out, "  writes accepted: {}", writable.describe());
    }
    if let Some(key) = partition_key {
        let _ = writeln!(out, "  partition by {key}");
    }
    render_partitions(out, partitions, 1);
    out.push('\n');
}

/// The columns as an aligned table.
fn render_columns(out: &mut String, columns: &[Column]) {
    let mut rows = vec![[
        "column".to_owned(),
        "type".to_owned(),
        "null".to_owned(),
        "default".to_owned(),
        "comment".to_owned(),
    ]];
    for c in columns {
        rows.push([
            c.name.to_string(),
            c.data_type.to_string(),
            nullable_text(c).to_owned(),
            default_text(c),
            crate::escape::one_line(c.comment.as_deref().unwrap_or_default()).into_owned(),
        ]);
    }
    aligned(out, &rows);
}

/// The primary key, unique constraints and foreign keys, a line each.
fn render_keys(
    out: &mut String,
    primary_key: &Option<KeyConstraint>,
    unique_constraints: &[KeyConstraint],
    foreign_keys: &[ForeignKey],
) {
    if let Some(pk) = primary_key {
        let _ = writeln!(out, "  primary key {} ({})", pk.name, pk.column_list());
    }
    for u in unique_constraints {
        let _ = writeln!(out, "  unique {} ({})", u.name, u.column_list());
    }
    for fk in foreign_keys {
        let _ = writeln!(
            out,
            "  foreign key {} ({}) references {} ({}) on delete {}{}",
            fk.name,
            fk.column_list(),
            fk.references,
            fk.referenced_column_list(),
            fk.on_delete.as_sql().to_lowercase(),
            if fk.not_enforced { " not enforced" } else { "" }
        );
    }
}

/// What the `default` cell shows: identity, generation or the default.
fn default_text(c: &Column) -> String {
    match (&c.identity, &c.generated, &c.default) {
        (Some(Identity::Always), _, _) => "generated always as identity".to_owned(),
        (Some(Identity::ByDefault), _, _) => "generated by default as identity".to_owned(),
        (_, Some(expr), _) => {
            format!("generated always as ({expr}) {}", c.generated_kind.as_sql())
        }
        (_, _, Some(default)) => default.to_string(),
        _ => String::new(),
    }
}

fn render_partitions(out: &mut String, partitions: &[Partition], depth: usize) {
    for p in partitions {
        let _ = writeln!(
            out,
            "{}partition {}.{} {}",
            "  ".repeat(depth),
            quote_ident(&p.schema),
            quote_ident(&p.name),
            p.bound
        );
        render_partitions(out, &p.partitions, depth + 1);
    }
}

/// "yes", "no", or "yes (not null not valid)" for a `NOT VALID` NOT NULL
/// column, which may hold NULL in rows written before the constraint.
fn nullable_text(column: &Column) -> &'static str {
    match (column.nullable, column.not_null_not_valid) {
        (_, true) => "yes (not null not valid)",
        (true, false) => "yes",
        (false, false) => "no",
    }
}
