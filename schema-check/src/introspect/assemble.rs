//! Rows to a [`Catalog`]: each query's rows decoded by column name and
//! assembled, one kind of object at a time, into sorted schemas.

use std::collections::HashMap;

use super::columns::{ColumnIndex, TypeNames};
use super::fields::Fields;
use super::locks::{self, text_or_not_read, SkippedOids};
use super::{Introspection, NOT_READ};
use crate::catalog::*;

/// The rows of the queries other than the columns query, each decoded as it
/// arrived, so that no query's raw rows are held while the others stream in.
pub(super) struct Rows {
    pub(super) schemas: Vec<Schema>,
    pub(super) relations: Vec<RelationRow>,
    pub(super) constraints: Vec<ConstraintRow>,
    pub(super) indexes: Vec<IndexRow>,
    pub(super) enums: Vec<(String, EnumType)>,
    pub(super) domains: Vec<(String, Domain)>,
    pub(super) types: Vec<(u32, (TypeName, u32))>,
}

/// The relation row's triggers, from its names, `tgtype` and `tgenabled`
/// arrays.
fn triggers(row: &Fields) -> Vec<Trigger> {
    let names: Vec<String> = row.get("trigger_names");
    let types: Vec<i32> = row.get("trigger_types");
    let enabled: Vec<i8> = row.get("trigger_enabled");
    names
        .into_iter()
        .zip(types)
        .zip(enabled)
        .map(|((name, tgtype), enabled)| {
            Trigger::from_tgtype(name, tgtype).with_tgenabled(enabled as u8)
        })
        .collect()
}

/// The `"char"` column `column` of `row`, as its byte.
pub(super) fn char_of(row: &Fields, column: &str) -> u8 {
    row.get::<i8>(column) as u8
}

/// The type named by the columns `schema` and `name` of `row`; `None` when
/// either is NULL.
fn type_name(row: &Fields, schema: &str, name: &str) -> Option<TypeName> {
    Some(TypeName::new(
        row.get::<Option<String>>(schema)?,
        row.get::<Option<String>>(name)?,
    ))
}

/// Relations by oid, each with the position of its schema in the schema list.
type Relations = HashMap<u32, (usize, Box<Relation>)>;

/// Composite types by their relation's oid, each with the position of its
/// schema in the schema list.
type Composites = HashMap<u32, (usize, CompositeType)>;

/// Schema names to their position in the schema list.
type SchemaIndex = HashMap<String, usize>;

/// Builds the catalog from the rows of every query, one kind of object at a
/// time. An object of a schema that was not read is left out; so is what it
/// would have noted as not read.
///
/// Each query's rows are dropped as soon as they are assembled, so that the
/// rows and the catalog built from them are not both held whole.
pub(super) fn assemble(
    mut columns: ColumnIndex,
    mut skipped: SkippedOids,
    rows: Rows,
) -> Introspection {
    let Rows {
        mut schemas,
        relations: relation_rows,
        constraints,
        indexes,
        enums,
        domains,
        types,
    } = rows;
    let schema_index = index_schemas(&schemas);
    // Names are needed only to name what was not read.
    let nothing_skipped = skipped.is_empty()
        && relation_rows.iter().all(|row| row.skipped.is_empty())
        && constraints.iter().all(|row| row.skipped.is_empty())
        && indexes.iter().all(|row| row.skipped.is_empty());
    let names = match nothing_skipped {
        true => HashMap::new(),
        false => relation_names(&relation_rows),
    };
    let (mut relations, mut composites) =
        read_relations(relation_rows, &schema_index, &mut skipped);
    columns.finish();
    columns.name_types(&TypeNames::new(types));
    mark_not_valid_not_nulls(&mut columns, &constraints);
    add_constraints(&mut relations, constraints, &columns, &mut skipped);
    add_indexes(&mut relations, indexes, &columns, &schemas, &mut skipped);
    add_columns(&mut relations, &mut composites, columns);
    add_types(&mut schemas, &schema_index, enums, |s, e| s.enums.push(e));
    add_types(&mut schemas, &schema_index, domains, |s, d| {
        s.domains.push(d)
    });
    place_in_schemas(&mut schemas, relations, composites);
    let mut catalog = Catalog { schemas };
    catalog.normalize();
    Introspection {
        catalog,
        skipped: skipped.named(&names),
    }
}

