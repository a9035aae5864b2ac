//! The schema model: plain, serialisable data describing a database's schemas.
//!
//! Introspection produces a [`Catalog`], the snapshot file stores one, and every
//! comparison and renderer reads one. Every list is sorted (schemas, relations,
//! constraints and types by name; columns by position), so that the same
//! database always gives the same catalog, byte for byte once serialised.

#![deny(missing_docs)]

use serde::Deserialize;
#[cfg(feature = "workflow")]
use serde::Serialize;

mod shared;

#[cfg(feature = "live")]
pub use shared::Strings;
pub use shared::{reading_shared, SharedStr};

/// Every non-system schema of a database, with its relations and types.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "workflow", derive(Serialize))]
pub struct Catalog {
    /// The schemas, sorted by name.
    pub schemas: Vec<Schema>,
}

/// A schema and the relations and user-defined types it holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "workflow", derive(Serialize))]
pub struct Schema {
    /// The schema's name, unquoted.
    pub name: String,
    /// The schema's comment (`COMMENT ON SCHEMA`); `None` without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Its tables, views and other relations, sorted by name; partitions are
    /// listed under their parent instead.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<Relation>,
    /// Its enum types, sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enums: Vec<EnumType>,
    /// Its domains, sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<Domain>,
    /// The extension that owns this schema (`pg_depend.deptype = 'e'`), as
    /// for every `extension` field below: such an object is the extension's,
    /// not the user's schema (see [`Catalog::without_extension_objects`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
    /// Its composite types, sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub composites: Vec<CompositeType>,
}

/// What kind of relation a [`Relation`] is (from `pg_class.relkind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[cfg_attr(feature = "workflow", derive(Serialize))]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    /// An ordinary table.
    Table,
    /// A view.
    View,
    /// A materialized view.
    MaterializedView,
    /// A partitioned table, whose rows live in its partitions.
    PartitionedTable,
    /// A foreign table, whose rows live on a foreign server.
    ForeignTable,
}

impl RelationKind {
    /// The kind in plain words, as docs and messages print it.
    pub fn describe(self) -> &'static str {
        match self {
            RelationKind::Table => "table",
            RelationKind::View => "view",
            RelationKind::MaterializedView => "materialized view",
            RelationKind::PartitionedTable => "partitioned table",
            RelationKind::ForeignTable => "foreign table",
        }
    }
}

/// A table, view, materialized view, partitioned table or foreign table.
///
/// Partitions are not relations of their own: they are listed under their
/// parent in [`Relation::partitions`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "workflow", derive(Serialize))]
pub struct Relation {
    /// The relation's name, unquoted.
    pub name: String,
    /// Whether it is a table, a view, and so on.
    pub kind: RelationKind,
    /// The relation's comment (`COMMENT ON`); `None` without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Its columns, in column order.
    pub columns: Vec<Column>,
    /// The primary key; `None` when the relation has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<KeyConstraint>,
    /// Its foreign keys, sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign_keys: Vec<ForeignKey>,
    /// Its unique constraints, sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unique_constraints: Vec<KeyConstraint>,
    /// Its `CHECK` constraints, sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub check_constraints: Vec<CheckConstraint>,
    /// Its indexes (including those behind keys), sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<Index>,
    /// `PARTITION BY …` of a partitioned table, as PostgreSQL prints it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partition_key: Option<String>,
    /// Its partitions, when it is partitioned, sorted by schema then name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partitions: Vec<Partition>,
    /// The extension that owns this relation, e.g. PostGIS's `spatial_ref_sys`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
    /// The relation's own triggers (not those PostgreSQL makes for foreign
    /// keys), by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<Trigger>,
    /// For a view: which writes PostgreSQL accepts on it (an automatically
    /// updatable view, or one with `INSTEAD OF` triggers or rules).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub writable: Option<Writable>,
    /// How Citus spreads the table over its nodes; `None` on plain
    /// PostgreSQL and for a table Citus keeps local.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution: Option<Distribution>,
}

/// How Citus spreads a table's rows over the nodes of a cluster.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "workflow", derive(Serialize))]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Distribution {
    /// Rows spread over shards by the hash of one column.
    Hash {
        /// The distribution column, unquoted.
        column: String,
        /// Tables of one colocation group keep matching rows on one node.
        colocation_group: u32,
    },
    /// Rows spread over shards by ranges of one column (Citus's older method).
    Range {
        /// The distribution column, unquoted.
        column: String,
        /// The colocation group.
        colocation_group: u32,
    },
    /// Rows appended to shards by loads (Citus's older method).
    Append {
        /// The distribution column, unquoted.
        column: String,
        /// The colocation group.
        colocation_group: u32,
    },
    /// A copy of the whole table on every node.
    Reference,
    /// Every row in one shard on one node, without a distribution column.
    SingleShard {
        /// The colocation group.
        colocation_group: u32,
    },
    /// A table of a distributed schema: the schema's tables live together on
    /// one node (schema-based sharding).
    Schema {
        /// The schema's colocation group.
        colocation_group: u32,
    },
}

