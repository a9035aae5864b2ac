//! The entity-relationship diagram of `database_schema.md`: a Mermaid
//! `erDiagram` that GitHub and GitLab draw as a picture.
//!
//! Each table or view is an entity with its key and foreign-key columns;
//! each foreign key is a relationship whose cardinality follows from the
//! key: the referencing side is "zero or more", or "zero or one" when its
//! columns are unique; the referenced side is "exactly one", or "zero or
//! one" when a referencing column is nullable. A database with more than
//! [`PER_SCHEMA_ABOVE`] relations gets one diagram per schema, so that each
//! picture stays readable.
//!
//! Mermaid's grammar allows only plain words as entity, type and attribute
//! names, and quoted text without `"` as labels: every name is therefore
//! written as a plain word (an id), with the real name as its quoted label.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write;

use crate::catalog::{Catalog, Column, Relation, RelationName};
use crate::docs::Section;

/// The marker key of the diagram (`<!-- pgdrift:begin diagram -->`).
pub const KEY: &str = "diagram";

/// Relations above which each schema gets a diagram of its own.
pub const PER_SCHEMA_ABOVE: usize = 40;

/// The diagram sections for `catalog`: one for the whole database, or one
/// per schema with relations (`diagram:<schema>`) when it is large.
pub fn sections(catalog: &Catalog) -> Vec<Section> {
    let relations: Vec<(&str, &Relation)> = catalog
        .relations()
        .filter(|(schema, r)| !owned_by_extension(catalog, schema, r))
        .collect();
    if relations.is_empty() {
        return Vec::new();
    }
    if relations.len() <= PER_SCHEMA_ABOVE {
        return vec![Section {
            key: KEY.to_owned(),
            body: diagram(&relations, None),
        }];
    }
    catalog
        .schemas
        .iter()
        .map(|schema| {
            let own: Vec<(&str, &Relation)> = relations
                .iter()
                .filter(|(s, _)| *s == schema.name)
                .copied()
                .collect();
            (schema, own)
        })
        .filter(|(_, own)| !own.is_empty())
        .map(|(schema, own)| Section {
            key: schema_key(&schema.name),
            body: diagram(&own, Some(&schema.name)),
        })
        .collect()
}

/// Whether an extension owns the relation (or its schema): such tables
/// (PostGIS's `spatial_ref_sys`) are not the user's schema.
pub fn owned_by_extension(catalog: &Catalog, schema: &str, relation: &Relation) -> bool {
    relation.extension.is_some()
        || catalog
            .schema(schema)
            .is_some_and(|s| s.extension.is_some())
}

/// `diagram:<schema>`, the schema written as marker keys write names.
pub fn schema_key(schema: &str) -> String {
    format!("{KEY}:{}", crate::escape::marker_component(schema))
}

/// Whether a section key is a diagram's.
pub fn is_diagram_key(key: &str) -> bool {
    key == KEY || key.starts_with("diagram:")
}

/// One diagram section: a heading and the fenced `erDiagram`.
fn diagram(relations: &[(&str, &Relation)], schema: Option<&str>) -> String {
    let mut ids = Ids::default();
    let mut out = match schema {
        None => "## Entity-relationship diagram\n\n".to_owned(),
        Some(schema) => format!(
            "## Entity-relationship diagram of schema {}\n\n",
            crate::docs::code(schema)
        ),
    };
    out.push_str("```mermaid\nerDiagram\n");
    let shown: HashSet<(&str, &str)> = relations
        .iter()
        .map(|(s, r)| (*s, r.name.as_str()))
        .collect();
    for (schema, relation) in relations {
        entity(&mut out, &mut ids, schema, relation);
    }
    // Tables of other schemas that these reference: named, without columns.
    let mut foreign = BTreeMap::new();
    for (_, relation) in relations {
        for fk in &relation.foreign_keys {
            let target = &fk.references;
            if !shown.contains(&(target.schema.as_str(), target.name.as_str())) {
                foreign.insert(target.clone(), ());
            }
        }
    }
    for target in foreign.keys() {
        let id = ids.of(&target.schema, &target.name);
        let _ = writeln!(out, "    {id}[\"{}\"]", label(&qualified(target)));
    }
    for (schema, relation) in relations {
        let from = ids.of(schema, &relation.name);
        for fk in &relation.foreign_keys {
            let to = ids.of(&fk.references.schema, &fk.references.name);
            let nullable = fk
                .columns
                .iter()
                .any(|c| relation.column(c).is_none_or(|c| c.nullable));
            let many = if is_unique(relation, &fk.columns) {
                "|o"
            } else {
                "}o"
            };
            let one = if nullable { "o|" } else { "||" };
            let _ = writeln!(
                out,
                "    {from} {many}--{one} {to} : \"{}\"",
                label(&fk.name)
            );
        }
    }
    out.push_str("```\n");
    out
}

fn entity(out: &mut String, ids: &mut Ids, schema: &str, relation: &Relation) {
    let id = ids.of(schema, &relation.name);
    let name = RelationName {
        schema: schema.to_owned(),
        name: relation.name.clone(),
    };
    let columns: Vec<(&Column, Vec<&str>)> = relation
        .columns
        .iter()
        .map(|c| (c, keys(relation, &c.name)))
        .filter(|(_, keys)| !keys.is_empty())
        .collect();
    let _ = write!(out, "    {id}[\"{}\"]", label(&qualified(&name)));
    if columns.is_empty() {
        out.push('\n');
        return;
    }
    out.push_str(" {\n");
    for (column, keys) in columns {
        let ty = word(&column.data_type);
        let attribute = word(&column.name);
        let _ = write!(out, "        {ty} {attribute} {}", keys.join(", "));
        if attribute != column.name {
            let _ = write!(out, " \"{}\"", label(&column.name));
        }
        out.push('\n');
    }
    out.push_str("    }\n");
}