/// Every relation row's name, by oid.
fn relation_names(rows: &[RelationRow]) -> HashMap<u32, RelationName> {
    rows.iter()
        .map(|row| {
            let name = match &row.kind {
                RelationRowKind::Partition { partition, .. } => &partition.name,
                RelationRowKind::Composite(composite) => &composite.name,
                RelationRowKind::Relation(relation) => &relation.name,
            };
            let name = RelationName {
                schema: row.schema.clone(),
                name: name.clone(),
            };
            (row.oid, name)
        })
        .collect()
}

/// A schema from its row, with nothing in it yet.
pub(super) fn schema(row: &Fields) -> Schema {
    Schema {
        name: row.get("nspname"),
        comment: row.get("description"),
        extension: row.get("extname"),
        relations: Vec::new(),
        enums: Vec::new(),
        domains: Vec::new(),
        composites: Vec::new(),
    }
}

/// Each schema's position in `schemas`, by name.
fn index_schemas(schemas: &[Schema]) -> SchemaIndex {
    schemas
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.clone(), i))
        .collect()
}

/// A row of the relations query, decoded.
pub(super) struct RelationRow {
    oid: u32,
    schema: String,
    kind: RelationRowKind,
    /// What its texts left out.
    skipped: SkippedOids,
}

/// A relation, a partition (before it is hung under its parent) or a
/// composite type.
enum RelationRowKind {
    Partition { parent: u32, partition: Partition },
    Composite(CompositeType),
    Relation(Box<Relation>),
}

impl RelationRow {
    /// Decodes a row of the relations query.
    pub(super) fn decode(row: &Fields) -> RelationRow {
        let mut skipped = SkippedOids::default();
        let oid: u32 = row.get("oid");
        let schema: String = row.get("nspname");
        let kind = if row.get::<bool>("relispartition") {
            RelationRowKind::Partition {
                parent: row.get::<Option<u32>>("inhparent").unwrap_or(0),
                partition: Partition {
                    schema: schema.clone(),
                    name: row.get("relname"),
                    bound: text_or_not_read(row, "partition_bound", true, oid, &mut skipped)
                        .unwrap_or_default(),
                    partitions: Vec::new(),
                },
            }
        } else if char_of(row, "relkind") == b'c' {
            RelationRowKind::Composite(composite_type(row))
        } else {
            RelationRowKind::Relation(Box::new(relation(row, oid, &mut skipped)))
        };
        RelationRow {
            oid,
            schema,
            kind,
            skipped,
        }
    }
}

/// A partition, before it is hung under its parent.
struct PartitionRow {
    oid: u32,
    parent: u32,
    partition: Partition,
}

/// The relations, with their partitions, and the composite types, from the
/// relation rows; columns, constraints and indexes come later.
fn read_relations(
    rows: Vec<RelationRow>,
    schema_index: &SchemaIndex,
    skipped: &mut SkippedOids,
) -> (Relations, Composites) {
    let mut relations = Relations::new();
    let mut composites = Composites::new();
    let mut partitions = Vec::new();
    for row in rows {
        if let RelationRowKind::Partition { parent, partition } = row.kind {
            skipped.merge(row.skipped);
            partitions.push(PartitionRow {
                oid: row.oid,
                parent,
                partition,
            });
            continue;
        }
        let Some(&schema_idx) = schema_index.get(&row.schema) else {
            continue;
        };
        skipped.merge(row.skipped);
        match row.kind {
            RelationRowKind::Composite(composite) => {
                composites.insert(row.oid, (schema_idx, composite));
            }
            RelationRowKind::Relation(relation) => {
                relations.insert(row.oid, (schema_idx, relation));
            }
            RelationRowKind::Partition { .. } => unreachable!("taken above"),
        }
    }
    attach_partitions(&mut relations, partitions);
    (relations, composites)
}

