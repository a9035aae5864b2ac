//! What changed between two catalogs, in plain words.
//!
//! `snapshot --check` lists these changes; the change log records them.

use std::collections::BTreeMap;
use std::fmt;

use crate::catalog::*;

/// One difference between an old and a new catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The object changed, e.g. `column public.users.email`.
    pub object: String,
    pub kind: ChangeKind,
    /// What changed, for [`ChangeKind::Changed`]: e.g. `type text → varchar(255)`.
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = match self.kind {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "dropped",
            ChangeKind::Changed => "changed",
        };
        write!(f, "{} {verb}", self.object)?;
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

struct Changes(Vec<Change>);

impl Changes {
    fn push(&mut self, object: String, kind: ChangeKind, detail: impl Into<String>) {
        self.0.push(Change {
            object,
            kind,
            detail: detail.into(),
        });
    }

    fn field<T: PartialEq + fmt::Debug>(
        &mut self,
        object: &str,
        what: &str,
        old: &T,
        new: &T,
        show: impl Fn(&T) -> String,
    ) {
        if old != new {
            self.push(
                object.to_owned(),
                ChangeKind::Changed,
                format!("{what} {} → {}", show(old), show(new)),
            );
        }
    }

    /// Compares two named lists: added, removed, and changed-by-`compare` items.
    fn named<'a, T: 'a>(
        &mut self,
        old: impl IntoIterator<Item = &'a T>,
        new: impl IntoIterator<Item = &'a T>,
        name: impl Fn(&T) -> String,
        describe: impl Fn(&T) -> String,
        mut compare: impl FnMut(&mut Self, &str, &T, &T),
    ) {
        let old: BTreeMap<String, &T> = old.into_iter().map(|t| (name(t), t)).collect();
        let new: BTreeMap<String, &T> = new.into_iter().map(|t| (name(t), t)).collect();
        for (key, item) in &old {
            match new.get(key) {
                None => self.push(key.clone(), ChangeKind::Removed, describe(item)),
                Some(new_item) => compare(self, key, item, new_item),
            }
        }
        for (key, item) in &new {
            if !old.contains_key(key) {
                self.push(key.clone(), ChangeKind::Added, describe(item));
            }
        }
    }
}

fn opt<T: fmt::Display>(value: &Option<T>) -> String {
    match value {
        Some(v) => format!("`{v}`"),
        None => "none".to_owned(),
    }
}

fn text(value: &SharedStr) -> String {
    value.to_string()
}

fn null(nullable: &bool) -> String {
    if *nullable { "NULL" } else { "NOT NULL" }.to_owned()
}

fn column_summary(column: &Column) -> String {
    let mut text = column.data_type.to_string();
    text.push_str(if column.not_null_not_valid {
        " NOT NULL NOT VALID"
    } else if column.nullable {
        " NULL"
    } else {
        " NOT NULL"
    });
    if let Some(default) = &column.default {
        text.push_str(&format!(" DEFAULT {default}"));
    }
    text
}

/// Every difference from `old` to `new` in the user's schema, in catalog
/// order. What extensions own is left out (on either side, see
/// [`Catalog::without_extension_objects`]).
pub fn diff(old: &Catalog, new: &Catalog) -> Vec<Change> {
    let (old, new) = (
        &old.without_extension_objects(&[new]),
        &new.without_extension_objects(&[old]),
    );
    // Every field is named, here and in the functions below, so that a kind
    // of object added to the catalog does not compile until it is diffed.
    let Catalog { schemas } = old;
    let mut changes = Changes(Vec::new());
    changes.named(
        schemas,
        &new.schemas,
        |s| format!("schema {}", quote_ident(&s.name)),
        |_| String::new(),
        diff_schema,
    );
    changes.0
}

