//! The steps of a draft in dependency order: new schemas, enum types and
//! their labels, new tables, then each existing table's changes; tables in
//! order of schema and name.

use std::collections::{BTreeMap, BTreeSet};

use super::{alter, create, enums, text, Down, Sql, Statement, Step};
use crate::catalog::{Catalog, TypeName};
use crate::discover::{Discovered, FoundModel};
use crate::input::FieldDef;

/// The models of each table they map, by schema and table name: read
/// structs first, each kind in the order they were found.
pub(super) type Tables<'a> = BTreeMap<(String, String), Vec<&'a FoundModel>>;

/// Every step the models ask for.
pub(super) fn steps(catalog: &Catalog, found: &Discovered) -> Vec<Step> {
    let mut tables: Tables = BTreeMap::new();
    for model in &found.models {
        let key = (model.model.schema.clone(), model.model.table.clone());
        tables.entry(key).or_default().push(model);
    }
    // A column that structs ask for alike is drafted from the first: a
    // read struct's, whose `Option` says what the column may hold.
    for models in tables.values_mut() {
        models.sort_by_key(|m| !m.model.directions.read);
    }
    let mut steps = schemas(catalog, found, &tables);
    steps.extend(enums::steps(catalog, found));
    for ((schema, table), models) in &tables {
        if catalog.relation(schema, table).is_none() {
            steps.extend(create::steps(catalog, found, schema, table, models));
        }
    }
    for ((schema, table), models) in &tables {
        if let Some(relation) = catalog.relation(schema, table) {
            steps.extend(alter::steps(catalog, found, schema, relation, models));
        }
    }
    steps
}

/// `CREATE SCHEMA` for each schema that a new table or enum type is in and
/// the database lacks, asked for by the first struct or enum in it.
fn schemas(catalog: &Catalog, found: &Discovered, tables: &Tables) -> Vec<Step> {
    let mut wanted: BTreeMap<String, String> = BTreeMap::new();
    for ((schema, _), models) in tables {
        let model = models[0];
        let by = format!("struct {} in {}", model.model.name(), model.file.display());
        wanted.entry(schema.to_string()).or_insert(by);
    }
    for found in &found.enums {
        let TypeName { schema, .. } = &found.def.type_name;
        let by = format!("enum {} in {}", found.def.ident, found.file.display());
        wanted.entry(schema.to_string()).or_insert(by);
    }
    wanted
        .into_iter()
        .filter(|(schema, _)| catalog.schema(schema).is_none())
        .map(|(schema, by)| Step {
            about: format!("schema {schema} ({by}): the schema does not exist"),
            up: vec![run(
                "a new schema: locks nothing that exists",
                format!("CREATE SCHEMA {};", text::ident(&schema)),
            )],
            down: Down::Run(vec![run(
                "drops the drafted schema, which the steps before have emptied",
                format!("DROP SCHEMA {};", text::ident(&schema)),
            )]),
            changes: true,
        })
        .collect()
}

/// Who asks for a column: `users.nickname (struct User, field nickname in
/// src/models.rs)`.
pub(super) fn asked_by(model: &FoundModel, field: &FieldDef) -> String {
    format!(
        "{}.{} (struct {}, field {} in {})",
        text::shown_table(&model.model.schema, &model.model.table),
        field.column,
        model.model.name(),
        field.name(),
        model.file.display()
    )
}

/// The mapped fields of `models`, one per column (the first model's field
/// when several map it). A field that may miss its column
/// (`#[sqlx(default)]`) is among them: it asks nothing for a column that
/// does not exist, but covers one that does.
pub(super) fn wanted_fields<'a>(models: &[&'a FoundModel]) -> Vec<(&'a FoundModel, &'a FieldDef)> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for model in models {
        for field in model.model.mapped_fields() {
            if seen.insert(field.column.as_str()) {
                out.push((*model, field));
            }
        }
    }
    out
}

/// A statement that runs, after a comment saying its cost.
pub(super) fn run(cost: &str, sql: String) -> Statement {
    Statement {
        cost: Some(cost.to_owned()),
        sql: Sql::Run(sql),
    }
}

/// A statement that runs, with no cost worth a comment.
pub(super) fn plain(sql: String) -> Statement {
    Statement {
        cost: None,
        sql: Sql::Run(sql),
    }
}

/// A commented-out statement, after a comment saying what a person must
/// decide or complete.
pub(super) fn commented(note: &str, sql: String) -> Statement {
    Statement {
        cost: Some(note.to_owned()),
        sql: Sql::Commented(sql),
    }
}

/// `COMMENT ON COLUMN` for a field's doc comment, if it has one.
pub(super) fn column_comment(table: &str, field: &FieldDef) -> Option<Statement> {
    field.doc.as_ref().map(|doc| {
        plain(format!(
            "COMMENT ON COLUMN {table}.{} IS {};",
            text::ident(&field.column),
            text::literal(doc)
        ))
    })
}