/// A composite type from its relation row; its attributes come with the columns.
fn composite_type(row: &Fields) -> CompositeType {
    CompositeType {
        name: row.get("relname"),
        attributes: Vec::new(),
        comment: row.get("description"),
        extension: row.get("extname"),
    }
}

/// A relation from its row, without its columns, constraints, indexes and
/// partitions.
fn relation(row: &Fields, oid: u32, skipped: &mut SkippedOids) -> Relation {
    let kind = match char_of(row, "relkind") {
        b'v' => RelationKind::View,
        b'm' => RelationKind::MaterializedView,
        b'p' => RelationKind::PartitionedTable,
        b'f' => RelationKind::ForeignTable,
        _ => RelationKind::Table,
    };
    Relation {
        name: row.get("relname"),
        kind,
        comment: row.get("description"),
        columns: Vec::new(),
        primary_key: None,
        foreign_keys: Vec::new(),
        unique_constraints: Vec::new(),
        check_constraints: Vec::new(),
        indexes: Vec::new(),
        partition_key: text_or_not_read(
            row,
            "partition_key",
            kind == RelationKind::PartitionedTable,
            oid,
            skipped,
        ),
        partitions: Vec::new(),
        extension: row.get("extname"),
        triggers: triggers(row),
        writable: writable(row, kind, oid, skipped),
        distribution: distribution(row),
    }
}

/// The table's distribution from its `pg_dist_partition` columns, classified
/// as Citus classifies its tables: a distributed schema's first, then by
/// distribution column, then reference (replication model `t`); colocation
/// group 0 is a table Citus keeps local.
fn distribution(row: &Fields) -> Option<Distribution> {
    let method: Option<String> = row.get("dist_method");
    let method = method?;
    let colocation_group = row
        .get::<Option<i32>>("dist_colocation")
        .and_then(|group| u32::try_from(group).ok())
        .unwrap_or(0);
    let column: Option<String> = row.get("dist_column");
    if row.get::<bool>("dist_schema") {
        return Some(Distribution::Schema { colocation_group });
    }
    if let Some(column) = column {
        return Some(match method.as_str() {
            "r" => Distribution::Range {
                column,
                colocation_group,
            },
            "a" => Distribution::Append {
                column,
                colocation_group,
            },
            _ => Distribution::Hash {
                column,
                colocation_group,
            },
        });
    }
    if row.get::<Option<String>>("dist_replication").as_deref() == Some("t") {
        return Some(Distribution::Reference);
    }
    (colocation_group != 0).then_some(Distribution::SingleShard { colocation_group })
}

/// Which writes a view accepts, from the bits of `pg_relation_is_updatable`
/// (4 update, 8 insert). A locked view was not asked: it is taken as
/// accepting both, so that no write is reported refused on a guess.
fn writable(
    row: &Fields,
    kind: RelationKind,
    oid: u32,
    skipped: &mut SkippedOids,
) -> Option<Writable> {
    if kind == RelationKind::View && locks::is_locked(row) {
        skipped.note(oid, row);
        return Some(Writable {
            insert: true,
            update: true,
        });
    }
    row.get::<Option<i32>>("updatable_events")
        .map(|bits| Writable {
            insert: bits & 8 != 0,
            update: bits & 4 != 0,
        })
}

/// A row of the constraints query, decoded; its columns are numbers until
/// the columns are read.
pub(super) struct ConstraintRow {
    relid: u32,
    contype: u8,
    name: String,
    keys: Vec<i16>,
    period: bool,
    /// A check's definition.
    definition: Option<String>,
    foreign: Option<Box<ForeignRow>>,
    /// What its texts left out.
    skipped: SkippedOids,
}

/// What a foreign key's constraint row says of the key it references.
struct ForeignRow {
    confrelid: u32,
    confkey: Vec<i16>,
    /// Named by the query when the referenced table's columns are not read.
    referenced_columns: Option<Vec<String>>,
    references: RelationName,
    on_update: ReferentialAction,
    on_delete: ReferentialAction,
    not_enforced: bool,
}