fn diff_schema(changes: &mut Changes, key: &str, old: &Schema, new: &Schema) {
    let Schema {
        name,
        comment,
        relations,
        enums,
        domains,
        composites,
        // What an extension owns was left out before diffing.
        extension: _,
    } = old;
    let schema = quote_ident(name).into_owned();
    changes.field(key, "comment", comment, &new.comment, opt);
    // A relation whose kind changed shows as one dropped and one added.
    changes.named(
        relations,
        &new.relations,
        |r| format!("{} {schema}.{}", r.kind.describe(), quote_ident(&r.name)),
        |r| format!("{} columns", r.columns.len()),
        |changes, key, old, new| diff_relation(changes, key, &schema, old, new),
    );
    changes.named(
        enums,
        &new.enums,
        |e| format!("enum {schema}.{}", quote_ident(&e.name)),
        |e| format!("labels {}", e.labels.join(", ")),
        diff_enum,
    );
    changes.named(
        domains,
        &new.domains,
        |d| format!("domain {schema}.{}", quote_ident(&d.name)),
        |d| d.data_type.clone(),
        diff_domain,
    );
    changes.named(
        composites,
        &new.composites,
        |c| format!("composite type {schema}.{}", quote_ident(&c.name)),
        |c| format!("attributes {}", attribute_list(&c.attributes)),
        |changes, key, old, new| diff_composite(changes, key, &schema, old, new),
    );
}

fn diff_enum(changes: &mut Changes, key: &str, old: &EnumType, new: &EnumType) {
    if old.labels != new.labels {
        let added: Vec<&str> = new
            .labels
            .iter()
            .filter(|l| !old.labels.contains(l))
            .map(String::as_str)
            .collect();
        let removed: Vec<&str> = old
            .labels
            .iter()
            .filter(|l| !new.labels.contains(l))
            .map(String::as_str)
            .collect();
        let mut detail = Vec::new();
        if !added.is_empty() {
            detail.push(format!("label {} added", added.join(", ")));
        }
        if !removed.is_empty() {
            detail.push(format!("label {} removed", removed.join(", ")));
        }
        if added.is_empty() && removed.is_empty() {
            detail.push("labels reordered".to_owned());
        }
        detail.push(format!("now {}", new.labels.join(", ")));
        changes.push(key.to_owned(), ChangeKind::Changed, detail.join("; "));
    }
    changes.field(key, "comment", &old.comment, &new.comment, opt);
}

fn diff_domain(changes: &mut Changes, key: &str, old: &Domain, new: &Domain) {
    changes.field(key, "type", &old.data_type, &new.data_type, String::clone);
    changes.field(key, "nullability", &!old.not_null, &!new.not_null, null);
    changes.field(key, "default", &old.default, &new.default, opt);
    let checks = |d: &Domain| {
        d.checks
            .iter()
            .map(|c| c.definition.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    changes.field(key, "checks", &checks(old), &checks(new), |c| {
        format!("`{c}`")
    });
    changes.field(key, "comment", &old.comment, &new.comment, opt);
}

/// `street text, zip character varying(10)`.
fn attribute_list(attributes: &[Attribute]) -> String {
    attributes
        .iter()
        .map(|a| format!("{} {}", quote_ident(&a.name), a.data_type))
        .collect::<Vec<_>>()
        .join(", ")
}

fn diff_composite(
    changes: &mut Changes,
    key: &str,
    schema: &str,
    old: &CompositeType,
    new: &CompositeType,
) {
    let qualified = format!("{schema}.{}", quote_ident(&old.name));
    changes.field(key, "comment", &old.comment, &new.comment, opt);
    changes.named(
        &old.attributes,
        &new.attributes,
        |a| format!("attribute {qualified}.{}", quote_ident(&a.name)),
        |a| a.data_type.to_string(),
        |changes, key, old, new| {
            changes.field(key, "type", &old.data_type, &new.data_type, text);
            changes.field(key, "comment", &old.comment, &new.comment, opt);
        },
    );
    order(
        changes,
        key,
        "attribute",
        &names(old.attributes.iter().map(|a| &a.name)),
        &names(new.attributes.iter().map(|a| &a.name)),
    );
}

fn names<'a>(items: impl Iterator<Item = &'a SharedStr>) -> Vec<&'a str> {
    items.map(SharedStr::as_str).collect()
}

/// A change when the items both lists keep (columns, attributes) are in
/// another order: values are read and written by position.
fn order(changes: &mut Changes, key: &str, what: &str, old: &[&str], new: &[&str]) {
    let kept_old: Vec<&str> = old.iter().copied().filter(|n| new.contains(n)).collect();
    let kept_new: Vec<&str> = new.iter().copied().filter(|n| old.contains(n)).collect();
    if kept_old != kept_new {
        changes.push(
            key.to_owned(),
            ChangeKind::Changed,
            format!("{what} order now {}", new.join(", ")),
        );
    }
}

