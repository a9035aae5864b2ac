//! The steps for a table that exists: renames (`renamed_from`) first, then
//! for each field in order its type, its new column, its nullability; then
//! a commented-out drop for each column no field covers.

use std::collections::BTreeMap;

use super::convert::conversion;
use super::plan::{asked_by, column_comment, commented, run, wanted_fields};
use super::wanted::{self, Wanted};
use super::{text, Down, Statement, Step};
use crate::catalog::{Catalog, Column, Relation, RelationKind};
use crate::discover::{Discovered, FoundModel};
use crate::finding::{Check, Level};
use crate::input::FieldDef;
use crate::suggest::closest_or_shortened;
use crate::types;

/// What a field's `Option` asks of its column's `NOT NULL`, as the check
/// reports it. (Two structs cannot ask for both: one asks only of a
/// nullable column, the other only of a `NOT NULL` one.)
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Nullability {
    SetNotNull,
    DropNotNull,
}

/// A change of `NOT NULL`, and the struct and field that ask for it.
type Asked<'a> = (Nullability, &'a FoundModel, &'a FieldDef);

/// One table's steps.
struct Table<'a> {
    catalog: &'a Catalog,
    found: &'a Discovered,
    /// As SQL names it.
    name: String,
    /// As a comment shows it.
    shown: String,
    /// The relation with the drafted renames made.
    relation: Relation,
    models: &'a [&'a FoundModel],
}

/// The steps of an existing relation that `models` map.
pub(super) fn steps(
    catalog: &Catalog,
    found: &Discovered,
    schema: &str,
    relation: &Relation,
    models: &[&FoundModel],
) -> Vec<Step> {
    let fields = wanted_fields(models);
    let mut table = Table {
        catalog,
        found,
        name: text::table(schema, &relation.name),
        shown: text::shown_table(schema, &relation.name),
        relation: relation.clone(),
        models,
    };
    if !matches!(
        relation.kind,
        RelationKind::Table | RelationKind::PartitionedTable
    ) {
        return table.not_a_table(&fields).into_iter().collect();
    }
    let mut steps = table.renames(&fields);
    let nullability = table.nullability();
    for (model, field) in &fields {
        steps.extend(table.field(model, field, nullability.get(&field.column)));
    }
    steps.extend(table.uncovered(&fields));
    steps
}

impl<'a> Table<'a> {
    /// A view or another relation pgdrift does not alter: one word on the
    /// fields that need a column it lacks or of another type.
    fn not_a_table(&self, fields: &[(&FoundModel, &FieldDef)]) -> Option<Step> {
        let needy: Vec<String> = fields
            .iter()
            .filter(|(_, f)| {
                self.relation
                    .column(&f.column)
                    .is_none_or(|c| !wanted::fits(f, c, self.found, self.catalog))
            })
            .map(|(m, f)| asked_by(m, f))
            .collect();
        (!needy.is_empty()).then(|| Step {
            about: format!(
                "{} is a {}, which pgdrift does not alter: change its definition for {}",
                self.shown,
                self.relation.kind.describe(),
                needy.join(", ")
            ),
            up: Vec::new(),
            down: Down::Nothing,
            changes: true,
        })
    }

    /// `RENAME COLUMN` for each field whose `renamed_from` column exists
    /// while its own does not, and no other field maps the old name.
    fn renames(&mut self, fields: &[(&FoundModel, &FieldDef)]) -> Vec<Step> {
        let mut steps = Vec::new();
        for (model, field) in fields {
            let Some(old) = field.renamed_from.as_ref().map(syn::LitStr::value) else {
                continue;
            };
            let mapped = fields.iter().any(|(_, f)| f.column == old);
            if mapped || self.relation.column(&field.column).is_some() {
                continue;
            }
            let Some(column) = self.relation.columns.iter_mut().find(|c| c.name == old) else {
                continue;
            };
            column.name = field.column.as_str().into();
            steps.push(self.rename(model, field, &old));
        }
        steps
    }

    fn rename(&self, model: &FoundModel, field: &FieldDef, old: &str) -> Step {
        let sql = |from: &str, to: &str| {
            format!(
                "ALTER TABLE {} RENAME COLUMN {} TO {};",
                self.name,
                text::ident(from),
                text::ident(to)
            )
        };
        Step {
            about: format!(
                "{}: renamed from {old} (renamed_from)",
                asked_by(model, field)
            ),
            up: vec![run(
                &format!(
                    "ACCESS EXCLUSIVE lock, brief; no rewrite; queries naming {old} stop working"
                ),
                sql(old, &field.column),
            )],
            down: Down::Run(vec![run(
                "ACCESS EXCLUSIVE lock, brief",
                sql(&field.column, old),
            )]),
            changes: true,
        }
    }