impl ConstraintRow {
    /// Decodes a row of the constraints query.
    pub(super) fn decode(row: &Fields) -> ConstraintRow {
        let mut skipped = SkippedOids::default();
        let relid: u32 = row.get("conrelid");
        let contype = char_of(row, "contype");
        let definition = (contype == b'c').then(|| {
            text_or_not_read(row, "check_definition", true, relid, &mut skipped).unwrap_or_default()
        });
        ConstraintRow {
            relid,
            contype,
            name: row.get("conname"),
            keys: row.get::<Option<Vec<i16>>>("conkey").unwrap_or_default(),
            period: row.get("period"),
            definition,
            foreign: (contype == b'f').then(|| Box::new(foreign_row(row))),
            skipped,
        }
    }
}

/// The referenced side of a foreign key's constraint row.
fn foreign_row(row: &Fields) -> ForeignRow {
    ForeignRow {
        confrelid: row.get("confrelid"),
        confkey: row.get::<Option<Vec<i16>>>("confkey").unwrap_or_default(),
        referenced_columns: row.get("referenced_columns"),
        references: RelationName {
            schema: row
                .get::<Option<String>>("referenced_schema")
                .unwrap_or_default(),
            name: row
                .get::<Option<String>>("referenced_table")
                .unwrap_or_default(),
        },
        on_update: referential_action(char_of(row, "confupdtype")),
        on_delete: referential_action(char_of(row, "confdeltype")),
        not_enforced: !row.get::<bool>("enforced"),
    }
}

/// A `NOT VALID` NOT NULL: NULL may still be read, not written.
fn mark_not_valid_not_nulls(columns: &mut ColumnIndex, constraints: &[ConstraintRow]) {
    for row in constraints.iter().filter(|row| row.contype == b'n') {
        if let [attnum] = row.keys.as_slice() {
            if let Some(column) = columns.column_mut(row.relid, *attnum) {
                column.nullable = true;
                column.not_null_not_valid = true;
            }
        }
    }
}

/// Primary keys, unique constraints, checks and foreign keys, each on its
/// relation.
fn add_constraints(
    relations: &mut Relations,
    rows: Vec<ConstraintRow>,
    columns: &ColumnIndex,
    skipped: &mut SkippedOids,
) {
    for row in rows {
        let Some((_, relation)) = relations.get_mut(&row.relid) else {
            continue;
        };
        skipped.merge(row.skipped);
        let key_columns = columns.names(row.relid, &row.keys).unwrap_or_default();
        let key = |name, columns| KeyConstraint {
            name,
            columns,
            without_overlaps: row.period,
        };
        match (row.contype, row.definition, row.foreign) {
            (b'p', ..) => relation.primary_key = Some(key(row.name, key_columns)),
            (b'u', ..) => relation.unique_constraints.push(key(row.name, key_columns)),
            (b'c', Some(definition), _) => relation.check_constraints.push(CheckConstraint {
                name: row.name,
                definition,
            }),
            (b'f', _, Some(foreign)) => relation.foreign_keys.push(foreign_key(
                *foreign,
                row.name,
                key_columns,
                row.period,
                columns,
            )),
            _ => {}
        }
    }
}

/// A foreign key from its constraint row. The referenced columns come named
/// from the query when their table's columns were not read.
fn foreign_key(
    foreign: ForeignRow,
    name: String,
    key_columns: Vec<String>,
    period: bool,
    columns: &ColumnIndex,
) -> ForeignKey {
    let referenced_columns = foreign
        .referenced_columns
        .or_else(|| columns.names(foreign.confrelid, &foreign.confkey))
        .unwrap_or_default();
    ForeignKey {
        name,
        columns: key_columns,
        references: foreign.references,
        referenced_columns,
        on_update: foreign.on_update,
        on_delete: foreign.on_delete,
        not_enforced: foreign.not_enforced,
        period,
    }
}