fn diff_relation(changes: &mut Changes, key: &str, schema: &str, old: &Relation, new: &Relation) {
    let Relation {
        name,
        // Part of the key: a relation whose kind changed is dropped and added.
        kind: _,
        comment,
        columns,
        primary_key,
        foreign_keys,
        unique_constraints,
        check_constraints,
        indexes,
        partition_key,
        partitions,
        triggers,
        writable,
        // What an extension owns was left out before diffing.
        extension: _,
        distribution,
    } = old;
    let table = format!("{schema}.{}", quote_ident(name));
    changes.field(key, "comment", comment, &new.comment, opt);
    changes.field(key, "partition key", partition_key, &new.partition_key, opt);
    changes.field(
        key,
        "distribution",
        distribution,
        &new.distribution,
        describe_distribution,
    );
    changes.field(key, "writes accepted", writable, &new.writable, |w| {
        w.map_or("none", |w| w.describe()).to_owned()
    });
    diff_columns(changes, key, &table, columns, &new.columns);
    diff_keys(
        changes,
        &table,
        (primary_key, unique_constraints),
        (&new.primary_key, &new.unique_constraints),
    );
    changes.named(
        foreign_keys,
        &new.foreign_keys,
        |k| format!("foreign key {} on {table}", quote_ident(&k.name)),
        describe_foreign_key,
        |changes, key, old, new| {
            changes.field(key, "definition", old, new, describe_foreign_key);
        },
    );
    diff_definitions(
        changes,
        |name| format!("check constraint {name} on {table}"),
        check_constraints,
        &new.check_constraints,
        |c| (&c.name, &c.definition),
    );
    diff_definitions(
        changes,
        |name| format!("index {name} on {table}"),
        indexes,
        &new.indexes,
        |i| (&i.name, &i.definition),
    );
    changes.named(
        triggers,
        &new.triggers,
        |t| format!("trigger {} on {table}", quote_ident(&t.name)),
        Trigger::describe,
        |changes, key, old, new| {
            changes.field(key, "definition", old, new, Trigger::describe);
        },
    );
    diff_partitions(changes, &table, partitions, &new.partitions);
}

/// The partitions of `table`, at every depth, each compared by its bound.
fn diff_partitions(changes: &mut Changes, table: &str, old: &[Partition], new: &[Partition]) {
    changes.named(
        &flatten_partitions(old),
        &flatten_partitions(new),
        |p| format!("partition {} of {table}", p.0),
        |p| p.1.clone(),
        |changes, key, old, new| {
            changes.field(key, "bound", &old.1, &new.1, String::clone);
        },
    );
}

/// The columns of `table` (relation `key`), each compared, and their order.
fn diff_columns(changes: &mut Changes, key: &str, table: &str, old: &[Column], new: &[Column]) {
    changes.named(
        old,
        new,
        |c| format!("column {table}.{}", quote_ident(&c.name)),
        column_summary,
        diff_column,
    );
    order(
        changes,
        key,
        "column",
        &names(old.iter().map(|c| &c.name)),
        &names(new.iter().map(|c| &c.name)),
    );
}

/// The primary key and unique constraints of `table`, each compared by its
/// columns.
fn diff_keys(
    changes: &mut Changes,
    table: &str,
    (old_primary, old_unique): (&Option<KeyConstraint>, &[KeyConstraint]),
    (new_primary, new_unique): (&Option<KeyConstraint>, &[KeyConstraint]),
) {
    let keys = |k: &Option<KeyConstraint>| k.iter().cloned().collect::<Vec<_>>();
    for (what, old_keys, new_keys) in [
        ("primary key", keys(old_primary), keys(new_primary)),
        (
            "unique constraint",
            old_unique.to_vec(),
            new_unique.to_vec(),
        ),
    ] {
        changes.named(
            &old_keys,
            &new_keys,
            |k| format!("{what} {} on {table}", quote_ident(&k.name)),
            |k| format!("({})", k.column_list()),
            |changes, key, old, new| {
                changes.field(
                    key,
                    "columns",
                    &old.column_list(),
                    &new.column_list(),
                    |c| format!("({c})"),
                );
            },
        );
    }
}

/// Objects known by their name and definition (checks, indexes), each
/// compared by its definition; `what` names one from its quoted name.
fn diff_definitions<T>(
    changes: &mut Changes,
    what: impl Fn(&str) -> String,
    old: &[T],
    new: &[T],
    parts: impl Fn(&T) -> (&String, &String),
) {
    changes.named(
        old,
        new,
        |t| what(&quote_ident(parts(t).0)),
        |t| parts(t).1.clone(),
        |changes, key, old, new| {
            changes.field(key, "definition", parts(old).1, parts(new).1, |d| {
                format!("`{d}`")
            });
        },
    );
}