    /// What the structs' checks say of each column's `NOT NULL`, against
    /// the relation as renamed, with the struct and field that ask.
    fn nullability(&self) -> BTreeMap<String, Asked<'a>> {
        let renamed;
        let catalog = if self.relation == *self.original() {
            self.catalog
        } else {
            renamed = self.catalog_as_renamed();
            &renamed
        };
        let mut out = BTreeMap::new();
        for model in self.models {
            for finding in crate::check::check_model(&model.model, catalog) {
                let asked = match (finding.check, finding.level) {
                    (Check::NullableWithoutOption, Level::Error) => Nullability::SetNotNull,
                    (Check::OptionOnNotNull | Check::RequiredColumn, Level::Error) => {
                        Nullability::DropNotNull
                    }
                    _ => continue,
                };
                let field = model
                    .model
                    .mapped_fields()
                    .find(|f| finding.field.as_deref() == Some(f.name().as_str()));
                if let (Some(column), Some(field)) = (finding.column, field) {
                    out.insert(column, (asked, *model, field));
                }
            }
        }
        out
    }

    fn original(&self) -> &Relation {
        let schema = &self.models[0].model.schema;
        self.catalog
            .relation(schema, &self.relation.name)
            .expect("the relation exists")
    }

    fn catalog_as_renamed(&self) -> Catalog {
        let mut catalog = self.catalog.clone();
        let schema = &self.models[0].model.schema;
        for s in catalog.schemas.iter_mut().filter(|s| &s.name == schema) {
            for r in s
                .relations
                .iter_mut()
                .filter(|r| r.name == self.relation.name)
            {
                *r = self.relation.clone();
            }
        }
        catalog
    }

    /// The steps of one field: its type, or its new column; its `NOT NULL`.
    fn field(&self, model: &FoundModel, field: &FieldDef, null: Option<&Asked>) -> Vec<Step> {
        let Some(column) = self.relation.column(&field.column) else {
            return match field.may_be_missing {
                true => Vec::new(),
                false => vec![self.add_column(model, field)],
            };
        };
        let mut steps = Vec::new();
        if !wanted::fits(field, column, self.found, self.catalog) {
            steps.push(self.change_type(model, field, column));
        }
        match null {
            Some((Nullability::SetNotNull, model, field)) => {
                steps.push(self.set_not_null(model, field))
            }
            Some((Nullability::DropNotNull, model, field)) => {
                steps.push(self.drop_not_null(model, field, column))
            }
            None => {}
        }
        steps
    }

    fn alter_column(&self, column: &str, action: &str) -> String {
        format!(
            "ALTER TABLE {} ALTER COLUMN {} {action};",
            self.name,
            text::ident(column)
        )
    }

    fn change_type(&self, model: &FoundModel, field: &FieldDef, column: &Column) -> Step {
        let about = format!(
            "{}: the column is {}, which the field's type does not fit",
            asked_by(model, field),
            column.data_type
        );
        let name = text::ident(&column.name);
        let ty = match wanted::wanted(field, self.found, self.catalog) {
            Wanted::Sql(ty) => ty,
            Wanted::Unknown(rust) => {
                let action = format!("TYPE <type> USING {name}::<type>");
                return self.todo_type(about, &rust, &action, column);
            }
        };
        let old = text::column_type(column);
        let up = conversion(&name, &old, &ty);
        let down = conversion(&name, &ty, &old);
        Step {
            about,
            up: vec![run(
                &format!(
                    "rewrites the table and its indexes under an ACCESS EXCLUSIVE lock (reads and writes wait); {}",
                    up.risk
                ),
                self.alter_column(&column.name, &up.clause),
            )],
            down: Down::Run(vec![run(
                &match down.is_plain() {
                    true => "rewrites the table again; a value the new type holds may not convert back".to_owned(),
                    false => format!("rewrites the table again; {}", down.risk),
                },
                self.alter_column(&column.name, &down.clause),
            )]),
            changes: true,
        }
    }

    fn todo_type(&self, about: String, rust: &str, action: &str, column: &Column) -> Step {
        Step {
            about,
            up: vec![commented(
                &choose_type(rust),
                self.alter_column(&column.name, action),
            )],
            down: Down::Nothing,
            changes: true,
        }
    }

    fn add_column(&self, model: &FoundModel, field: &FieldDef) -> Step {
        let mut about = format!("{}: the column does not exist", asked_by(model, field));
        if let Some(old) = &field.renamed_from {
            about.push_str(&format!(", nor {} that renamed_from names", old.value()));
        }
        let mut up: Vec<Statement> = self.rename_proposal(field).into_iter().collect();
        let column = text::ident(&field.column);
        let not_null = !wanted::nullable(field);
        let down = match wanted::wanted(field, self.found, self.catalog) {
            Wanted::Sql(ty) => {
                up.extend(self.add_statements(field, &ty, not_null));
                Down::Run(vec![run(
                    "drops the drafted column and what was written to it since",
                    format!("ALTER TABLE {} DROP COLUMN {column};", self.name),
                )])
            }
            Wanted::Unknown(rust) => {
                let null = if not_null { " NOT NULL" } else { "" };
                up.push(commented(
                    &choose_type(&rust),
                    format!(
                        "ALTER TABLE {} ADD COLUMN {column} <type>{null};",
                        self.name
                    ),
                ));
                Down::Nothing
            }
        };
        Step {
            about,
            up,
            down,
            changes: true,
        }
    }

    /// `ADD COLUMN` of type `ty`; for a `NOT NULL` one, added nullable,
    /// backfilled by a person, then `SET NOT NULL`; its doc comment.
    fn add_statements(&self, field: &FieldDef, ty: &str, not_null: bool) -> Vec<Statement> {
        let mut up = vec![run(
            "ACCESS EXCLUSIVE lock, brief; no rewrite, no scan (no default)",
            format!(
                "ALTER TABLE {} ADD COLUMN {} {ty};",
                self.name,
                text::ident(&field.column)
            ),
        )];
        if not_null {
            up.push(self.backfill(&field.column, "before SET NOT NULL"));
            up.push(run(
                "ACCESS EXCLUSIVE lock; scans the table for NULLs",
                self.alter_column(&field.column, "SET NOT NULL"),
            ));
        }
        up.extend(column_comment(&self.name, field));
        up
    }

    /// The commented `UPDATE` a person completes so that no row holds NULL.
    fn backfill(&self, column: &str, until: &str) -> Statement {
        let column = text::ident(column);
        commented(
            &format!("TODO backfill: rows already in the table need a value {until}; complete and uncomment (nothing to do on an empty table):"),
            format!("UPDATE {} SET {column} = /* value */ WHERE {column} IS NULL;", self.name),
        )
    }

    /// A column no field maps whose name is near the field's and whose
    /// type fits it, proposed as the field's old name, never chosen.
    fn rename_proposal(&self, field: &FieldDef) -> Option<Statement> {
        let mapped = wanted_fields(self.models);
        let uncovered = self
            .relation
            .columns
            .iter()
            .filter(|c| !mapped.iter().any(|(_, f)| f.column == c.name));
        let near = closest_or_shortened(&field.column, uncovered.clone().map(|c| c.name.as_str()))?;
        let column = uncovered.clone().find(|c| c.name == near)?;
        wanted::fits(field, column, self.found, self.catalog).then(|| {
            commented(
                &format!("or, if {near} is this field renamed, rename it instead of adding the column (and mark the field #[pgdrift(renamed_from = \"{near}\")]):"),
                format!(
                    "ALTER TABLE {} RENAME COLUMN {} TO {};",
                    self.name,
                    text::ident(near),
                    text::ident(&field.column)
                ),
            )
        })
    }

    fn drop_not_null(&self, model: &FoundModel, field: &FieldDef, column: &Column) -> Step {
        let about = format!(
            "{}: the field is an Option, but the column is NOT NULL",
            asked_by(model, field)
        );
        let in_key = self
            .relation
            .primary_key
            .as_ref()
            .is_some_and(|k| k.columns.iter().any(|c| *c == column.name));
        if in_key || column.identity.is_some() {
            return Step {
                about: format!("{about}; PostgreSQL keeps a primary key or identity column NOT NULL, so make the field not an Option"),
                up: Vec::new(),
                down: Down::Nothing,
                changes: false,
            };
        }
        if let Some((reader, read)) = self.reads_as_not_null(&column.name) {
            return Step {
                about: format!(
                    "{about}; but struct {} (field {} in {}) reads it as NOT NULL, which dropping NOT NULL would break",
                    reader.model.name(),
                    read.name(),
                    reader.file.display()
                ),
                up: vec![commented(
                    "TODO: give the column a default if an insert's None is to send DEFAULT, or make the field not an Option",
                    self.alter_column(&column.name, "SET DEFAULT <value>"),
                )],
                down: Down::Nothing,
                changes: true,
            };
        }
        Step {
            about,
            up: vec![run(
                "ACCESS EXCLUSIVE lock, brief; no scan",
                self.alter_column(&column.name, "DROP NOT NULL"),
            )],
            down: Down::Run(vec![run(
                "ACCESS EXCLUSIVE lock; scans the table; fails once a NULL was written",
                self.alter_column(&column.name, "SET NOT NULL"),
            )]),
            changes: true,
        }
    }

    /// A struct that reads the column into a field that is not an `Option`:
    /// it needs the column NOT NULL.
    fn reads_as_not_null(&self, column: &str) -> Option<(&'a FoundModel, &'a FieldDef)> {
        self.models
            .iter()
            .filter(|m| m.model.directions.read)
            .find_map(|m| {
                m.model
                    .mapped_fields()
                    .find(|f| f.column == column && types::option_inner(&f.ty).is_none())
                    .map(|f| (*m, f))
            })
    }

    /// `SET NOT NULL` the way that keeps the long scan out of the exclusive
    /// lock: a `NOT VALID` check, `VALIDATE`, `SET NOT NULL` (which the
    /// valid check proves without a scan), then the check dropped.
    fn set_not_null(&self, model: &FoundModel, field: &FieldDef) -> Step {
        let check = text::ident(&self.check_name());
        let column = text::ident(&field.column);
        let alter = |action: String| format!("ALTER TABLE {} {action};", self.name);
        Step {
            about: format!("{}: the field is not an Option, but the column is nullable", asked_by(model, field)),
            up: vec![
                self.backfill(&field.column, "before the check is validated"),
                run(
                    "ACCESS EXCLUSIVE lock, brief; no scan: rows already there are checked by VALIDATE",
                    alter(format!("ADD CONSTRAINT {check} CHECK ({column} IS NOT NULL) NOT VALID")),
                ),
                run(
                    "SHARE UPDATE EXCLUSIVE lock: scans the table while reads and writes go on (run in a transaction of its own for that; inside this one, the lock above is held until COMMIT)",
                    alter(format!("VALIDATE CONSTRAINT {check}")),
                ),
                run(
                    "ACCESS EXCLUSIVE lock, brief; no scan: the valid check proves no row holds NULL",
                    self.alter_column(&field.column, "SET NOT NULL"),
                ),
                run(
                    "ACCESS EXCLUSIVE lock, brief; drops only the temporary check added above, which NOT NULL now makes redundant",
                    alter(format!("DROP CONSTRAINT {check}")),
                ),
            ],
            down: Down::Run(vec![run(
                "ACCESS EXCLUSIVE lock, brief; no scan",
                self.alter_column(&field.column, "DROP NOT NULL"),
            )]),
            changes: true,
        }
    }

    /// A name for the temporary check that the table does not use.
    fn check_name(&self) -> String {
        let taken = |name: &str| {
            self.relation
                .check_constraints
                .iter()
                .any(|c| c.name == name)
        };
        (0..)
            .map(|n| match n {
                0 => "pgdrift_not_null".to_owned(),
                n => format!("pgdrift_not_null_{n}"),
            })
            .find(|name| !taken(name))
            .expect("a free name")
    }

    /// A commented-out `DROP COLUMN` for each column no field maps, when a
    /// struct reads the whole table (not `partial`).
    fn uncovered(&self, fields: &[(&FoundModel, &FieldDef)]) -> Vec<Step> {
        let readers: Vec<String> = self
            .models
            .iter()
            .filter(|m| m.model.directions.read && !m.model.partial)
            .map(|m| format!("{} in {}", m.model.name(), m.file.display()))
            .collect();
        if readers.is_empty() {
            return Vec::new();
        }
        self.relation
            .columns
            .iter()
            .filter(|c| !fields.iter().any(|(_, f)| f.column == c.name))
            .map(|c| Step {
                about: format!(
                    "{}.{} (no field of struct {} maps it): kept; drop it only if its data is not needed",
                    self.shown,
                    c.name,
                    readers.join(", struct ")
                ),
                up: vec![commented(
                    "DATA LOSS: drops the column and every value in it; ACCESS EXCLUSIVE lock",
                    format!("ALTER TABLE {} DROP COLUMN {};", self.name, text::ident(&c.name)),
                )],
                down: Down::Nothing,
                changes: false,
            })
            .collect()
    }
}

/// The TODO note of a field whose Rust type has no one PostgreSQL type.
fn choose_type(rust: &str) -> String {
    format!("TODO: pgdrift cannot tell which PostgreSQL type `{rust}` needs; write it here, or give the field #[pgdrift(sql_type = \"…\")]")
}