/// `PK`, `FK`, `UK` for a column, in that order.
fn keys<'a>(relation: &Relation, column: &str) -> Vec<&'a str> {
    let mut keys = Vec::new();
    let named = |columns: &[String]| columns.iter().any(|c| c == column);
    if relation
        .primary_key
        .as_ref()
        .is_some_and(|pk| named(&pk.columns))
    {
        keys.push("PK");
    }
    if relation.foreign_keys.iter().any(|fk| named(&fk.columns)) {
        keys.push("FK");
    }
    if relation
        .unique_constraints
        .iter()
        .any(|u| named(&u.columns))
    {
        keys.push("UK");
    }
    keys
}

/// Whether `columns` are the primary key or a unique constraint.
fn is_unique(relation: &Relation, columns: &[String]) -> bool {
    let same = |other: &[String]| {
        other.len() == columns.len() && other.iter().all(|c| columns.contains(c))
    };
    relation
        .primary_key
        .as_ref()
        .is_some_and(|pk| same(&pk.columns))
        || relation.unique_constraints.iter().any(|u| same(&u.columns))
}

/// `schema.name` as people read it (unquoted).
fn qualified(name: &RelationName) -> String {
    format!("{}.{}", name.schema, name.name)
}

/// Text for a Mermaid quoted label: no `"` (which would end it), no control
/// characters, no `#` entity codes or `%` comments, no backticks (a
/// Markdown fence), no HTML; and no `direction` followed by a space, which
/// Mermaid's lexer takes for a direction statement even inside quotes.
fn label(text: &str) -> String {
    let plain: String = text
        .chars()
        .map(|c| match c {
            '"' => '\'',
            '#' | '`' | '<' | '>' | '&' | ';' | '%' | '\\' => '_',
            c if c.is_control() || c.is_whitespace() => ' ',
            c => c,
        })
        .collect();
    let lower = plain.to_lowercase();
    if lower.len() != plain.len() || !lower.contains("direction ") {
        return if lower.len() != plain.len() && lower.contains("direction ") {
            plain.replace(' ', "_")
        } else {
            plain
        };
    }
    let mut out = plain.into_bytes();
    for (i, _) in lower.match_indices("direction ") {
        out[i + "direction".len()] = b'_';
    }
    String::from_utf8(out).expect("an ASCII space replaced by an ASCII underscore")
}

/// A word Mermaid accepts as a type or attribute name: ASCII letters,
/// digits, `_`, `-`, brackets and parentheses, starting with a letter.
fn word(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let ok = c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '(' | ')' | '[' | ']');
        if ok {
            out.push(c);
        } else if !out.ends_with('_') {
            out.push('_');
        }
    }
    if !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert_str(0, "c_");
    }
    out
}

/// Entity ids: `t_` and the name as a plain word, unique per diagram.
#[derive(Default)]
struct Ids {
    by_name: BTreeMap<(String, String), String>,
    taken: HashSet<String>,
}

impl Ids {
    fn of(&mut self, schema: &str, name: &str) -> String {
        let key = (schema.to_owned(), name.to_owned());
        if let Some(id) = self.by_name.get(&key) {
            return id.clone();
        }
        let mut base = String::from("t_");
        for c in format!("{schema}_{name}").chars() {
            if c.is_ascii_alphanumeric() || c == '_' {
                base.push(c);
            } else if !base.ends_with('_') {
                base.push('_');
            }
        }
        let mut id = base.clone();
        let mut n = 2;
        while !self.taken.insert(id.clone()) {
            id = format!("{base}_{n}");
            n += 1;
        }
        self.by_name.insert(key, id.clone());
        id
    }
}

/// Every section of the docs document, in the order it holds them: the ER
/// diagram's (unless `diagram` is off), then each schema's relations and
/// types with the fields of `models` that map their columns. The CLI's docs
/// and the build's doc fragments both come from here, so they agree.
#[cfg(feature = "workflow")]
pub fn document_sections<'a>(
    catalog: &crate::catalog::Catalog,
    models: impl IntoIterator<Item = &'a crate::input::ModelDef>,
    diagram: bool,
) -> Vec<Section> {
    let mut out = if diagram {
        sections(catalog)
    } else {
        Vec::new()
    };
    out.extend(crate::docs::sections(
        catalog,
        &crate::docs::models_by_table(models),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_labels_keep_to_the_grammar() {
        assert_eq!(word("character varying(255)"), "character_varying(255)");
        assert_eq!(word("ключ"), "c__");
        assert_eq!(word("2fa"), "c_2fa");
        assert_eq!(label("a \"b\" #quot; `c`\n%%"), "a 'b' _quot_ _c_ __");
        assert_eq!(
            label("Direction TB, direction\tLR"),
            "Direction_TB, direction_LR"
        );
        assert_eq!(schema_key("my schema.x"), "diagram:my%20schema%2Ex");
        let mut ids = Ids::default();
        assert_eq!(ids.of("public", "Ü ser"), "t_public_ser");
        assert_eq!(ids.of("public", "Ö ser"), "t_public_ser_2");
        assert_eq!(ids.of("public", "Ü ser"), "t_public_ser");
    }
}