fn diff_column(changes: &mut Changes, key: &str, old: &Column, new: &Column) {
    changes.field(key, "type", &old.data_type, &new.data_type, text);
    changes.field(key, "nullability", &old.nullable, &new.nullable, null);
    changes.field(
        key,
        "NOT NULL NOT VALID",
        &old.not_null_not_valid,
        &new.not_null_not_valid,
        |v| if *v { "yes" } else { "no" }.to_owned(),
    );
    changes.field(key, "default", &old.default, &new.default, opt);
    changes.field(key, "identity", &old.identity, &new.identity, |i| {
        format!("{i:?}")
    });
    changes.field(
        key,
        "generated expression",
        &old.generated,
        &new.generated,
        opt,
    );
    changes.field(
        key,
        "generated kind",
        &old.generated_kind,
        &new.generated_kind,
        |k| k.as_sql().to_owned(),
    );
    changes.field(key, "comment", &old.comment, &new.comment, opt);
}

/// A Citus distribution in the change log's words; a plain table is local.
fn describe_distribution(distribution: &Option<Distribution>) -> String {
    distribution.as_ref().map_or_else(
        || "local (not distributed)".to_owned(),
        |d| d.describe(|column| format!("`{column}`")),
    )
}

fn describe_foreign_key(k: &ForeignKey) -> String {
    format!(
        "({}) → {} ({}) ON UPDATE {} ON DELETE {}{}",
        k.column_list(),
        k.references,
        k.referenced_column_list(),
        k.on_update.as_sql(),
        k.on_delete.as_sql(),
        if k.not_enforced { " NOT ENFORCED" } else { "" }
    )
}

