//! The one definition of drift: a [`ModelDef`] against a [`Catalog`].
//!
//! The derive turns these findings into compiler diagnostics;
//! `compare-db-models` prints them as `file:line:col` lines.

use std::collections::{HashMap, HashSet};

use proc_macro2::Span;

use crate::catalog::{Catalog, Column, Identity, Relation, RelationKind};
use crate::finding::{Check, Finding, Level};
use crate::fix::{sure_fix, Fix};
use crate::input::{type_text, FieldDef, KeySource, ModelDef};
use crate::interop::{diesel_name, DieselSqlType};
use crate::suggest::closest;
use crate::types::{self, Fit};

/// Every problem of `model` against `catalog`, in source order, with a
/// note for each field no check can reach when the model is `strict`.
pub fn check_model(model: &ModelDef, catalog: &Catalog) -> Vec<Finding> {
    check_model_noting(model, catalog, model.strict)
}

/// [`check_model`], with a note for each field no check can reach when
/// `notes` (also for models that are not `strict`: the CLI's `--verbose`).
/// A struct diesel implements for several tables is checked against each.
pub fn check_model_noting(model: &ModelDef, catalog: &Catalog, notes: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    for table in std::iter::once(&model.table).chain(&model.more_tables) {
        out.extend(check_table(model, table, catalog, notes));
    }
    out
}

/// The findings of `model` against `table`, one of its tables.
fn check_table(model: &ModelDef, table: &str, catalog: &Catalog, notes: bool) -> Vec<Finding> {
    let mut findings = Findings {
        model,
        table,
        notes,
        out: Vec::new(),
        renamed: Vec::new(),
    };
    let Some(relation) = catalog.relation(&model.schema, table) else {
        findings.missing_table(catalog);
        return findings.out;
    };
    findings.db_fills(relation);
    findings.writable_relation(relation);
    let mut mapped: HashMap<&str, &FieldDef> = HashMap::new();
    for field in model.mapped_fields() {
        let Some(column) = findings.column_of(relation, field) else {
            continue;
        };
        if let Some(first) = mapped.insert(&column.name, field) {
            let message = format!(
                "column \"{}\" is already mapped by field `{}`",
                findings.qualified_column(&column.name),
                first.name()
            );
            let finding = findings
                .found(Check::DuplicateColumn, Level::Error, message)
                .on(field, &column.name)
                .help("map each column to one field, or `#[pgdrift(skip)]` this one");
            findings.push(finding);
            mapped.insert(&column.name, first);
            continue;
        }
        findings.field(catalog, relation, field, column);
    }
    findings.primary_key(relation, &mapped);
    findings.coverage(catalog, relation, &mapped);
    findings.out
}

/// The column `field` maps in `relation`: its own, or, while the rename it
/// asks for with `renamed_from` is pending, the column under its old name.
pub fn mapped_column<'r>(relation: &'r Relation, field: &FieldDef) -> Option<&'r Column> {
    let old = || relation.column(&field.renamed_from.as_ref()?.value());
    relation.column(&field.column).or_else(old)
}

/// Whether an INSERT must give the column a value: `NOT NULL`, with no
/// default, not identity, not generated.
fn insert_requires(column: &Column) -> bool {
    !column.nullable && !fills_itself(column)
}

/// Whether the model's `db_fills` says a trigger fills the column.
fn left_to_trigger(model: &ModelDef, column: &Column) -> bool {
    model
        .db_fills
        .as_ref()
        .is_some_and(|fills| fills.names(&column.name))
}

/// Whether PostgreSQL fills the column when an INSERT leaves it out: a
/// default (serial's too), identity, or a generated expression.
fn fills_itself(column: &Column) -> bool {
    column.default.is_some() || column.identity.is_some() || column.generated.is_some()
}

/// Whether no INSERT or UPDATE may write the column: generated, or identity
/// `ALWAYS`.
fn never_written(column: &Column) -> Option<&'static str> {
    if column.generated.is_some() {
        Some("a generated column")
    } else if column.identity == Some(Identity::Always) {
        Some("an identity column GENERATED ALWAYS")
    } else {
        None
    }
}

/// The triggers that may fill a new row's columns (`BEFORE INSERT … FOR
/// EACH ROW`), in the order they fire.
fn filling_triggers(relation: &Relation) -> Vec<&str> {
    relation
        .triggers
        .iter()
        .filter(|t| t.fills_inserts())
        .map(|t| t.name.as_str())
        .collect()
}

/// `"a"`, `"a" and "b"`, `"a", "b" and "c"`, with how many names there
/// are; `None` for none.
fn quoted_list(names: &[&str]) -> Option<(String, usize)> {
    let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    match quoted.as_slice() {
        [] => None,
        [one] => Some((one.clone(), 1)),
        [rest @ .., last] => Some((format!("{} and {last}", rest.join(", ")), quoted.len())),
    }
}

/// Whether a relation of `kind` can have a primary key.
fn has_primary_key(kind: RelationKind) -> bool {
    matches!(kind, RelationKind::Table | RelationKind::PartitionedTable)
}

/// Whether the columns of `declared` are exactly those of the table's
/// primary key, a unique constraint or a unique index: a key that
/// identifies a row. `mapped` holds the column each field maps.
fn is_unique_key(
    relation: &Relation,
    declared: &[&FieldDef],
    mapped: &HashMap<&str, &FieldDef>,
) -> bool {
    let columns: HashSet<&str> = mapped
        .iter()
        .filter(|(_, field)| declared.iter().any(|d| std::ptr::eq(*d, **field)))
        .map(|(column, _)| *column)
        .collect();
    if columns.len() != declared.len() {
        return false;
    }
    let same = |key: &[String]| {
        key.len() == columns.len() && key.iter().all(|c| columns.contains(c.as_str()))
    };
    let constraints = relation
        .primary_key
        .iter()
        .chain(&relation.unique_constraints);
    constraints.map(|k| &k.columns).any(|k| same(k))
        || relation
            .indexes
            .iter()
            .any(|i| i.unique && same(&i.columns))
}

/// How messages name a primary key declaration, by where it is written.
struct KeyWords {
    /// How a declared field is described: "marked `primary_key`".
    marked: &'static str,
    /// What takes the whole declaration back.
    remove_all: &'static str,
    /// What takes one field out of the declaration.
    remove: fn(&str) -> String,
    /// What puts one field into it.
    add: fn(&str) -> String,
    /// How much a difference from the table's key weighs: pgdrift's own
    /// attribute says the columns are the primary key (an error when they
    /// are not); diesel's says only that they identify a row, which a
    /// unique key does too (a warning).
    level: Level,
}