impl Distribution {
    /// The distribution in a short sentence, with the distribution column
    /// written by `column` (inline code in docs, a quoted identifier in
    /// text), e.g. ``Distributed by `tenant_id` (hash, colocation group 3)``.
    pub fn describe(&self, column: impl Fn(&str) -> String) -> String {
        let (method, name, group) = match self {
            Distribution::Reference => return "Reference table, a copy on every node".to_owned(),
            Distribution::SingleShard { colocation_group } => {
                return format!(
                    "Distributed as a single shard (colocation group {colocation_group})"
                )
            }
            Distribution::Schema { colocation_group } => {
                return format!(
                    "In a distributed schema, kept on one node with the schema's other tables (colocation group {colocation_group})"
                )
            }
            Distribution::Hash {
                column,
                colocation_group,
            } => ("hash", column, colocation_group),
            Distribution::Range {
                column,
                colocation_group,
            } => ("range", column, colocation_group),
            Distribution::Append {
                column,
                colocation_group,
            } => ("append", column, colocation_group),
        };
        format!(
            "Distributed by {} ({method}, colocation group {group})",
            column(name)
        )
    }
}

/// The writes a view accepts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "workflow", derive(Serialize))]
pub struct Writable {
    /// Whether the view accepts `INSERT`.
    pub insert: bool,
    /// Whether the view accepts `UPDATE`.
    pub update: bool,
}

impl Writable {
    /// The writes accepted in plain words: `insert, update`, or `none`.
    pub fn describe(&self) -> &'static str {
        match (self.insert, self.update) {
            (true, true) => "insert, update",
            (true, false) => "insert",
            (false, true) => "update",
            (false, false) => "none",
        }
    }
}

/// A trigger on a relation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "workflow", derive(Serialize))]
pub struct Trigger {
    /// The trigger's name, unquoted.
    pub name: String,
    /// When it fires relative to the event: before, after or instead of it.
    pub timing: TriggerTiming,
    /// `insert`, `update`, `delete`, `truncate`, in that order.
    pub events: Vec<String>,
    /// `FOR EACH ROW` (else `FOR EACH STATEMENT`).
    pub row: bool,
    /// The trigger does not fire in an ordinary session: it was disabled
    /// (`DISABLE TRIGGER`), or set to fire only while replicating
    /// (`ENABLE REPLICA TRIGGER`). Such a trigger fills nothing an
    /// application writes.
    #[serde(default, skip_serializing_if = "is_false")]
    pub disabled: bool,
}

/// When a trigger fires relative to its event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "workflow", derive(Serialize))]
#[serde(rename_all = "snake_case")]
pub enum TriggerTiming {
    /// `BEFORE`: before the row or statement is written.
    Before,
    /// `AFTER`: after the row or statement is written.
    After,
    /// `INSTEAD OF`: in place of the write, on a view.
    InsteadOf,
}

impl Trigger {
    /// Decodes `pg_trigger.tgtype`'s bits: row 1, before 2, insert 4,
    /// delete 8, update 16, truncate 32, instead 64.
    pub fn from_tgtype(name: String, tgtype: i32) -> Trigger {
        let bit = |b: i32| tgtype & b != 0;
        let timing = if bit(64) {
            TriggerTiming::InsteadOf
        } else if bit(2) {
            TriggerTiming::Before
        } else {
            TriggerTiming::After
        };
        let events = [
            (4, "insert"),
            (16, "update"),
            (8, "delete"),
            (32, "truncate"),
        ]
        .into_iter()
        .filter(|(b, _)| bit(*b))
        .map(|(_, e)| e.to_owned())
        .collect();
        Trigger {
            name,
            timing,
            events,
            row: bit(1),
            disabled: false,
        }
    }

    /// Reads `pg_trigger.tgenabled`: `O` (the default) and `A` (`ENABLE
    /// ALWAYS`) fire in an ordinary session; `D` (disabled) and `R` (replica
    /// only) do not.
    pub fn with_tgenabled(self, tgenabled: u8) -> Trigger {
        Trigger {
            disabled: matches!(tgenabled, b'D' | b'R'),
            ..self
        }
    }

    /// The trigger in plain words: `before insert or update for each row`.
    pub fn describe(&self) -> String {
        let timing = match self.timing {
            TriggerTiming::Before => "before",
            TriggerTiming::After => "after",
            TriggerTiming::InsteadOf => "instead of",
        };
        let each = if self.row { "row" } else { "statement" };
        let disabled = if self.disabled { ", disabled" } else { "" };
        format!(
            "{timing} {} for each {each}{disabled}",
            self.events.join(" or ")
        )
    }