/// A row of the indexes query, decoded; its key columns are numbers until
/// the columns are read.
pub(super) struct IndexRow {
    relid: u32,
    name: String,
    unique: bool,
    primary: bool,
    /// Column numbers of the key (0 for an expression).
    keys: Vec<i16>,
    /// The keys printed, for an index with expressions.
    key_expressions: Option<Vec<String>>,
    /// `None` for a plain index, whose definition is written here.
    definition: Option<String>,
    method: String,
    partitioned: bool,
    predicate: Option<String>,
    /// What its texts left out.
    skipped: SkippedOids,
}

impl IndexRow {
    /// Decodes a row of the indexes query.
    pub(super) fn decode(row: &Fields) -> IndexRow {
        let mut skipped = SkippedOids::default();
        let relid: u32 = row.get("indrelid");
        let key_count = usize::try_from(row.get::<i16>("indnkeyatts")).unwrap_or(0);
        let mut keys: Vec<i16> = row.get("indkey");
        keys.truncate(key_count);
        let not_read: bool = row.get("definition_not_read");
        IndexRow {
            relid,
            name: row.get("relname"),
            unique: row.get("indisunique"),
            primary: row.get("indisprimary"),
            keys,
            key_expressions: row.get("key_expressions"),
            definition: text_or_not_read(row, "definition", not_read, relid, &mut skipped)
                .filter(|definition| !definition.is_empty()),
            method: row.get("amname"),
            partitioned: row.get("partitioned"),
            predicate: row.get("predicate"),
            skipped,
        }
    }
}

/// The indexes, each on its relation.
fn add_indexes(
    relations: &mut Relations,
    rows: Vec<IndexRow>,
    columns: &ColumnIndex,
    schemas: &[Schema],
    skipped: &mut SkippedOids,
) {
    for mut row in rows {
        if let Some((schema_idx, relation)) = relations.get_mut(&row.relid) {
            skipped.merge(std::mem::take(&mut row.skipped));
            let index = index(row, (&schemas[*schema_idx].name, &relation.name), columns);
            relation.indexes.push(index);
        }
    }
}

/// An index of table `(schema, table)` from its row: key columns named from
/// the column rows unless the index has expressions (each expression
/// [`NOT_READ`] when the table is locked); a plain index's definition written
/// here, with its predicate when it is partial.
fn index(row: IndexRow, (schema, table): (&str, &str), columns: &ColumnIndex) -> Index {
    let key_columns = row.key_expressions.unwrap_or_else(|| {
        row.keys
            .iter()
            .map(|&attnum| match attnum {
                0 => Some(NOT_READ.to_owned()),
                _ => columns.names(row.relid, &[attnum])?.pop(),
            })
            .collect::<Option<Vec<String>>>()
            .unwrap_or_default()
    });
    let mut index = Index {
        name: row.name,
        unique: row.unique,
        primary: row.primary,
        definition: row.definition.unwrap_or_default(),
        columns: key_columns,
    };
    if index.definition.is_empty() {
        index.definition =
            plain_index_definition(&index, schema, table, &row.method, row.partitioned);
        if let Some(predicate) = row.predicate {
            index.definition.push_str(" WHERE ");
            index.definition.push_str(&predicate);
        }
    }
    index
}

/// What `pg_get_indexdef` prints for a plain index (one the indexes query
/// does not ask PostgreSQL to print), up to its predicate.
fn plain_index_definition(
    index: &Index,
    schema: &str,
    table: &str,
    method: &str,
    partitioned: bool,
) -> String {
    let columns: Vec<_> = index.columns.iter().map(|c| quote_ident(c)).collect();
    format!(
        "CREATE {}INDEX {} ON {}{}.{} USING {} ({})",
        if index.unique { "UNIQUE " } else { "" },
        quote_ident(&index.name),
        if partitioned { "ONLY " } else { "" },
        quote_ident(schema),
        quote_ident(table),
        quote_ident(method),
        columns.join(", ")
    )
}

/// Each column to its relation and each attribute to its composite type, in
/// column order.
fn add_columns(relations: &mut Relations, composites: &mut Composites, columns: ColumnIndex) {
    for (relid, columns) in columns.into_relations() {
        if let Some((_, relation)) = relations.get_mut(&relid) {
            relation.columns = columns;
        } else if let Some((_, composite)) = composites.get_mut(&relid) {
            composite.attributes = columns.into_iter().map(attribute).collect();
        }
    }
}