impl KeyWords {
    fn of(source: KeySource) -> KeyWords {
        match source {
            KeySource::Pgdrift => KeyWords {
                marked: "marked `primary_key`",
                remove_all: "remove `primary_key` from the fields",
                remove: |_| "remove `primary_key` from the field".into(),
                add: |_| "mark the field `#[pgdrift(primary_key)]`".into(),
                level: Level::Error,
            },
            KeySource::Diesel => KeyWords {
                marked: "named in `#[diesel(primary_key(…))]`",
                remove_all: "remove `primary_key(…)` from `#[diesel(…)]`",
                remove: |name| format!("remove `{name}` from `#[diesel(primary_key(…))]`"),
                add: |name| format!("add `{name}` to `#[diesel(primary_key(…))]`"),
                level: Level::Warning,
            },
        }
    }
}

/// A nullability problem as one direction sees it.
struct Verdict {
    check: Check,
    level: Level,
    message: String,
    help: String,
    /// Spanned on the whole type rather than the field's name.
    on_type: bool,
    /// Whether its help is the one sure fix (else it offers a choice).
    sure: bool,
}

/// A field's Rust type as its column's nullability sees it.
struct Shape<'a> {
    /// The whole type.
    ty: &'a syn::Type,
    /// The type inside its `Option`s (one, or two for `Option<Option<T>>`).
    inner: &'a syn::Type,
    is_option: bool,
    /// `Option<Option<T>>`: a write's way to send NULL with `Some(None)`
    /// (and DEFAULT or "unchanged" with `None`); no read decodes into it.
    double_option: bool,
}

impl<'a> Shape<'a> {
    fn of(ty: &'a syn::Type) -> Shape<'a> {
        let (mut inner, is_option) = match types::option_inner(ty) {
            Some(inner) => (inner, true),
            None => (ty, false),
        };
        let double_option = match types::option_inner(inner) {
            Some(innermost) => {
                inner = innermost;
                true
            }
            None => false,
        };
        Shape {
            ty,
            inner,
            is_option,
            double_option,
        }
    }
}

/// A finding being built: where it points and what it is about, then
/// [`Findings::push`]ed.
struct Draft(Finding);

impl Draft {
    /// Points at the one token `span`.
    fn at(mut self, span: Span) -> Draft {
        self.0.span = Some(span);
        self.0.end = None;
        self
    }

    /// Points at all of `tokens` (a whole type, say).
    fn over(mut self, tokens: &impl quote::ToTokens) -> Draft {
        let mut spans = tokens.to_token_stream().into_iter().map(|t| t.span());
        self.0.span = Some(spans.next().unwrap_or_else(Span::call_site));
        self.0.end = spans.last();
        self
    }

    /// About `field`, which maps `column`; points at the field's name.
    fn on(mut self, field: &FieldDef, column: &str) -> Draft {
        self.0.field = Some(field.name());
        self.0.column = Some(column.to_owned());
        self.at(field.ident.span())
    }

    /// With advice on how to fix it.
    fn help(self, help: impl Into<String>) -> Draft {
        self.maybe_help(Some(help.into()))
    }

    /// With advice on how to fix it, when there is some.
    fn maybe_help(mut self, help: Option<String>) -> Draft {
        self.0.help = help;
        self
    }

    /// With the sure fix, when there is one.
    fn fix(mut self, fix: Option<Fix>) -> Draft {
        self.0.fix = fix;
        self
    }
}

struct Findings<'a> {
    model: &'a ModelDef,
    /// The table checked: the model's, or another of diesel's `table_name`s.
    table: &'a str,
    /// Whether fields out of every check's reach are noted.
    notes: bool,
    out: Vec<Finding>,
    /// Columns that fixes of misspelt fields map.
    renamed: Vec<String>,
}