    /// Whether the trigger may fill a new row's columns before it is
    /// written: `BEFORE INSERT … FOR EACH ROW`, and not disabled.
    pub fn fills_inserts(&self) -> bool {
        !self.disabled && self.before_insert_row()
    }

    /// `BEFORE INSERT … FOR EACH ROW`, whether or not it is disabled.
    pub fn before_insert_row(&self) -> bool {
        self.row
            && self.timing == TriggerTiming::Before
            && self.events.iter().any(|e| e == "insert")
    }
}

impl Relation {
    /// The column of that name (unquoted), if the relation has one.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }
}

/// A column, in the relation's column order.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "workflow", derive(Serialize))]
pub struct Column {
    /// The column's name, unquoted.
    pub name: SharedStr,
    /// The type as PostgreSQL formats it, e.g. `character varying(255)`.
    #[serde(rename = "type")]
    pub data_type: SharedStr,
    /// The type's catalog name, e.g. `pg_catalog.varchar`.
    pub udt: TypeName,
    /// For an array column, the element type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub element: Option<TypeName>,
    /// Whether reading the column may give NULL: true without a `NOT NULL`
    /// constraint, and also with one that is `NOT VALID` (see
    /// [`Column::not_null_not_valid`]).
    pub nullable: bool,
    /// The column has a `NOT NULL` constraint that is `NOT VALID`
    /// (PostgreSQL 18): rows written from now on must hold a value, rows
    /// written before may still hold NULL. [`Column::nullable`] is then true,
    /// since a read can meet such a row, while writing NULL fails
    /// ([`Column::accepts_null_on_write`] is false).
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_null_not_valid: bool,
    /// The default expression as PostgreSQL prints it; `None` without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<SharedStr>,
    /// How an identity column is generated; `None` for any other column.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<Identity>,
    /// The expression of a `GENERATED ALWAYS AS (…)` column; its kind
    /// (stored or virtual) is [`Column::generated_kind`]. Either kind is
    /// computed by PostgreSQL and cannot be written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<SharedStr>,
    /// Whether a generated column's value is stored or computed when read
    /// (`VIRTUAL`, PostgreSQL 18); `stored` for every other column.
    #[serde(default, skip_serializing_if = "GeneratedKind::is_stored")]
    pub generated_kind: GeneratedKind,
    /// The column's comment (`COMMENT ON COLUMN`); `None` without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<SharedStr>,
}

impl Column {
    /// Whether an INSERT or UPDATE may set the column to NULL: never when a
    /// `NOT NULL` constraint exists, validated or not.
    pub fn accepts_null_on_write(&self) -> bool {
        self.nullable && !self.not_null_not_valid
    }

    /// Whether PostgreSQL computes the column (`GENERATED ALWAYS AS (…)`,
    /// stored or virtual), so it cannot be written.
    pub fn is_generated(&self) -> bool {
        self.generated.is_some()
    }

    /// The column's generated kind, when it is generated.
    pub fn generated_as(&self) -> Option<GeneratedKind> {
        self.generated.as_ref().map(|_| self.generated_kind)
    }
}

/// How a generated column keeps its value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "workflow", derive(Serialize))]
#[serde(rename_all = "snake_case")]
pub enum GeneratedKind {
    /// `STORED`: computed when the row is written, kept on disk.
    #[default]
    Stored,
    /// `VIRTUAL` (PostgreSQL 18): computed when the row is read.
    Virtual,
}

impl GeneratedKind {
    /// Whether this is [`GeneratedKind::Stored`], the value every
    /// non-generated column carries.
    pub fn is_stored(&self) -> bool {
        *self == GeneratedKind::Stored
    }

    /// The SQL keyword: `stored` or `virtual`.
    pub fn as_sql(self) -> &'static str {
        match self {
            GeneratedKind::Stored => "stored",
            GeneratedKind::Virtual => "virtual",
        }
    }
}

#[cfg(feature = "workflow")]
fn is_false(value: &bool) -> bool {
    !*value
}

/// A schema-qualified type name as it appears in `pg_type`.
///
/// Serialised as text: `int8` for a type of `pg_catalog`, else
/// `schema.name`, each part quoted as PostgreSQL would (`public."My Type"`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeName {
    /// The schema's name, unquoted.
    pub schema: SharedStr,
    /// The type's name within the schema, unquoted.
    pub name: SharedStr,
}

impl TypeName {
    /// A type named by its schema and name, both unquoted.
    pub fn new(schema: impl Into<SharedStr>, name: impl Into<SharedStr>) -> TypeName {
        TypeName {
            schema: schema.into(),
            name: name.into(),
        }
    }

    /// A type of `pg_catalog`, e.g. `TypeName::builtin("int4")`.
    pub fn builtin(name: &str) -> TypeName {
        TypeName::new("pg_catalog", name)
    }
}

impl std::fmt::Display for TypeName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.schema != "pg_catalog" {
            write!(f, "{}.", quote_ident(&self.schema))?;
        }
        f.write_str(&quote_ident(&self.name))
    }
}

