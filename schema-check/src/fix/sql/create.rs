//! The step for a struct whose table does not exist: `CREATE TABLE` with a
//! column per field in field order (`NOT NULL` unless `Option`), the
//! primary key, and the doc comments as `COMMENT ON`.

use super::plan::{asked_by, column_comment, plain, run, wanted_fields};
use super::wanted::{self, Wanted};
use super::{text, Down, Step};
use crate::catalog::{Catalog, TypeName};
use crate::discover::{Discovered, FoundModel};
use crate::input::FieldDef;
use crate::suggest::closest;

/// The table's step, or a word on why a table cannot be made.
pub(super) fn steps(
    catalog: &Catalog,
    found: &Discovered,
    schema: &str,
    table: &str,
    models: &[&FoundModel],
) -> Vec<Step> {
    let first = &models[0];
    let about = format!(
        "{} (struct {} in {})",
        text::shown_table(schema, table),
        first.model.name(),
        first.file.display()
    );
    if catalog.composite(&TypeName::new(schema, table)).is_some() {
        return vec![Step {
            about: format!("{about}: the name is a composite type's, which a table cannot share; map the struct to a table"),
            up: Vec::new(),
            down: Down::Nothing,
            changes: false,
        }];
    }
    let fields: Vec<_> = wanted_fields(models)
        .into_iter()
        .filter(|(_, f)| !f.may_be_missing)
        .collect();
    let name = text::table(schema, table);
    let mut up = vec![run(
        "a new table: locks nothing that exists",
        create_table(catalog, found, &name, &fields),
    )];
    if let Some(doc) = models.iter().find_map(|m| m.model.doc.as_ref()) {
        up.push(plain(format!(
            "COMMENT ON TABLE {name} IS {};",
            text::literal(doc)
        )));
    }
    up.extend(
        fields
            .iter()
            .filter_map(|(_, field)| column_comment(&name, field)),
    );
    let alike = table_alike(catalog, schema, table)
        .map(|hint| format!(" ({hint})"))
        .unwrap_or_default();
    vec![Step {
        about: format!("{about}: the table does not exist{alike}"),
        up,
        down: Down::Run(vec![run(
            "drops the drafted table and every row written to it since",
            format!("DROP TABLE {name};"),
        )]),
        changes: true,
    }]
}

/// A word on a table the struct may mean instead: one of its name in
/// another schema, else one of a near name in its schema.
fn table_alike(catalog: &Catalog, schema: &str, table: &str) -> Option<String> {
    if let Some((other, _)) = catalog
        .relations()
        .find(|(s, r)| r.name == table && *s != schema)
    {
        return Some(format!(
            "if the struct means {}, give it #[pgdrift(schema = \"{other}\")] instead",
            text::shown_table(other, table)
        ));
    }
    let names = catalog
        .schema(schema)?
        .relations
        .iter()
        .map(|r| r.name.as_str());
    closest(table, names).map(|near| {
        format!(
            "if the struct means {}, give it #[pgdrift(table = \"{near}\")] instead",
            text::shown_table(schema, near)
        )
    })
}

/// One line inside `CREATE TABLE (…)`.
enum Line {
    /// A column or the key, followed by a comma unless it is the last.
    Item(String),
    /// A comment for a person.
    Todo(String),
}

fn create_table(
    catalog: &Catalog,
    found: &Discovered,
    name: &str,
    fields: &[(&FoundModel, &FieldDef)],
) -> String {
    let mut lines: Vec<Line> = fields
        .iter()
        .map(|(model, field)| column(catalog, found, model, field))
        .collect();
    lines.push(primary_key(fields));
    let last = lines.iter().rposition(|l| matches!(l, Line::Item(_)));
    let mut out = format!("CREATE TABLE {name} (\n");
    for (i, line) in lines.iter().enumerate() {
        let text = match line {
            Line::Item(item) if Some(i) == last => item.clone(),
            Line::Item(item) => format!("{item},"),
            Line::Todo(todo) => text::comment(todo),
        };
        out.push_str(&format!("    {text}\n"));
    }
    out.push_str(");");
    out
}

fn column(catalog: &Catalog, found: &Discovered, model: &FoundModel, field: &FieldDef) -> Line {
    let null = if wanted::nullable(field) {
        ""
    } else {
        " NOT NULL"
    };
    let column = text::ident(&field.column);
    match wanted::wanted(field, found, catalog) {
        Wanted::Sql(ty) => Line::Item(format!("{column} {ty}{null}")),
        Wanted::Unknown(rust) => Line::Todo(format!(
            "TODO {}: pgdrift cannot tell which PostgreSQL type `{rust}` needs; add the column with it, or give the field #[pgdrift(sql_type = \"…\")]: {column} <type>{null}",
            asked_by(model, field)
        )),
    }
}

/// `PRIMARY KEY` of the fields the first struct that declares a key names
/// (`#[pgdrift(primary_key)]`, or diesel's `primary_key(…)`), else of the
/// `id` column, else a comment asking for one.
fn primary_key(fields: &[(&FoundModel, &FieldDef)]) -> Line {
    let marked: Vec<&str> = fields
        .iter()
        .map(|(found, _)| {
            let key = found.model.primary_key_fields();
            key.map(|f| f.column.as_str()).collect::<Vec<_>>()
        })
        .find(|key| !key.is_empty())
        .unwrap_or_default();
    let key = match marked.as_slice() {
        [] => fields
            .iter()
            .find(|(_, f)| f.column == "id")
            .map(|_| vec!["id"]),
        _ => Some(marked),
    };
    match key {
        Some(columns) => {
            let columns: Vec<String> = columns.iter().map(|c| text::ident(c)).collect();
            Line::Item(format!("PRIMARY KEY ({})", columns.join(", ")))
        }
        None => Line::Todo(
            "TODO: no primary key: mark its field(s) #[pgdrift(primary_key)], or add one here"
                .to_owned(),
        ),
    }
}