impl Findings<'_> {
    /// A finding about the model's table, pointing at the struct's name
    /// until told otherwise.
    fn found(&self, check: Check, level: Level, message: String) -> Draft {
        let model = self.model;
        let mut finding = Finding::new(check, level, model.ident.span(), &model.name(), message);
        finding.schema = Some(model.schema.clone());
        finding.table = Some(self.table.to_owned());
        Draft(finding)
    }

    /// Adds the finding; every warning of a `strict` model is an error.
    fn push(&mut self, Draft(mut finding): Draft) {
        if self.model.strict && finding.level == Level::Warning {
            finding.level = Level::Error;
        }
        self.out.push(finding);
    }

    /// `users` in `public`, `app.orders` elsewhere.
    fn qualified_table(&self) -> String {
        if self.model.schema == "public" {
            self.table.to_owned()
        } else {
            format!("{}.{}", self.model.schema, self.table)
        }
    }

    fn qualified_column(&self, column: &str) -> String {
        format!("{}.{column}", self.qualified_table())
    }

    fn missing_table(&mut self, catalog: &Catalog) {
        let (model, table) = (self.model, self.table);
        let composite = crate::catalog::TypeName::new(&model.schema, table);
        if catalog.composite(&composite).is_some() {
            let name = self.qualified_table();
            let message = format!("\"{name}\" is a composite type, not a table or view");
            let finding = self.found(Check::MissingTable, Level::Error, message).help(format!(
                "a composite type is a column's type: map the column's field to a type with `#[pgdrift(sql_type = {name:?})]`"
            ));
            self.push(finding);
            return;
        }
        let elsewhere: Vec<&str> = catalog
            .relations()
            .filter(|(schema, r)| r.name == table && *schema != model.schema)
            .map(|(schema, _)| schema)
            .collect();
        let same_schema = catalog
            .schema(&model.schema)
            .map(|s| {
                s.relations
                    .iter()
                    .map(|r| r.name.as_str())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        let help = if let Some(schema) = elsewhere.first() {
            Some(format!(
                "a table \"{schema}.{table}\" exists: add `#[pgdrift(schema = \"{schema}\")]`"
            ))
        } else if let Some(name) = closest(table, same_schema) {
            Some(format!(
                "did you mean \"{name}\"? add `#[pgdrift(table = \"{name}\")]`"
            ))
        } else {
            let all = catalog.relations().map(|(_, r)| r.name.as_str());
            closest(table, all).and_then(|name| {
                catalog
                    .relations()
                    .find(|(_, r)| r.name == name)
                    .map(|(schema, _)| {
                        format!(
                            "did you mean \"{schema}.{name}\"? add `#[pgdrift(schema = \"{schema}\", table = \"{name}\")]`"
                        )
                    })
            })
        };
        let help = help.or_else(|| {
            (catalog.schema(&model.schema).is_none())
                .then(|| format!("the database has no schema \"{}\"", model.schema))
        });
        let message = format!(
            "table or view \"{}\" does not exist",
            self.qualified_table()
        );
        let finding = self
            .found(Check::MissingTable, Level::Error, message)
            .maybe_help(help);
        self.push(finding);
    }

    /// The column `field` maps (see [`mapped_column`]), and a finding when
    /// its rename is done or pending or it has no column. A pending rename's
    /// old column is checked as the field's, so a problem shows before the
    /// rename.
    fn column_of<'r>(&mut self, relation: &'r Relation, field: &FieldDef) -> Option<&'r Column> {
        let column = mapped_column(relation, field);
        match (&field.renamed_from, column) {
            (None, None) if !field.may_be_missing => self.missing_column(relation, field),
            (None, _) => {}
            (Some(old), Some(column)) if column.name == field.column => {
                let old_exists = relation.column(&old.value()).is_some();
                self.rename_done(field, old, old_exists);
            }
            (Some(old), Some(_)) => self.rename_pending(field, old),
            (Some(old), None) => self.renamed_from_missing(relation, field, old),
        }
        column
    }

    /// `renamed_from` on a field whose column exists: the rename is done
    /// (or, when the old column is still there too, nothing is renamed).
    fn rename_done(&mut self, field: &FieldDef, old: &syn::LitStr, old_exists: bool) {
        let column = self.qualified_column(&field.column);
        let message = match old_exists {
            false => format!("column \"{column}\" exists: the rename is done"),
            true => format!(
                "column \"{column}\" exists, and so does \"{}\": there is nothing to rename",
                self.qualified_column(&old.value())
            ),
        };
        let finding = self
            .found(Check::RenameDone, Level::Warning, message)
            .on(field, &field.column)
            .at(old.span())
            .help(format!("remove `renamed_from = {:?}`", old.value()));
        self.push(finding);
    }

    /// A field whose column the database still calls by its old name.
    fn rename_pending(&mut self, field: &FieldDef, old: &syn::LitStr) {
        let message = format!(
            "column \"{}\" does not exist yet: the database still calls it \"{}\"",
            self.qualified_column(&field.column),
            old.value()
        );
        let finding = self
            .found(Check::MissingColumn, Level::Error, message)
            .on(field, &field.column)
            .help("`schema-check draft` writes the RENAME COLUMN for review; apply it with your migration tool");
        self.push(finding);
    }

    /// A field with `renamed_from` whose column exists under neither name.
    fn renamed_from_missing(&mut self, relation: &Relation, field: &FieldDef, old: &syn::LitStr) {
        let names = relation.columns.iter().map(|c| c.name.as_str());
        let help = closest(&old.value(), names)
            .map(|near| format!("did you mean `renamed_from = \"{near}\"`?"));
        let message = format!(
            "column \"{}\" does not exist, nor does \"{}\", which `renamed_from` names",
            self.qualified_column(&field.column),
            old.value()
        );
        let finding = self
            .found(Check::MissingColumn, Level::Error, message)
            .on(field, &field.column)
            .maybe_help(help);
        self.push(finding);
    }

    fn missing_column(&mut self, relation: &Relation, field: &FieldDef) {
        let names = relation.columns.iter().map(|c| c.name.as_str());
        let near = closest(&field.column, names);
        let help = near.map(|name| {
            if field.column_given {
                format!("did you mean \"{name}\"?")
            } else {
                format!("did you mean \"{name}\"? add `#[pgdrift(column = \"{name}\")]`")
            }
        });
        let fix = sure_fix!(near.filter(|_| !field.column_given).map(|name| {
            self.renamed.push(name.to_owned());
            crate::fix::rust::column(field, name)
        }));
        let message = format!(
            "column \"{}\" does not exist",
            self.qualified_column(&field.column)
        );
        let finding = self
            .found(Check::MissingColumn, Level::Error, message)
            .on(field, &field.column)
            .maybe_help(help)
            .fix(fix);
        self.push(finding);
    }

    /// The fields the model declares as the primary key against the
    /// table's: the same columns, or an error for each difference.
    /// `mapped` holds the column each field maps.
    fn primary_key(&mut self, relation: &Relation, mapped: &HashMap<&str, &FieldDef>) {
        let model = self.model;
        let Some(source) = model.primary_key_source() else {
            return;
        };
        let declared: Vec<&FieldDef> = model.primary_key_fields().collect();
        if source == KeySource::Diesel && is_unique_key(relation, &declared, mapped) {
            return;
        }
        let words = KeyWords::of(source);
        if !has_primary_key(relation.kind) {
            // diesel needs a key for a view's `table!`: only pgdrift's own
            // attribute, which serves nothing else, is out of place there.
            if source == KeySource::Pgdrift {
                self.key_on_keyless(relation, declared[0]);
            }
            return;
        }
        let Some(key) = &relation.primary_key else {
            self.no_primary_key(&declared, &words);
            return;
        };
        for field in model.mapped_fields() {
            let Some((column, _)) = mapped.iter().find(|(_, f)| std::ptr::eq(**f, field)) else {
                continue;
            };
            let in_key = key.columns.iter().any(|c| c == column);
            let is_declared = declared.iter().any(|d| std::ptr::eq(*d, field));
            if in_key != is_declared {
                self.key_column(field, column, in_key, &key.column_list(), &words);
            }
        }
        let unmapped: Vec<&String> = key
            .columns
            .iter()
            .filter(|c| !mapped.contains_key(c.as_str()))
            .collect();
        if !unmapped.is_empty() {
            self.key_unmapped(&key.column_list(), &unmapped, &words);
        }
    }

    /// `primary_key` on a relation that cannot have one.
    fn key_on_keyless(&mut self, relation: &Relation, field: &FieldDef) {
        let kind = relation.kind.describe();
        let message = format!(
            "`primary_key` does not apply: \"{}\" is a {kind}, which has no primary key",
            self.qualified_table()
        );
        let finding = self
            .found(Check::PrimaryKey, Level::Error, message)
            .on(field, &field.column)
            .help("remove `primary_key`");
        self.push(finding);
    }

    /// A declared key on a table without one.
    fn no_primary_key(&mut self, declared: &[&FieldDef], words: &KeyWords) {
        let names: Vec<String> = declared.iter().map(|f| format!("`{}`", f.name())).collect();
        let message = format!(
            "table \"{}\" has no primary key, but the struct declares one: {}",
            self.qualified_table(),
            names.join(", ")
        );
        let field = declared[0];
        let span = self.model.primary_key_span(field);
        let finding = self
            .found(Check::PrimaryKey, words.level, message)
            .on(field, &field.column)
            .at(span)
            .help(format!(
                "give the table its primary key, or {}",
                words.remove_all
            ));
        self.push(finding);
    }

    /// A mapped column that is in the key but not declared, or declared
    /// but not in the key.
    fn key_column(
        &mut self,
        field: &FieldDef,
        column: &str,
        in_key: bool,
        key: &str,
        words: &KeyWords,
    ) {
        let qualified = self.qualified_column(column);
        let table = self.qualified_table();
        let name = field.name();
        let (message, help, span) = match in_key {
            true => (
                format!("column \"{qualified}\" is part of the primary key of \"{table}\" ({key}), but field `{name}` is not {}", words.marked),
                (words.add)(&name),
                field.ident.span(),
            ),
            false => (
                format!("column \"{qualified}\" is not part of the primary key of \"{table}\", which is ({key})"),
                (words.remove)(&name),
                self.model.primary_key_span(field),
            ),
        };
        let finding = self
            .found(Check::PrimaryKey, words.level, message)
            .on(field, column)
            .at(span)
            .help(help);
        self.push(finding);
    }

    /// Key columns no field maps, so the declared key cannot be the
    /// table's.
    fn key_unmapped(&mut self, key: &str, columns: &[&String], words: &KeyWords) {
        let names: Vec<String> = columns.iter().map(|c| format!("\"{c}\"")).collect();
        let message = format!(
            "the primary key of \"{}\" is ({key}), but no field maps {}",
            self.qualified_table(),
            names.join(", ")
        );
        let it = if columns.len() == 1 { "it" } else { "each" };
        let finding = self
            .found(Check::PrimaryKey, words.level, message)
            .help(format!("add a field for {it}, {}", words.marked));
        self.push(finding);
    }

    /// `db_fills` against the table: every name a column, and a `BEFORE
    /// INSERT` row trigger to fill them.
    fn db_fills(&mut self, relation: &Relation) {
        let Some(fills) = &self.model.db_fills else {
            return;
        };
        let mut known = Vec::new();
        for name in &fills.columns {
            match relation.column(name) {
                Some(column) => known.push(format!("\"{}\"", column.name)),
                None => self.db_fills_unknown(relation, name, fills.span),
            }
        }
        if known.is_empty() || !filling_triggers(relation).is_empty() {
            return;
        }
        let (it, help) = match known.len() {
            1 => ("it", "add a field for it, or give the column a default, and take it out of `db_fills`"),
            _ => ("them", "add a field for each, or give the columns defaults, and take them out of `db_fills`"),
        };
        let disabled: Vec<&str> = relation
            .triggers
            .iter()
            .filter(|t| t.disabled && t.before_insert_row())
            .map(|t| t.name.as_str())
            .collect();
        let trigger = match quoted_list(&disabled) {
            None => "no BEFORE INSERT row trigger".to_owned(),
            Some((named, 1)) => {
                format!("no enabled BEFORE INSERT row trigger ({named} is disabled)")
            }
            Some((named, _)) => {
                format!("no enabled BEFORE INSERT row trigger ({named} are disabled)")
            }
        };
        let message = format!(
            "`db_fills` leaves {} to a trigger, but \"{}\" has {trigger}: nothing fills {it}",
            known.join(", "),
            self.qualified_table(),
        );
        let finding = self
            .found(Check::RequiredColumn, Level::Error, message)
            .at(fills.span)
            .help(help);
        self.push(finding);
    }

    /// The help of a warning about required `columns` that the table's
    /// `BEFORE INSERT` row triggers may fill, or `None` when it has none.
    /// pgdrift does not read trigger bodies, so it names every such
    /// trigger. `it` is how the help calls the columns, `otherwise` what to
    /// do when no trigger fills them.
    fn trigger_help(
        &self,
        relation: &Relation,
        columns: &[&Column],
        it: &str,
        otherwise: &str,
    ) -> Option<String> {
        let (named, they_do) = match quoted_list(&filling_triggers(relation))? {
            (one, 1) => (format!("trigger {one}"), "it does"),
            (many, _) => (format!("triggers {many}"), "they do"),
        };
        let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
        let names = names.join(", ");
        let say_so = match self.model.db_fills {
            Some(_) => format!("add \"{names}\" to `db_fills`"),
            None => format!("say so with `#[pgdrift(db_fills = \"{names}\")]`"),
        };
        Some(format!(
            "{named} may fill {it} before the row is written: if {they_do}, {say_so}; if not, {otherwise}"
        ))
    }

    /// A `db_fills` name that is not a column of the relation.
    fn db_fills_unknown(&mut self, relation: &Relation, name: &str, span: Span) {
        let names = relation.columns.iter().map(|c| c.name.as_str());
        let help = closest(name, names).map(|near| format!("did you mean \"{near}\"?"));
        let message = format!(
            "`db_fills` names \"{name}\", which is not a column of \"{}\"",
            self.qualified_table()
        );
        let mut finding = self
            .found(Check::MissingColumn, Level::Error, message)
            .at(span)
            .maybe_help(help);
        finding.0.column = Some(name.to_owned());
        self.push(finding);
    }

    /// An insert or update struct on a relation that does not take those
    /// writes.
    fn writable_relation(&mut self, relation: &Relation) {
        let directions = self.model.directions;
        let writable = match relation.kind {
            RelationKind::View => relation.writable.unwrap_or_default(),
            RelationKind::MaterializedView => Default::default(),
            _ => return,
        };
        let refused: Vec<&str> = [
            (directions.insert && !writable.insert, "insert into"),
            (directions.update && !writable.update, "update"),
        ]
        .into_iter()
        .filter_map(|(refused, what)| refused.then_some(what))
        .collect();
        if refused.is_empty() {
            return;
        }
        let message = format!(
            "{} \"{}\" is not updatable, so the struct cannot {} it",
            relation.kind.describe(),
            self.qualified_table(),
            refused.join(" or ")
        );
        let finding = self.found(Check::NotWritable, Level::Error, message).help(
            "write to the underlying table, or make the view updatable (a simple view, or INSTEAD OF triggers)",
        );
        self.push(finding);
    }

    /// Every check of one field against its column: nullability, whether
    /// the column may be written, the declared SQL types, the Rust type.
    ///
    /// Nullability is the field's own type's business (it is what holds a
    /// NULL); a conversion type (`deserialize_as`, `try_from`) only takes
    /// its place in the type check.
    fn field(&mut self, catalog: &Catalog, relation: &Relation, field: &FieldDef, column: &Column) {
        let shape = Shape::of(&field.ty);
        let checked = Shape::of(field.checked_ty()).inner;
        self.nullability(relation, field, column, &shape);
        self.writability(relation, field, column);
        let sql = types::resolve(catalog, column);
        self.declared_types(catalog, &sql, field, column);
        if field.json {
            self.json(&sql, field, column);
        } else {
            self.type_fit(&sql, field, column, checked);
        }
    }

    /// The field's `Option`s against the column's nullability, as the
    /// struct's directions read and write it: the most serious verdict.
    fn nullability(
        &mut self,
        relation: &Relation,
        field: &FieldDef,
        column: &Column,
        shape: &Shape,
    ) {
        let verdicts = self.nullability_verdicts(relation, field, column, shape);
        let Some(verdict) = verdicts.into_iter().max_by_key(|v| v.level) else {
            return;
        };
        let fix = match verdict.sure {
            true => sure_fix!(crate::fix::rust::nullability(
                verdict.check,
                &verdict.help,
                shape.ty,
                shape.inner,
                self.model.strict && !shape.double_option,
            )),
            false => None,
        };
        let finding = self
            .found(verdict.check, verdict.level, verdict.message)
            .on(field, &column.name);
        let finding = match verdict.on_type {
            true => finding.over(shape.ty),
            false => finding,
        };
        self.push(finding.help(verdict.help).fix(fix));
    }

    /// A field of a struct that writes, on a column no write may set. An
    /// update writes no field of the row's key: it finds the row by it
    /// (diesel's `AsChangeset` leaves the key out of `SET`).
    fn writability(&mut self, relation: &Relation, field: &FieldDef, column: &Column) {
        let directions = self.model.directions;
        let inserts = field.inserted(directions);
        let updates = field.updated(directions) && !self.identifies_row(relation, field);
        if !(inserts || updates) {
            return;
        }
        let Some(what) = never_written(column) else {
            return;
        };
        let verb = if inserts { "an INSERT" } else { "an UPDATE" };
        let message = format!(
            "column \"{}\" is {what}, which {verb} cannot write",
            self.qualified_column(&column.name)
        );
        let finding = self
            .found(Check::NotWritable, Level::Error, message)
            .on(field, &column.name)
            .help("leave the field out of structs that write, or `#[pgdrift(skip)]` it");
        self.push(finding);
    }

    /// Whether `field` is part of the row's key: of the key the model
    /// declares (`primary_key`, diesel's `primary_key(…)`), else of the
    /// table's primary key.
    fn identifies_row(&self, relation: &Relation, field: &FieldDef) -> bool {
        match self.model.primary_key_source() {
            Some(_) => self
                .model
                .primary_key_fields()
                .any(|key| std::ptr::eq(key, field)),
            None => relation
                .primary_key
                .as_ref()
                .is_some_and(|key| key.columns.contains(&field.column)),
        }
    }

    /// `#[pgdrift(sql_type = "…")]` and `#[diesel(sql_type = …)]` against
    /// the column's type.
    fn declared_types(
        &mut self,
        catalog: &Catalog,
        sql: &types::SqlType,
        field: &FieldDef,
        column: &Column,
    ) {
        if let Some(declared) = &field.sql_type {
            if !types::sql_type_matches(catalog, column, &declared.value()) {
                let message = format!(
                    "`sql_type = {:?}` does not match column \"{}\", which is `{}`",
                    declared.value(),
                    self.qualified_column(&column.name),
                    column.data_type
                );
                let finding = self
                    .found(Check::SqlTypeMismatch, Level::Error, message)
                    .on(field, &column.name)
                    .at(declared.span())
                    .help(format!("write `sql_type = {:?}`", column.data_type));
                self.push(finding);
            }
        }
        if let Some(declared) = &field.diesel_sql_type {
            self.diesel_sql_type(sql, field, column, declared);
        }
    }

    /// A `#[sqlx(json)]` field: the column must hold JSON.
    fn json(&mut self, sql: &types::SqlType, field: &FieldDef, column: &Column) {
        if matches!(sql, types::SqlType::Mapped("json" | "jsonb")) {
            return;
        }
        let message = format!(
            "column \"{}\" is `{}`, but `#[sqlx(json)]` reads `json` or `jsonb`",
            self.qualified_column(&column.name),
            column.data_type
        );
        let finding = self
            .found(Check::TypeMismatch, Level::Error, message)
            .on(field, &column.name)
            .over(&field.ty);
        self.push(finding);
    }

    /// What each of the struct's directions says about the column's
    /// nullability against the field's `Option`s.
    fn nullability_verdicts(
        &self,
        relation: &Relation,
        field: &FieldDef,
        column: &Column,
        shape: &Shape,
    ) -> Vec<Verdict> {
        let Shape {
            inner,
            is_option,
            double_option,
            ..
        } = *shape;
        let directions = self.model.directions;
        let (inserts, updates) = (field.inserted(directions), field.updated(directions));
        let write = inserts || updates;
        // diesel may be told that `None` writes NULL: then a plain `Option`
        // on a NOT NULL column fails the write.
        let none_null =
            |told: bool| told && is_option && !double_option && !column.accepts_null_on_write();
        [
            (directions.read && column.nullable && !is_option)
                .then(|| self.nullable_without_option(column, inner)),
            (directions.read && !column.nullable && is_option)
                .then(|| self.option_on_not_null(column, inner)),
            (inserts
                && is_option
                && !field.none.null_on_insert()
                && insert_requires(column)
                && !left_to_trigger(self.model, column))
            .then(|| self.required_by_insert(relation, column, inner)),
            (inserts
                && none_null(field.none.null_on_insert())
                && !left_to_trigger(self.model, column))
            .then(|| self.none_inserts_null(relation, column, inner)),
            (updates && none_null(field.none.null_on_update()))
                .then(|| self.none_updates_to_null(column, inner)),
            (double_option && directions.read).then(|| self.double_option_read(column, inner)),
            (double_option && !column.nullable && write)
                .then(|| self.null_into_not_null(column, inner)),
        ]
        .into_iter()
        .flatten()
        .collect()
    }

    /// A read struct's plain field on a column that may hold NULL.
    fn nullable_without_option(&self, column: &Column, inner: &syn::Type) -> Verdict {
        let qualified = self.qualified_column(&column.name);
        Verdict {
            check: Check::NullableWithoutOption,
            level: Level::Error,
            message: if column.not_null_not_valid {
                format!("column \"{qualified}\" is NOT NULL NOT VALID: rows written before the constraint may hold NULL, but the field is not an `Option`")
            } else {
                format!("column \"{qualified}\" is nullable, but the field is not an `Option`")
            },
            help: if column.not_null_not_valid {
                format!(
                    "use `Option<{}>`, or validate the constraint (`ALTER TABLE … VALIDATE CONSTRAINT …`) and keep the field",
                    type_text(inner)
                )
            } else {
                format!("use `Option<{}>`", type_text(inner))
            },
            on_type: true,
            sure: true,
        }
    }

    /// A read struct's `Option` on a `NOT NULL` column.
    fn option_on_not_null(&self, column: &Column, inner: &syn::Type) -> Verdict {
        let qualified = self.qualified_column(&column.name);
        Verdict {
            check: Check::OptionOnNotNull,
            level: Level::Warning,
            message: format!(
                "column \"{qualified}\" is NOT NULL, so the field need not be an `Option`"
            ),
            help: format!("use `{}`", type_text(inner)),
            on_type: false,
            sure: true,
        }
    }

    /// An insert struct's `Option` on a column an insert must give: an
    /// error, or a warning naming the triggers that may fill it.
    fn required_by_insert(
        &self,
        relation: &Relation,
        column: &Column,
        inner: &syn::Type,
    ) -> Verdict {
        let qualified = self.qualified_column(&column.name);
        let plain = format!("use `{}`", type_text(inner));
        let (level, help) = match self.trigger_help(relation, &[column], "it", &plain) {
            Some(help) => (Level::Warning, help),
            None => (
                Level::Error,
                format!("{plain}, or give the column a default"),
            ),
        };
        Verdict {
            check: Check::RequiredColumn,
            level,
            message: format!(
                "column \"{qualified}\" is NOT NULL without a default, so an insert cannot send `None` (DEFAULT) for it"
            ),
            help,
            on_type: false,
            sure: true,
        }
    }

    /// An insert struct's `Option` on a NOT NULL column when diesel is told
    /// `treat_none_as_default_value = false`: `None` inserts NULL. A warning
    /// naming the `BEFORE INSERT` row triggers that may fill it first.
    fn none_inserts_null(
        &self,
        relation: &Relation,
        column: &Column,
        inner: &syn::Type,
    ) -> Verdict {
        let plain = format!("use `{}`", type_text(inner));
        let otherwise = match fills_itself(column) {
            true => format!("{plain}, or drop `treat_none_as_default_value = false` so that `None` sends DEFAULT"),
            false => plain.clone(),
        };
        let (level, help) = match self.trigger_help(relation, &[column], "it", &plain) {
            Some(help) => (Level::Warning, help),
            None => (Level::Error, otherwise),
        };
        Verdict {
            check: Check::OptionOnNotNull,
            level,
            message: format!(
                "column \"{}\" is NOT NULL, but with `treat_none_as_default_value = false` an insert sends NULL for `None`",
                self.qualified_column(&column.name)
            ),
            help,
            on_type: true,
            sure: false,
        }
    }

    /// An update struct's `Option` on a NOT NULL column when diesel is told
    /// `treat_none_as_null = true`: `None` sets the column to NULL.
    fn none_updates_to_null(&self, column: &Column, inner: &syn::Type) -> Verdict {
        Verdict {
            check: Check::OptionOnNotNull,
            level: Level::Error,
            message: format!(
                "column \"{}\" is NOT NULL, but with `treat_none_as_null = true` an update sets it to NULL for `None`",
                self.qualified_column(&column.name)
            ),
            help: format!(
                "use `{}`, or drop `treat_none_as_null` so that `None` leaves it unchanged",
                type_text(inner)
            ),
            on_type: true,
            sure: false,
        }
    }

    /// A read struct's `Option<Option<T>>`, which no client decodes.
    fn double_option_read(&self, column: &Column, inner: &syn::Type) -> Verdict {
        let qualified = self.qualified_column(&column.name);
        Verdict {
            check: Check::TypeMismatch,
            level: Level::Error,
            message: format!(
                "a read struct cannot decode column \"{qualified}\" into `Option<Option<{}>>`: a NULL reads as `None`, never `Some(None)`",
                type_text(inner)
            ),
            help: format!("use `Option<{}>`", type_text(inner)),
            on_type: true,
            sure: true,
        }
    }

    /// An insert or update struct's `Option<Option<T>>` on a `NOT NULL`
    /// column: `Some(None)` would write NULL into it.
    fn null_into_not_null(&self, column: &Column, inner: &syn::Type) -> Verdict {
        let directions = self.model.directions;
        let inner = type_text(inner);
        let verb = match (directions.insert, directions.update) {
            (true, true) => "an insert or update",
            (true, false) => "an insert",
            _ => "an update",
        };
        let help = if !directions.insert {
            format!("use `Option<{inner}>` (`None` leaves it unchanged)")
        } else if fills_itself(column) {
            format!("use `Option<{inner}>` (`None` sends DEFAULT)")
        } else {
            format!("use `{inner}`")
        };
        Verdict {
            check: Check::OptionOnNotNull,
            level: Level::Error,
            message: format!(
                "column \"{}\" is NOT NULL, so {verb} cannot set it to NULL with `Some(None)`",
                self.qualified_column(&column.name)
            ),
            help,
            on_type: true,
            sure: true,
        }
    }

    /// A `#[diesel(sql_type = …)]` against the column's type.
    fn diesel_sql_type(
        &mut self,
        sql: &types::SqlType,
        field: &FieldDef,
        column: &Column,
        declared: &syn::Type,
    ) {
        let Some(diesel) = DieselSqlType::parse(declared) else {
            return;
        };
        let qualified = self.qualified_column(&column.name);
        let (dimensions, name) = types::element_name(sql);
        let written = type_text(declared);
        if !diesel.fits(sql) {
            let column_type = match diesel_name(&name) {
                Some(diesel) => {
                    let mut text = diesel.to_owned();
                    for _ in 0..dimensions {
                        text = format!("Array<{text}>");
                    }
                    if column.nullable {
                        text = format!("Nullable<{text}>");
                    }
                    format!("diesel's type for it is `{text}`")
                }
                None => format!("the column's type is `{name}{}`", "[]".repeat(dimensions)),
            };
            let message = format!(
                "`sql_type = {written}` is `{}`, but column \"{qualified}\" is `{}`",
                diesel.describe(),
                column.data_type
            );
            let finding = self
                .found(Check::SqlTypeMismatch, Level::Error, message)
                .on(field, &column.name)
                .over(declared)
                .help(column_type);
            self.push(finding);
        } else if column.nullable && !diesel.nullable && self.model.directions.read {
            let message =
                format!("column \"{qualified}\" is nullable, but `sql_type = {written}` is not");
            let finding = self
                .found(Check::SqlTypeMismatch, Level::Error, message)
                .on(field, &column.name)
                .over(declared)
                .help(format!("write `sql_type = Nullable<{written}>`"));
            self.push(finding);
        }
    }

    fn type_fit(
        &mut self,
        sql: &types::SqlType,
        field: &FieldDef,
        column: &Column,
        inner: &syn::Type,
    ) {
        let qualified = self.qualified_column(&column.name);
        match types::fits(sql, inner) {
            Fit::Yes => {}
            Fit::No => {
                let fits = types::rust_types_for(sql);
                let help = match fits.as_slice() {
                    [] => None,
                    [one] => Some(format!("use `{one}`")),
                    many => Some(format!(
                        "use one of {}",
                        many.iter()
                            .map(|t| format!("`{t}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                };
                let message = format!(
                    "column \"{qualified}\" is `{}`, which `{}` does not fit",
                    column.data_type,
                    type_text(inner)
                );
                let fix = sure_fix!(crate::fix::rust::fitting_type(self.model, sql, inner));
                let finding = self
                    .found(Check::TypeMismatch, Level::Error, message)
                    .on(field, &column.name)
                    .over(inner)
                    .maybe_help(help)
                    .fix(fix);
                self.push(finding);
            }
            Fit::Unknown
                if !field.declares_sql_type()
                    && self.model.names_parameter(types::referent(inner)) =>
            {
                if self.notes {
                    self.out_of_reach(field, column, types::referent(inner));
                }
            }
            Fit::Unknown if self.model.strict && !field.declares_sql_type() => {
                let inner = types::referent(inner);
                let message = format!(
                    "pgdrift cannot check `{}` against column \"{qualified}\" (`{}`), and the struct is `strict`",
                    type_text(inner),
                    column.data_type
                );
                let finding = self
                    .found(Check::UncheckedType, Level::Error, message)
                    .on(field, &column.name)
                    .over(inner)
                    .help(format!(
                        "derive `pgdrift::SqlType` for `{}`, or declare the column type: `#[pgdrift(sql_type = {:?})]`",
                        type_text(inner),
                        column.data_type
                    ));
                self.push(finding);
            }
            Fit::Unknown => {}
        }
    }

    /// A strict generic struct's field whose type names one of the struct's
    /// parameters: no compile-time check can name it, so it is unchecked,
    /// and a note says so.
    fn out_of_reach(&mut self, field: &FieldDef, column: &Column, inner: &syn::Type) {
        let message = format!(
            "pgdrift cannot check `{}` against column \"{}\" (`{}`): it names a parameter of the generic struct, which no compile-time check can see",
            type_text(inner),
            self.qualified_column(&column.name),
            column.data_type
        );
        let finding = self
            .found(Check::UncheckedType, Level::Note, message)
            .on(field, &column.name)
            .over(inner)
            .help(format!(
                "declare the column type to have it checked: `#[pgdrift(sql_type = {:?})]`",
                column.data_type
            ));
        self.push(finding);
    }

    /// Columns an INSERT must fill that an insert struct leaves out.
    fn required(&mut self, relation: &Relation, columns: &[&Column]) {
        let list: Vec<String> = columns
            .iter()
            .map(|c| format!("\"{}\" ({})", c.name, c.data_type))
            .collect();
        let (noun, each) = if columns.len() == 1 {
            ("column", "it")
        } else {
            ("columns", "each")
        };
        let message = format!(
            "an insert into \"{}\" must fill NOT NULL {noun} without a default that no field maps: {}",
            self.qualified_table(),
            list.join(", ")
        );
        let add = format!("add a field for {each}");
        let them = if columns.len() == 1 { "it" } else { "them" };
        let (level, help) = match self.trigger_help(relation, columns, them, &add) {
            Some(help) => (Level::Warning, help),
            None => (Level::Error, add),
        };
        let finding = self.found(Check::RequiredColumn, level, message).help(help);
        self.push(finding);
    }

    /// The columns no field covers: those an insert must give, and for a
    /// struct that reads the whole table, the rest.
    #[cfg_attr(not(feature = "workflow"), allow(unused_variables))]
    fn coverage(
        &mut self,
        catalog: &Catalog,
        relation: &Relation,
        mapped: &HashMap<&str, &FieldDef>,
    ) {
        let uncovered: Vec<&Column> = relation
            .columns
            .iter()
            .filter(|c| !mapped.contains_key(c.name.as_str()))
            .collect();
        // An insert gives the columns of the fields it does not leave out.
        let inserted = |c: &Column| {
            mapped
                .get(c.name.as_str())
                .is_some_and(|f| f.inserted(self.model.directions))
        };
        let required: Vec<&Column> = if self.model.directions.insert {
            relation
                .columns
                .iter()
                .filter(|c| !inserted(c) && insert_requires(c) && !left_to_trigger(self.model, c))
                .collect()
        } else {
            Vec::new()
        };
        let mut unmapped = Vec::new();
        for column in &required {
            match mapped.get(column.name.as_str()) {
                Some(field) => self.required_left_out(relation, field, column),
                None => unmapped.push(*column),
            }
        }
        if !unmapped.is_empty() {
            self.required(relation, &unmapped);
        }
        if self.model.directions.read && !self.model.partial {
            let rest: Vec<&Column> = uncovered
                .into_iter()
                .filter(|c| !required.iter().any(|r| r.name == c.name))
                .collect();
            if !rest.is_empty() {
                // A column that a misspelt field's fix will map gets no new field.
                let new: Vec<&Column> = rest
                    .iter()
                    .copied()
                    .filter(|c| !self.renamed.iter().any(|r| *r == c.name))
                    .collect();
                let fix = match new.is_empty() {
                    true => None,
                    false => sure_fix!(crate::fix::rust::uncovered(
                        self.model, catalog, relation, mapped, &new
                    )),
                };
                self.uncovered(&rest, fix);
            }
        }
    }

    /// A column an insert must give whose field it leaves out
    /// (`#[diesel(skip_insertion)]`).
    fn required_left_out(&mut self, relation: &Relation, field: &FieldDef, column: &Column) {
        let message = format!(
            "an insert into \"{}\" must fill NOT NULL column \"{}\" ({}), which has no default, but the field leaves it out (`skip_insertion`)",
            self.qualified_table(),
            column.name,
            column.data_type
        );
        let plain = "remove `skip_insertion`, or give the column a default".to_owned();
        let (level, help) = match self.trigger_help(relation, &[column], "it", &plain) {
            Some(help) => (Level::Warning, help),
            None => (Level::Error, plain),
        };
        let finding = self
            .found(Check::RequiredColumn, level, message)
            .on(field, &column.name)
            .help(help);
        self.push(finding);
    }

    fn uncovered(&mut self, columns: &[&Column], fix: Option<Fix>) {
        let list: Vec<String> = columns
            .iter()
            .map(|c| {
                format!(
                    "\"{}\" ({}, {})",
                    c.name,
                    c.data_type,
                    match (c.nullable, c.not_null_not_valid) {
                        (_, true) => "not null not valid",
                        (true, false) => "nullable",
                        (false, false) => "not null",
                    }
                )
            })
            .collect();
        let (noun, each) = if columns.len() == 1 {
            ("a column", "it")
        } else {
            ("columns", "each")
        };
        let message = format!(
            "table \"{}\" has {noun} that no field maps: {}",
            self.qualified_table(),
            list.join(", ")
        );
        let finding = self
            .found(Check::UncoveredColumns, Level::Warning, message)
            .help(format!(
                "add a field for {each}, or mark the struct `#[pgdrift(partial)]` if it reads only some columns"
            ))
            .fix(fix);
        self.push(finding);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CATALOG: &str = r#"{"format": 1, "schemas": [{"name": "public", "relations": [
        {"name": "users", "kind": "table", "columns": [
            {"name": "id", "type": "bigint", "udt": "int8", "nullable": false},
            {"name": "nick", "type": "text", "udt": "text", "nullable": true},
            {"name": "email", "type": "text", "udt": "text", "nullable": false}],
         "primary_key": {"name": "users_pkey", "columns": ["id"]}},
        {"name": "memberships", "kind": "table", "columns": [
            {"name": "team_id", "type": "bigint", "udt": "int8", "nullable": false},
            {"name": "user_id", "type": "bigint", "udt": "int8", "nullable": false},
            {"name": "role", "type": "text", "udt": "text", "nullable": false}],
         "primary_key": {"name": "memberships_pkey", "columns": ["team_id", "user_id"]}},
        {"name": "events", "kind": "table", "columns": [
            {"name": "kind", "type": "text", "udt": "text", "nullable": false}]},
        {"name": "nicks", "kind": "view", "columns": [
            {"name": "nick", "type": "text", "udt": "text", "nullable": true}]}
    ]}]}"#;

    /// Each finding of the struct `src` as `level[code] message / help`.
    fn findings(src: &str) -> Vec<String> {
        let catalog =
            crate::snapshot::from_bytes(CATALOG.as_bytes(), std::path::Path::new("t")).unwrap();
        let model = ModelDef::parse(&syn::parse_str(src).unwrap())
            .unwrap_or_else(|f| panic!("{}", f[0].message));
        check_model(&model, &catalog)
            .iter()
            .map(|f| {
                let help = f.help.as_deref().unwrap_or("-");
                format!(
                    "{}[{}] {} / {help}",
                    f.level.word(),
                    f.check.code(),
                    f.message
                )
            })
            .collect()
    }

    #[test]
    fn a_done_rename_is_a_warning_to_remove_the_attribute() {
        assert_eq!(
            findings(
                r#"#[pgdrift(partial)] struct Users { #[pgdrift(renamed_from = "handle")] email: String }"#
            ),
            ["warning[rename-done] column \"users.email\" exists: the rename is done / remove `renamed_from = \"handle\"`"]
        );
        assert_eq!(
            findings(
                r#"#[pgdrift(partial, strict)] struct Users { #[pgdrift(renamed_from = "nick")] email: String }"#
            ),
            ["error[rename-done] column \"users.email\" exists, and so does \"users.nick\": there is nothing to rename / remove `renamed_from = \"nick\"`"],
            "strict makes the warning an error"
        );
    }

    #[test]
    fn a_pending_rename_checks_the_old_column_as_the_fields() {
        assert_eq!(
            findings(
                r#"struct Users { id: i64, #[pgdrift(renamed_from = "nick")] nickname: String, email: String }"#
            ),
            [
                "error[missing-column] column \"users.nickname\" does not exist yet: the database still calls it \"nick\" / `schema-check draft` writes the RENAME COLUMN for review; apply it with your migration tool",
                "error[nullable-without-option] column \"users.nick\" is nullable, but the field is not an `Option` / use `Option<String>`",
            ],
            "the old column is covered, and checked as the field's"
        );
    }

    #[test]
    fn a_rename_from_a_column_that_does_not_exist_either() {
        assert_eq!(
            findings(
                r#"#[pgdrift(partial)] struct Users { #[pgdrift(renamed_from = "nik")] nickname: Option<String> }"#
            ),
            ["error[missing-column] column \"users.nickname\" does not exist, nor does \"nik\", which `renamed_from` names / did you mean `renamed_from = \"nick\"`?"]
        );
    }

    #[test]
    fn the_declared_primary_key_is_the_tables() {
        let good = r#"#[pgdrift(table = "memberships")] struct M {
            #[pgdrift(primary_key)] team_id: i64, #[pgdrift(primary_key)] user_id: i64, role: String }"#;
        assert_eq!(findings(good), Vec::<String>::new());
        let diesel = r#"#[diesel(table_name = memberships, primary_key(user_id, team_id))]
            struct M { team_id: i64, user_id: i64, role: String }"#;
        assert_eq!(findings(diesel), Vec::<String>::new());
        assert_eq!(
            findings(
                r#"#[pgdrift(table = "memberships")] struct M {
                #[pgdrift(primary_key)] team_id: i64, user_id: i64, #[pgdrift(primary_key)] role: String }"#
            ),
            [
                "error[primary-key] column \"memberships.user_id\" is part of the primary key of \"memberships\" (team_id, user_id), but field `user_id` is not marked `primary_key` / mark the field `#[pgdrift(primary_key)]`",
                "error[primary-key] column \"memberships.role\" is not part of the primary key of \"memberships\", which is (team_id, user_id) / remove `primary_key` from the field",
            ]
        );
        assert_eq!(
            findings(
                r#"#[diesel(table_name = memberships, primary_key(team_id))] #[pgdrift(partial)]
                struct M { team_id: i64 }"#
            ),
            ["warning[primary-key] the primary key of \"memberships\" is (team_id, user_id), but no field maps \"user_id\" / add a field for it, named in `#[diesel(primary_key(…))]`"]
        );
        assert_eq!(
            findings(
                r#"#[diesel(table_name = users)] struct Users { id: i64, nick: Option<String>, email: String }"#
            ),
            Vec::<String>::new(),
            "diesel's default key is not checked"
        );
    }

    #[test]
    fn a_primary_key_needs_a_table_that_has_one() {
        assert_eq!(
            findings(r#"struct Events { #[pgdrift(primary_key)] kind: String }"#),
            ["error[primary-key] table \"events\" has no primary key, but the struct declares one: `kind` / give the table its primary key, or remove `primary_key` from the fields"]
        );
        assert_eq!(
            findings(r#"struct Nicks { #[pgdrift(primary_key)] nick: Option<String> }"#),
            ["error[primary-key] `primary_key` does not apply: \"nicks\" is a view, which has no primary key / remove `primary_key`"]
        );
        assert_eq!(
            findings(
                r#"#[diesel(primary_key(nick))] #[pgdrift(table = "nicks")] struct N { nick: Option<String> }"#
            ),
            Vec::<String>::new(),
            "diesel needs a key for a view, so its own is left alone"
        );
    }
}