impl std::str::FromStr for TypeName {
    type Err = String;

    /// Parses what `Display` writes.
    fn from_str(text: &str) -> Result<TypeName, String> {
        let invalid = || format!("invalid type name {text:?}");
        let (first, rest) = split_ident(text).ok_or_else(invalid)?;
        if rest.is_empty() {
            return Ok(TypeName::new(
                shared::read("pg_catalog"),
                shared::read(&first),
            ));
        }
        match rest.strip_prefix('.').and_then(split_ident) {
            Some((second, "")) => Ok(TypeName::new(shared::read(&first), shared::read(&second))),
            _ => Err(invalid()),
        }
    }
}

/// One identifier, quoted or not, from the start of `text`, and the rest.
fn split_ident(text: &str) -> Option<(std::borrow::Cow<'_, str>, &str)> {
    // Searched for the ASCII quote and dot, not char by char: a snapshot
    // holds a type name per column, and the derive reads it unoptimised.
    let Some(mut rest) = text.strip_prefix('"') else {
        let end = text
            .bytes()
            .position(|b| b == b'.' || b == b'"')
            .unwrap_or(text.len());
        return (end > 0).then(|| (text[..end].into(), &text[end..]));
    };
    // Quoted: up to the first quote that is not doubled.
    let mut ident = String::new();
    loop {
        let at = rest.find('"')?;
        ident.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        match rest.strip_prefix('"') {
            Some(after) => {
                ident.push('"');
                rest = after;
            }
            None => return Some((ident.into(), rest)),
        }
    }
}

#[cfg(feature = "workflow")]
impl Serialize for TypeName {
    /// What `Display` writes; a built-in type whose name needs no quotes,
    /// the most common, without formatting.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.schema == "pg_catalog" {
            if let std::borrow::Cow::Borrowed(name) = quote_ident(&self.name) {
                return serializer.serialize_str(name);
            }
        }
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TypeName {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<TypeName, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// How an identity column takes its values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "workflow", derive(Serialize))]
#[serde(rename_all = "snake_case")]
pub enum Identity {
    /// `GENERATED ALWAYS AS IDENTITY`: an explicit value is refused unless the
    /// write says `OVERRIDING SYSTEM VALUE`.
    Always,
    /// `GENERATED BY DEFAULT AS IDENTITY`: an explicit value is accepted.
    ByDefault,
}

/// A primary key or unique constraint.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "workflow", derive(Serialize))]
pub struct KeyConstraint {
    /// The constraint's name, unquoted.
    pub name: String,
    /// Its columns, in key order.
    pub columns: Vec<String>,
    /// A temporal key (PostgreSQL 18): its last column is a range compared
    /// `WITHOUT OVERLAPS`, so rows with equal other columns are unique as
    /// long as their ranges do not overlap.
    #[serde(default, skip_serializing_if = "is_false")]
    pub without_overlaps: bool,
}

impl KeyConstraint {
    /// The key's columns as SQL writes them, e.g. `id, valid_at WITHOUT OVERLAPS`.
    pub fn column_list(&self) -> String {
        temporal_list(
            &self.columns,
            self.without_overlaps,
            "",
            " WITHOUT OVERLAPS",
        )
    }
}

/// A foreign key constraint.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "workflow", derive(Serialize))]
pub struct ForeignKey {
    /// The constraint's name, unquoted.
    pub name: String,
    /// The referencing columns of this relation, in key order.
    pub columns: Vec<String>,
    /// The relation the key points at.
    pub references: RelationName,
    /// The referenced columns, in the same order as `columns`.
    pub referenced_columns: Vec<String>,
    /// What happens to referencing rows when a referenced key is updated.
    pub on_update: ReferentialAction,
    /// What happens to referencing rows when a referenced row is deleted.
    pub on_delete: ReferentialAction,
    /// `NOT ENFORCED` (PostgreSQL 18): declared, but PostgreSQL does not
    /// check it, so rows may reference nothing.
    #[serde(default, skip_serializing_if = "is_false")]
    pub not_enforced: bool,
    /// A temporal foreign key (PostgreSQL 18): the last column on each side
    /// is a range (`PERIOD`), and the referenced rows must cover it together.
    #[serde(default, skip_serializing_if = "is_false")]
    pub period: bool,
}

impl ForeignKey {
    /// The referencing columns as SQL writes them, e.g. `id, PERIOD valid_at`.
    pub fn column_list(&self) -> String {
        temporal_list(&self.columns, self.period, "PERIOD ", "")
    }

    /// The referenced columns as SQL writes them.
    pub fn referenced_column_list(&self) -> String {
        temporal_list(&self.referenced_columns, self.period, "PERIOD ", "")
    }
}

/// `columns` joined with commas, the last one between `before` and `after`
/// when `temporal`.
fn temporal_list(columns: &[String], temporal: bool, before: &str, after: &str) -> String {
    match columns.split_last() {
        Some((last, rest)) if temporal => {
            let mut list: Vec<String> = rest.to_vec();
            list.push(format!("{before}{last}{after}"));
            list.join(", ")
        }
        _ => columns.join(", "),
    }
}

/// The action a foreign key takes when the row it references changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "workflow", derive(Serialize))]
#[serde(rename_all = "snake_case")]
pub enum ReferentialAction {
    /// `NO ACTION`: the change fails if rows still reference it, checked at
    /// the end of the statement (or transaction, when deferred).
    NoAction,
    /// `RESTRICT`: the change fails at once if rows still reference it.
    Restrict,
    /// `CASCADE`: referencing rows are updated or deleted along with it.
    Cascade,
    /// `SET NULL`: the referencing columns are set to NULL.
    SetNull,
    /// `SET DEFAULT`: the referencing columns are set to their defaults.
    SetDefault,
}

impl ReferentialAction {
    /// The action's SQL words, e.g. `SET NULL`.
    pub fn as_sql(self) -> &'static str {
        match self {
            ReferentialAction::NoAction => "NO ACTION",
            ReferentialAction::Restrict => "RESTRICT",
            ReferentialAction::Cascade => "CASCADE",
            ReferentialAction::SetNull => "SET NULL",
            ReferentialAction::SetDefault => "SET DEFAULT",
        }
    }
}