/// A composite type's attribute, from its column row.
fn attribute(column: Column) -> Attribute {
    Attribute {
        name: column.name,
        data_type: column.data_type,
        udt: column.udt,
        element: column.element,
        comment: column.comment.map(String::from),
    }
}

/// An enum type from its row, with its schema's name.
pub(super) fn enum_type(row: &Fields) -> (String, EnumType) {
    let schema = row.get("nspname");
    let enum_type = EnumType {
        name: row.get("typname"),
        labels: row.get("labels"),
        comment: row.get("description"),
        extension: row.get("extname"),
    };
    (schema, enum_type)
}

/// Each type (enums, domains) into its schema, by `add`; a type of a schema
/// that was not read is left out.
fn add_types<T>(
    schemas: &mut [Schema],
    schema_index: &SchemaIndex,
    types: Vec<(String, T)>,
    add: impl Fn(&mut Schema, T),
) {
    for (schema, item) in types {
        if let Some(&i) = schema_index.get(&schema) {
            add(&mut schemas[i], item);
        }
    }
}

/// A domain from its row, its checks paired by name with their definitions;
/// with its schema's name.
pub(super) fn domain(row: &Fields) -> (String, Domain) {
    let schema = row.get("nspname");
    let names: Vec<String> = row.get("check_names");
    let definitions: Vec<String> = row.get("check_definitions");
    let domain = Domain {
        name: row.get("typname"),
        data_type: row.get("data_type"),
        base: TypeName::new(
            row.get::<String>("base_schema"),
            row.get::<String>("base_name"),
        ),
        element: type_name(row, "element_schema", "element_name"),
        not_null: row.get("typnotnull"),
        default: row.get("typdefault"),
        checks: names
            .into_iter()
            .zip(definitions)
            .map(|(name, definition)| CheckConstraint { name, definition })
            .collect(),
        comment: row.get("description"),
        extension: row.get("extname"),
    };
    (schema, domain)
}

/// Each relation and composite type, complete, into its schema.
fn place_in_schemas(schemas: &mut [Schema], relations: Relations, composites: Composites) {
    let mut counts = vec![0; schemas.len()];
    for (schema_idx, _) in relations.values() {
        counts[*schema_idx] += 1;
    }
    for (schema, count) in schemas.iter_mut().zip(counts) {
        schema.relations.reserve_exact(count);
    }
    for (schema_idx, composite) in composites.into_values() {
        schemas[schema_idx].composites.push(composite);
    }
    for (schema_idx, relation) in relations.into_values() {
        schemas[schema_idx].relations.push(*relation);
    }
}

fn referential_action(code: u8) -> ReferentialAction {
    match code {
        b'r' => ReferentialAction::Restrict,
        b'c' => ReferentialAction::Cascade,
        b'n' => ReferentialAction::SetNull,
        b'd' => ReferentialAction::SetDefault,
        _ => ReferentialAction::NoAction,
    }
}

/// Hangs every partition under its parent: a relation, or a partition that
/// is itself partitioned.
fn attach_partitions(relations: &mut Relations, rows: Vec<PartitionRow>) {
    let mut children: HashMap<u32, Vec<(u32, Partition)>> = HashMap::new();
    for row in rows {
        children
            .entry(row.parent)
            .or_default()
            .push((row.oid, row.partition));
    }
    fn build(oid: u32, children: &mut HashMap<u32, Vec<(u32, Partition)>>) -> Vec<Partition> {
        let direct = children.remove(&oid).unwrap_or_default();
        direct
            .into_iter()
            .map(|(child_oid, mut partition)| {
                partition.partitions = build(child_oid, children);
                partition
            })
            .collect()
    }
    for (oid, (_, relation)) in relations.iter_mut() {
        if relation.kind == RelationKind::PartitionedTable {
            relation.partitions = build(*oid, &mut children);
        }
    }
}