/// `(qualified name, bound)` of every partition, at any depth.
fn flatten_partitions(partitions: &[Partition]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for p in partitions {
        out.push((
            format!("{}.{}", quote_ident(&p.schema), quote_ident(&p.name)),
            p.bound.clone(),
        ));
        out.extend(flatten_partitions(&p.partitions));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(name: &str, data_type: &str, udt: &str, nullable: bool) -> Column {
        Column {
            name: name.into(),
            data_type: data_type.into(),
            udt: TypeName::builtin(udt),
            element: None,
            nullable,
            default: None,
            identity: None,
            generated: None,
            generated_kind: GeneratedKind::Stored,
            not_null_not_valid: false,
            comment: None,
        }
    }

    fn catalog(columns: Vec<Column>, labels: &[&str]) -> Catalog {
        Catalog {
            schemas: vec![Schema {
                name: "public".into(),
                relations: vec![Relation {
                    name: "users".into(),
                    kind: RelationKind::Table,
                    comment: None,
                    columns,
                    primary_key: None,
                    foreign_keys: vec![],
                    unique_constraints: vec![],
                    check_constraints: vec![],
                    indexes: vec![],
                    partition_key: None,
                    triggers: Vec::new(),
                    writable: None,
                    distribution: None,
                    partitions: vec![],
                    extension: None,
                }],
                enums: vec![EnumType {
                    name: "mood".into(),
                    labels: labels.iter().map(|l| l.to_string()).collect(),
                    comment: None,
                    extension: None,
                }],
                ..Schema::default()
            }],
        }
    }

    #[test]
    fn names_added_dropped_and_changed_columns_and_labels() {
        let old = catalog(
            vec![
                column("id", "bigint", "int8", false),
                column("email", "text", "text", true),
                column("age", "integer", "int4", true),
            ],
            &["sad", "ok"],
        );
        let new = catalog(
            vec![
                column("id", "bigint", "int8", false),
                column("email", "character varying(255)", "varchar", false),
                column("nick", "text", "text", true),
            ],
            &["sad", "ok", "happy"],
        );
        let lines: Vec<String> = diff(&old, &new).iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            vec![
                "column public.users.age dropped: integer NULL",
                "column public.users.email changed: type text → character varying(255)",
                "column public.users.email changed: nullability NULL → NOT NULL",
                "column public.users.nick added: text NULL",
                "enum public.mood changed: label happy added; now sad, ok, happy",
            ]
        );
        assert!(diff(&new, &new).is_empty());
    }

    #[test]
    fn names_a_changed_generated_kind_and_a_validated_not_null() {
        let mut station = column("station", "text", "text", true);
        station.not_null_not_valid = true;
        let mut total = column("total", "integer", "int4", true);
        total.generated = Some("(a + b)".into());
        let old = catalog(vec![station.clone(), total.clone()], &[]);
        station.nullable = false;
        station.not_null_not_valid = false;
        total.generated_kind = GeneratedKind::Virtual;
        let new = catalog(vec![station, total], &[]);
        let changes: Vec<String> = diff(&old, &new).iter().map(|c| c.to_string()).collect();
        assert_eq!(
            changes,
            [
                "column public.users.station changed: nullability NULL → NOT NULL",
                "column public.users.station changed: NOT NULL NOT VALID yes → no",
                "column public.users.total changed: generated kind stored → virtual",
            ]
        );
    }

    fn composite(name: &str, attributes: &[(&str, &str, &str)]) -> CompositeType {
        CompositeType {
            name: name.into(),
            attributes: attributes
                .iter()
                .map(|(name, data_type, udt)| Attribute {
                    name: (*name).into(),
                    data_type: (*data_type).into(),
                    udt: TypeName::builtin(udt),
                    element: None,
                    comment: None,
                })
                .collect(),
            comment: None,
            extension: None,
        }
    }

    fn with_composites(composites: Vec<CompositeType>) -> Catalog {
        let mut catalog = catalog(vec![column("id", "bigint", "int8", false)], &[]);
        catalog.schemas[0].composites = composites;
        catalog
    }

    #[test]
    fn names_composite_types_and_their_attributes() {
        let street = ("street", "text", "text");
        let zip = ("zip", "text", "text");
        let old = with_composites(vec![
            composite("addr", &[street, zip]),
            composite("gone", &[("a", "integer", "int4")]),
        ]);
        let mut addr = composite(
            "addr",
            &[
                ("street", "character varying(80)", "varchar"),
                ("city", "text", "text"),
            ],
        );
        addr.comment = Some("Postal address".into());
        addr.attributes[1].comment = Some("Town".into());
        let mut owned = composite("tablefunc_crosstab_2", &[street]);
        owned.extension = Some("tablefunc".into());
        let new = with_composites(vec![
            addr,
            composite("point3", &[("x", "double precision", "float8")]),
            owned,
        ]);
        let lines: Vec<String> = diff(&old, &new).iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "composite type public.addr changed: comment none → `Postal address`",
                "attribute public.addr.street changed: type text → character varying(80)",
                "attribute public.addr.zip dropped: text",
                "attribute public.addr.city added: text",
                "composite type public.gone dropped: attributes a integer",
                "composite type public.point3 added: attributes x double precision",
            ],
            "what an extension owns is not listed"
        );

        let swapped = with_composites(vec![
            composite("addr", &[zip, street]),
            composite("gone", &[("a", "integer", "int4")]),
        ]);
        let lines: Vec<String> = diff(&old, &swapped)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            lines,
            ["composite type public.addr changed: attribute order now zip, street"]
        );
        let mut commented = old.clone();
        commented.schemas[0].composites[0].attributes[1].comment = Some("Postal code".into());
        let lines: Vec<String> = diff(&old, &commented)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            lines,
            ["attribute public.addr.zip changed: comment none → `Postal code`"]
        );
        assert!(diff(&new, &new).is_empty());
    }

    #[test]
    fn names_triggers_and_the_writes_a_view_accepts() {
        let old = catalog(vec![column("id", "bigint", "int8", false)], &[]);
        let mut new = old.clone();
        let users = &mut new.schemas[0].relations[0];
        users.triggers = vec![Trigger::from_tgtype("stamp".into(), 1 | 2 | 4 | 16)];
        users.writable = Some(Writable {
            insert: true,
            update: false,
        });
        let lines: Vec<String> = diff(&old, &new).iter().map(ToString::to_string).collect();
        assert_eq!(
            lines,
            [
                "table public.users changed: writes accepted none → insert",
                "trigger stamp on public.users added: before insert or update for each row",
            ]
        );
        let mut disabled = new.clone();
        let trigger = &mut disabled.schemas[0].relations[0].triggers[0];
        *trigger = trigger.clone().with_tgenabled(b'D');
        let lines: Vec<String> = diff(&new, &disabled)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            lines,
            ["trigger stamp on public.users changed: definition before insert or update for each row → before insert or update for each row, disabled"]
        );
    }
}