/// A schema-qualified relation name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize)]
#[cfg_attr(feature = "workflow", derive(Serialize))]
pub struct RelationName {
    /// The schema's name, unquoted.
    pub schema: String,
    /// The relation's name within the schema, unquoted.
    pub name: String,
}

impl std::fmt::Display for RelationName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}.{}",
            quote_ident(&self.schema),
            quote_ident(&self.name)
        )
    }
}

/// A `CHECK` constraint of a table or a domain.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "workflow", derive(Serialize))]
pub struct CheckConstraint {
    /// The constraint's name, unquoted.
    pub name: String,
    /// As PostgreSQL prints it, e.g. `CHECK (price > 0)`.
    pub definition: String,
}

/// An index of a relation.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "workflow", derive(Serialize))]
pub struct Index {
    /// The index's name, unquoted.
    pub name: String,
    /// Key columns, or expressions as PostgreSQL prints them.
    pub columns: Vec<String>,
    /// Whether it is a unique index.
    pub unique: bool,
    /// Whether it is the index of the primary key.
    pub primary: bool,
    /// The whole `CREATE INDEX` statement as PostgreSQL prints it.
    pub definition: String,
}

/// A partition of a partitioned table.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "workflow", derive(Serialize))]
pub struct Partition {
    /// The partition's own schema, which may differ from its parent's.
    pub schema: String,
    /// The partition's name, unquoted.
    pub name: String,
    /// e.g. `FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')`.
    pub bound: String,
    /// Sub-partitions, when this partition is itself partitioned.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub partitions: Vec<Partition>,
}

/// An enum type with its labels in sort order.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "workflow", derive(Serialize))]
pub struct EnumType {
    /// The type's name, unquoted.
    pub name: String,
    /// Its labels, in their sort order (`pg_enum.enumsortorder`).
    pub labels: Vec<String>,
    /// The type's comment (`COMMENT ON TYPE`); `None` without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The extension that owns this type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
}

/// A domain: a base type with optional `NOT NULL`, default and checks.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "workflow", derive(Serialize))]
pub struct Domain {
    /// The domain's name, unquoted.
    pub name: String,
    /// The base type as PostgreSQL formats it, e.g. `numeric(10,2)`.
    #[serde(rename = "type")]
    pub data_type: String,
    /// The base type's catalog name, e.g. `pg_catalog.numeric`.
    pub base: TypeName,
    /// For a domain over an array type, the element type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub element: Option<TypeName>,
    /// Whether the domain is declared `NOT NULL`.
    pub not_null: bool,
    /// The default expression as PostgreSQL prints it; `None` without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// Its `CHECK` constraints, sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<CheckConstraint>,
    /// The domain's comment (`COMMENT ON DOMAIN`); `None` without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The extension that owns this type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
}

/// A composite type (`CREATE TYPE … AS (…)`), its attributes in order.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "workflow", derive(Serialize))]
pub struct CompositeType {
    /// The type's name, unquoted.
    pub name: String,
    /// Its attributes, in declaration order.
    pub attributes: Vec<Attribute>,
    /// The type's comment (`COMMENT ON TYPE`); `None` without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// The extension that owns this type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
}

/// One attribute of a composite type.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "workflow", derive(Serialize))]
pub struct Attribute {
    /// The attribute's name, unquoted.
    pub name: SharedStr,
    /// The type as PostgreSQL formats it, e.g. `numeric(10,2)`.
    #[serde(rename = "type")]
    pub data_type: SharedStr,
    /// The type's catalog name, e.g. `pg_catalog.numeric`.
    pub udt: TypeName,
    /// For an array attribute, the element type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub element: Option<TypeName>,
    /// The attribute's comment (`COMMENT ON COLUMN`); `None` without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

impl Catalog {
    /// The schema of that name (unquoted), if the catalog has one.
    pub fn schema(&self, name: &str) -> Option<&Schema> {
        self.schemas.iter().find(|s| s.name == name)
    }

    /// The relation `name` of schema `schema` (both unquoted), if any.
    /// A normalized catalog has its relations in name order, so a binary
    /// search finds them; a catalog in another order is still searched in
    /// full.
    pub fn relation(&self, schema: &str, name: &str) -> Option<&Relation> {
        let relations = &self.schema(schema)?.relations;
        match relations.binary_search_by(|r| r.name.as_str().cmp(name)) {
            Ok(at) => Some(&relations[at]),
            Err(_) => relations.iter().find(|r| r.name == name),
        }
    }

    /// Every relation with its schema's name, in catalog order.
    pub fn relations(&self) -> impl Iterator<Item = (&str, &Relation)> {
        self.schemas
            .iter()
            .flat_map(|s| s.relations.iter().map(move |r| (s.name.as_str(), r)))
    }

    /// The enum type of that name, if the catalog has one.
    pub fn enum_type(&self, name: &TypeName) -> Option<&EnumType> {
        let schema = self.schema(&name.schema)?;
        schema.enums.iter().find(|e| e.name == name.name)
    }

    /// The domain of that name, if the catalog has one.
    pub fn domain(&self, name: &TypeName) -> Option<&Domain> {
        let schema = self.schema(&name.schema)?;
        schema.domains.iter().find(|d| d.name == name.name)
    }

    /// The user's own schema: this catalog without the objects an extension
    /// owns (its schemas and everything in them, its relations and types),
    /// in this catalog or in any of `others`. The docs, the change log and
    /// snapshot diffs show only this; models are checked against the whole
    /// catalog, so a model may still name an extension's table. Passing the
    /// other side of a comparison keeps an extension created or dropped in
    /// between (or a catalog read before objects were marked) from showing
    /// its objects as the user's additions or removals.
    pub fn without_extension_objects(&self, others: &[&Catalog]) -> Catalog {
        use std::collections::HashSet;
        let mut schemas: HashSet<&str> = HashSet::new();
        let mut objects: HashSet<(&str, &str)> = HashSet::new();
        for catalog in std::iter::once(self).chain(others.iter().copied()) {
            for schema in &catalog.schemas {
                if schema.extension.is_some() {
                    schemas.insert(&schema.name);
                }
                for name in schema.extension_objects() {
                    objects.insert((&schema.name, name));
                }
            }
        }
        let mut users = Catalog {
            schemas: self
                .schemas
                .iter()
                .filter(|s| !schemas.contains(s.name.as_str()))
                .cloned()
                .collect(),
        };
        for schema in &mut users.schemas {
            let name = schema.name.clone();
            schema.retain_objects(|object| !objects.contains(&(name.as_str(), object)));
        }
        users
    }

    /// The composite type of that name, if the catalog has one.
    pub fn composite(&self, name: &TypeName) -> Option<&CompositeType> {
        let schema = self.schema(&name.schema)?;
        schema.composites.iter().find(|c| c.name == name.name)
    }

    /// Sorts every list into catalog order (see the module docs).
    pub fn normalize(&mut self) {
        let Catalog { schemas } = self;
        sort_by_name(schemas, |s| ("", &s.name));
        for schema in schemas {
            schema.normalize();
        }
    }
}

// The walkers below name every field of `Schema`, so that a kind of object
// added to it does not compile until each of them handles it.
impl Schema {
    /// The names of the relations and types in this schema that an
    /// extension owns.
    fn extension_objects(&self) -> impl Iterator<Item = &str> {
        let Schema {
            name: _,
            comment: _,
            relations,
            enums,
            domains,
            composites,
            // The schema's own owner is the caller's to judge.
            extension: _,
        } = self;
        fn owned<'a, T>(
            items: &'a [T],
            owner: impl Fn(&T) -> (&Option<String>, &String) + 'a,
        ) -> impl Iterator<Item = &'a str> + 'a {
            items.iter().filter_map(move |item| match owner(item) {
                (Some(_), name) => Some(name.as_str()),
                (None, _) => None,
            })
        }
        owned(relations, |r| (&r.extension, &r.name))
            .chain(owned(enums, |e| (&e.extension, &e.name)))
            .chain(owned(domains, |d| (&d.extension, &d.name)))
            .chain(owned(composites, |c| (&c.extension, &c.name)))
    }

    /// Keeps the relations and types whose name `keep` accepts.
    pub fn retain_objects(&mut self, keep: impl Fn(&str) -> bool) {
        let Schema {
            name: _,
            comment: _,
            relations,
            enums,
            domains,
            composites,
            extension: _,
        } = self;
        relations.retain(|r| keep(&r.name));
        enums.retain(|e| keep(&e.name));
        domains.retain(|d| keep(&d.name));
        composites.retain(|c| keep(&c.name));
    }

    /// Sorts this schema's lists into catalog order.
    fn normalize(&mut self) {
        let Schema {
            name: _,
            comment: _,
            relations,
            enums,
            domains,
            composites,
            extension: _,
        } = self;
        sort_by_name(relations, |r| ("", &r.name));
        sort_by_name(enums, |e| ("", &e.name));
        sort_by_name(domains, |d| ("", &d.name));
        sort_by_name(composites, |c| ("", &c.name));
        for domain in domains {
            sort_by_name(&mut domain.checks, |c| ("", &c.name));
        }
        for relation in relations {
            relation.normalize();
        }
    }
}

impl Relation {
    /// Sorts this relation's lists into catalog order. Every field is named,
    /// so that a part added to relations does not compile until it is
    /// placed here.
    fn normalize(&mut self) {
        let Relation {
            name: _,
            kind: _,
            comment: _,
            // In column order, as read.
            columns: _,
            primary_key: _,
            foreign_keys,
            unique_constraints,
            check_constraints,
            indexes,
            partition_key: _,
            partitions,
            extension: _,
            // By name, as read.
            triggers: _,
            writable: _,
            distribution: _,
        } = self;
        sort_by_name(foreign_keys, |k| ("", &k.name));
        sort_by_name(unique_constraints, |u| ("", &u.name));
        sort_by_name(check_constraints, |c| ("", &c.name));
        sort_by_name(indexes, |i| ("", &i.name));
        sort_partitions(partitions);
    }
}

fn sort_partitions(partitions: &mut Vec<Partition>) {
    sort_by_name(partitions, |p| (&p.schema, &p.name));
    for partition in partitions {
        sort_partitions(&mut partition.partitions);
    }
}

/// Sorts `items` stably by the (schema, name) pair `name` gives each.
///
/// Every list of the catalog is sorted by one routine, [`name_order`]: a
/// sort written out per element type would be compiled once per type, and
/// the derive's build compiles this crate.
fn sort_by_name<T>(items: &mut Vec<T>, name: impl Fn(&T) -> (&str, &str)) {
    let order = name_order(&items.iter().map(name).collect::<Vec<_>>());
    if order.iter().enumerate().all(|(at, &from)| at == from) {
        return;
    }
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.into_iter().filter_map(|from| slots[from].take()));
}

/// The positions of `names` in ascending order of name, equal names in the
/// order given.
fn name_order(names: &[(&str, &str)]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|&a, &b| names[a].cmp(&names[b]));
    order
}

/// Quotes an identifier the way PostgreSQL's `quote_ident` does: only when it
/// is not a plain lower-case identifier or is a reserved keyword.
pub fn quote_ident(ident: &str) -> std::borrow::Cow<'_, str> {
    let plain = ident
        .bytes()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == b'_')
        && ident
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
        && !is_reserved_keyword(ident);
    if plain {
        std::borrow::Cow::Borrowed(ident)
    } else {
        std::borrow::Cow::Owned(format!("\"{}\"", ident.replace('"', "\"\"")))
    }
}

/// PostgreSQL's reserved keywords (and those reserved as column names or
/// type/function names), which must be quoted to be used as identifiers.
/// Sorted, for binary search.
const RESERVED: &[&str] = &[
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "bigint",
    "binary",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "greatest",
    "group",
    "grouping",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "inout",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "json",
    "json_array",
    "json_arrayagg",
    "json_exists",
    "json_object",
    "json_objectagg",
    "json_query",
    "json_scalar",
    "json_serialize",
    "json_table",
    "json_value",
    "lateral",
    "leading",
    "least",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "merge_action",
    "national",
    "natural",
    "nchar",
    "none",
    "normalize",
    "not",
    "notnull",
    "null",
    "nullif",
    "numeric",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "out",
    "outer",
    "overlaps",
    "overlay",
    "placing",
    "position",
    "precision",
    "primary",
    "real",
    "references",
    "returning",
    "right",
    "row",
    "select",
    "session_user",
    "setof",
    "similar",
    "smallint",
    "some",
    "substring",
    "symmetric",
    "system_user",
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trim",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "values",
    "varchar",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlnamespaces",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
    "xmltable",
];

fn is_reserved_keyword(word: &str) -> bool {
    may_be_reserved(word) && RESERVED.binary_search(&word).is_ok()
}

/// Whether some reserved keyword has `word`'s first letter, last letter and
/// length: a few instructions that rule out most identifiers before any
/// comparison of text.
fn may_be_reserved(word: &str) -> bool {
    match (word.as_bytes().first(), word.as_bytes().last()) {
        (Some(&first), Some(&last)) if word.len() < 32 => {
            let (Some(first), Some(last)) = (letter(first), letter(last)) else {
                return false;
            };
            KEYWORD_SHAPES[first][last] & (1 << word.len()) != 0
        }
        _ => false,
    }
}

/// The position of a keyword's letter (`a`-`z`, `_`) in [`KEYWORD_SHAPES`].
const fn letter(byte: u8) -> Option<usize> {
    match byte {
        b'a'..=b'z' => Some((byte - b'a') as usize),
        b'_' => Some(26),
        _ => None,
    }
}

/// For each first and last letter, the lengths of the reserved keywords
/// that begin and end with them, as bits.
const KEYWORD_SHAPES: [[u32; 27]; 27] = {
    let mut shapes = [[0u32; 27]; 27];
    let mut i = 0;
    while i < RESERVED.len() {
        let word = RESERVED[i].as_bytes();
        assert!(word.len() < 32, "a keyword longer than the length bits");
        match (letter(word[0]), letter(word[word.len() - 1])) {
            (Some(first), Some(last)) => shapes[first][last] |= 1 << word.len(),
            _ => panic!("a keyword of other characters than a-z and _"),
        }
        i += 1;
    }
    shapes
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_sort_by_schema_then_name_keeping_equal_names_in_order() {
        let mut items = vec![
            ("b", "x", 1),
            ("a", "y", 2),
            ("b", "a", 3),
            ("a", "y", 4),
            ("", "z", 5),
        ];
        sort_by_name(&mut items, |(schema, name, _)| (schema, name));
        let order: Vec<i32> = items.iter().map(|item| item.2).collect();
        assert_eq!(order, [5, 2, 4, 3, 1]);

        let mut sorted = vec![("", "a", 1), ("", "b", 2)];
        sort_by_name(&mut sorted, |(schema, name, _)| (schema, name));
        assert_eq!(sorted, [("", "a", 1), ("", "b", 2)]);
        let mut empty: Vec<(&str, &str, i32)> = Vec::new();
        sort_by_name(&mut empty, |(schema, name, _)| (schema, name));
        assert!(empty.is_empty());
    }

    #[test]
    fn reserved_keywords_are_sorted_for_binary_search() {
        assert!(RESERVED.windows(2).all(|w| w[0] < w[1]));
        assert!(is_reserved_keyword("all") && is_reserved_keyword("xmltable"));
        assert!(is_reserved_keyword("user") && is_reserved_keyword("order"));
        assert!(!is_reserved_keyword("users") && !is_reserved_keyword("email"));
        assert!(
            RESERVED.iter().all(|word| may_be_reserved(word)),
            "the shapes rule out no keyword"
        );
        assert!(!may_be_reserved("") && !may_be_reserved("int4") && !may_be_reserved("Order"));
    }

    /// Relations are found by name whether or not the catalog is in name
    /// order (a normalized one is searched by halves).
    #[test]
    fn relations_are_found_in_any_order() {
        let table = |name: &str| format!(r#"{{"name": "{name}", "kind": "table", "columns": []}}"#);
        let names = ["t_09", "a", "t_10", "B", "z", "t_1", "m"];
        let relations: Vec<String> = names.iter().map(|n| table(n)).collect();
        let json = format!(
            r#"{{"schemas": [{{"name": "public", "relations": [{}]}}]}}"#,
            relations.join(", ")
        );
        let mut catalog: Catalog = serde_json::from_str(&json).unwrap();
        for normalized in [false, true] {
            for name in names {
                let found = catalog.relation("public", name).map(|r| r.name.as_str());
                assert_eq!(found, Some(name), "normalized: {normalized}");
            }
            assert!(catalog.relation("public", "t_2").is_none());
            assert!(catalog.relation("app", "a").is_none());
            catalog.normalize();
        }
    }

    #[test]
    fn type_names_round_trip_through_text() {
        for (name, text) in [
            (TypeName::builtin("int8"), "int8"),
            (TypeName::builtin("char"), "\"char\""),
            (TypeName::new("public", "mood"), "public.mood"),
            (
                TypeName::new("My.Schema", "a \"b\""),
                "\"My.Schema\".\"a \"\"b\"\"\"",
            ),
        ] {
            assert_eq!(name.to_string(), text);
            assert_eq!(text.parse::<TypeName>().unwrap(), name);
        }
        for bad in ["", "a.", ".b", "a.b.c", "\"open", "a\"b"] {
            assert!(bad.parse::<TypeName>().is_err(), "{bad}");
        }
    }

    #[test]
    fn quote_ident_quotes_only_where_postgres_needs_it() {
        assert_eq!(quote_ident("pw_hashed"), "pw_hashed");
        assert_eq!(quote_ident("user"), "\"user\"");
        assert_eq!(quote_ident("createdAt"), "\"createdAt\"");
        assert_eq!(quote_ident("1st"), "\"1st\"");
        assert_eq!(quote_ident("größe"), "\"größe\"");
        assert_eq!(quote_ident("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
