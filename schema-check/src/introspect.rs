//! Live introspection: a [`Catalog`] from `pg_catalog`.
//!
//! Seven catalog queries, whatever the number of tables, sent together
//! (pipelined) inside one `READ ONLY`, `REPEATABLE READ` transaction, so they
//! see one consistent state and can change nothing. Only catalog features of
//! PostgreSQL 12 and newer are used.

use std::collections::HashMap;

use tokio_postgres::types::ToSql;
use tokio_postgres::Row;

use crate::catalog::*;
use crate::error::Result;
use crate::live::Connection;

/// Non-system schemas, optionally restricted to `$1` (a `text[]`, or NULL for all).
macro_rules! schema_filter {
    ($ns:literal) => {
        concat!(
            " ",
            $ns,
            ".nspname <> 'information_schema' AND ",
            $ns,
            ".nspname NOT LIKE 'pg\\_%' AND ($1::text[] IS NULL OR ",
            $ns,
            ".nspname = ANY($1::text[]))"
        )
    };
}

const SCHEMAS: &str = concat!(
    "SELECT n.nspname, d.description
     FROM pg_namespace n
     LEFT JOIN pg_description d
       ON d.objoid = n.oid AND d.classoid = 'pg_namespace'::regclass AND d.objsubid = 0
     WHERE",
    schema_filter!("n")
);

const RELATIONS: &str = concat!(
    "SELECT c.oid, n.nspname, c.relname, c.relkind, c.relispartition, d.description,
            CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,
            CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END,
            i.inhparent
     FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_description d
       ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
     LEFT JOIN pg_inherits i ON c.relispartition AND i.inhrelid = c.oid
     WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f') AND",
    schema_filter!("n")
);

const COLUMNS: &str = concat!(
    "SELECT a.attrelid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod),
            tn.nspname, t.typname, en.nspname, et.typname,
            a.attnotnull, pg_get_expr(ad.adbin, ad.adrelid), a.attidentity, a.attgenerated,
            d.description
     FROM pg_attribute a
     JOIN pg_class c ON c.oid = a.attrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     JOIN pg_type t ON t.oid = a.atttypid
     JOIN pg_namespace tn ON tn.oid = t.typnamespace
     LEFT JOIN pg_type et ON t.typelem <> 0 AND t.typlen = -1 AND et.oid = t.typelem
     LEFT JOIN pg_namespace en ON en.oid = et.typnamespace
     LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
     LEFT JOIN pg_description d
       ON d.objoid = a.attrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum
     WHERE a.attnum > 0 AND NOT a.attisdropped
       AND c.relkind IN ('r', 'v', 'm', 'p', 'f') AND NOT c.relispartition AND",
    schema_filter!("n")
);

const CONSTRAINTS: &str = concat!(
    "SELECT co.conrelid, co.conname, co.contype,
            ARRAY(SELECT a.attname FROM unnest(co.conkey) WITH ORDINALITY AS k(num, ord)
                  JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.num
                  ORDER BY k.ord),
            fn.nspname, fc.relname,
            ARRAY(SELECT a.attname FROM unnest(co.confkey) WITH ORDINALITY AS k(num, ord)
                  JOIN pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.num
                  ORDER BY k.ord),
            co.confupdtype, co.confdeltype,
            CASE WHEN co.contype = 'c' THEN pg_get_constraintdef(co.oid, true) END
     FROM pg_constraint co
     JOIN pg_class c ON c.oid = co.conrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN pg_class fc ON fc.oid = co.confrelid
     LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
     WHERE co.contype IN ('p', 'u', 'f', 'c') AND co.conparentid = 0
       AND NOT c.relispartition AND",
    schema_filter!("n")
);

const INDEXES: &str = concat!(
    "SELECT i.indrelid, ic.relname, i.indisunique, i.indisprimary,
            pg_get_indexdef(i.indexrelid),
            ARRAY(SELECT CASE WHEN k.num = 0
                              THEN pg_get_indexdef(i.indexrelid, k.ord::int, true)
                              ELSE a.attname::text END
                  FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(num, ord)
                  LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.num
                  WHERE k.ord <= i.indnkeyatts
                  ORDER BY k.ord)
     FROM pg_index i
     JOIN pg_class ic ON ic.oid = i.indexrelid
     JOIN pg_class c ON c.oid = i.indrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'm', 'p') AND NOT c.relispartition AND",
    schema_filter!("n")
);

const ENUMS: &str = concat!(
    "SELECT n.nspname, t.typname,
            ARRAY(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid
                  ORDER BY e.enumsortorder),
            d.description
     FROM pg_type t
     JOIN pg_namespace n ON n.oid = t.typnamespace
     LEFT JOIN pg_description d
       ON d.objoid = t.oid AND d.classoid = 'pg_type'::regclass AND d.objsubid = 0
     WHERE t.typtype = 'e' AND",
    schema_filter!("n")
);

const DOMAINS: &str = concat!(
    "SELECT n.nspname, t.typname, format_type(t.typbasetype, t.typtypmod),
            bn.nspname, bt.typname, en.nspname, et.typname,
            t.typnotnull, t.typdefault,
            ARRAY(SELECT co.conname FROM pg_constraint co
                  WHERE co.contypid = t.oid AND co.contype = 'c' ORDER BY co.conname),
            ARRAY(SELECT pg_get_constraintdef(co.oid, true) FROM pg_constraint co
                  WHERE co.contypid = t.oid AND co.contype = 'c' ORDER BY co.conname),
            d.description
     FROM pg_type t
     JOIN pg_namespace n ON n.oid = t.typnamespace
     JOIN pg_type bt ON bt.oid = t.typbasetype
     JOIN pg_namespace bn ON bn.oid = bt.typnamespace
     LEFT JOIN pg_type et ON bt.typelem <> 0 AND bt.typlen = -1 AND et.oid = bt.typelem
     LEFT JOIN pg_namespace en ON en.oid = et.typnamespace
     LEFT JOIN pg_description d
       ON d.objoid = t.oid AND d.classoid = 'pg_type'::regclass AND d.objsubid = 0
     WHERE t.typtype = 'd' AND",
    schema_filter!("n")
);

/// Opens the transaction. An empty search path makes PostgreSQL qualify every
/// name it prints (types, defaults, constraints) the same way whoever connects.
const BEGIN: &str =
    "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET LOCAL search_path = pg_catalog";

/// The number of SQL statements one introspection sends (the seven queries
/// plus [`BEGIN`] and `ROLLBACK`), whatever the database holds.
pub const STATEMENTS: usize = 9;

/// Reads the catalog of `schemas` (every non-system schema when `None`).
pub fn introspect(connection: &Connection, schemas: Option<&[String]>) -> Result<Catalog> {
    let filter: Option<Vec<String>> = schemas.map(<[String]>::to_vec);
    let rows = connection.run(async |client| {
        let params: &[&(dyn ToSql + Sync)] = &[&filter];
        client.batch_execute(BEGIN).await?;
        let rows = tokio::try_join!(
            client.query(SCHEMAS, params),
            client.query(RELATIONS, params),
            client.query(COLUMNS, params),
            client.query(CONSTRAINTS, params),
            client.query(INDEXES, params),
            client.query(ENUMS, params),
            client.query(DOMAINS, params),
        )?;
        client.batch_execute("ROLLBACK").await?;
        Ok(rows)
    })?;
    Ok(assemble(rows))
}

type Rows = (
    Vec<Row>,
    Vec<Row>,
    Vec<Row>,
    Vec<Row>,
    Vec<Row>,
    Vec<Row>,
    Vec<Row>,
);

fn char_of(row: &Row, idx: usize) -> u8 {
    row.get::<_, i8>(idx) as u8
}

fn type_name(row: &Row, schema: usize, name: usize) -> Option<TypeName> {
    Some(TypeName::new(
        row.get::<_, Option<String>>(schema)?,
        row.get::<_, Option<String>>(name)?,
    ))
}

struct PartitionRow {
    oid: u32,
    parent: u32,
    partition: Partition,
}

fn assemble(
    (schema_rows, relation_rows, column_rows, constraint_rows, index_rows, enum_rows, domain_rows): Rows,
) -> Catalog {
    let mut schemas: Vec<Schema> = schema_rows
        .iter()
        .map(|row| Schema {
            name: row.get(0),
            comment: row.get(1),
            ..Schema::default()
        })
        .collect();
    let schema_index: HashMap<String, usize> = schemas
        .iter()
        .enumerate()
        .map(|(i, s)| (s.name.clone(), i))
        .collect();

    let mut relations: HashMap<u32, (usize, Relation)> = HashMap::new();
    let mut partitions = Vec::new();
    for row in &relation_rows {
        let oid: u32 = row.get(0);
        let schema: String = row.get(1);
        let name: String = row.get(2);
        if row.get::<_, bool>(4) {
            partitions.push(PartitionRow {
                oid,
                parent: row.get::<_, Option<u32>>(8).unwrap_or(0),
                partition: Partition {
                    schema,
                    name,
                    bound: row.get::<_, Option<String>>(7).unwrap_or_default(),
                    partitions: Vec::new(),
                },
            });
            continue;
        }
        let kind = match char_of(row, 3) {
            b'v' => RelationKind::View,
            b'm' => RelationKind::MaterializedView,
            b'p' => RelationKind::PartitionedTable,
            b'f' => RelationKind::ForeignTable,
            _ => RelationKind::Table,
        };
        let Some(&schema_idx) = schema_index.get(&schema) else {
            continue;
        };
        relations.insert(
            oid,
            (
                schema_idx,
                Relation {
                    name,
                    kind,
                    comment: row.get(5),
                    columns: Vec::new(),
                    primary_key: None,
                    foreign_keys: Vec::new(),
                    unique_constraints: Vec::new(),
                    check_constraints: Vec::new(),
                    indexes: Vec::new(),
                    partition_key: row.get(6),
                    partitions: Vec::new(),
                },
            ),
        );
    }

    let mut columns: Vec<(u32, i16, Column)> = column_rows
        .iter()
        .map(|row| {
            let generated = char_of(row, 11) == b's';
            let expression: Option<String> = row.get(9);
            let column = Column {
                name: row.get(2),
                data_type: row.get(3),
                udt: TypeName::new(row.get::<_, String>(4), row.get::<_, String>(5)),
                element: type_name(row, 6, 7),
                nullable: !row.get::<_, bool>(8),
                default: if generated { None } else { expression.clone() },
                identity: match char_of(row, 10) {
                    b'a' => Some(Identity::Always),
                    b'd' => Some(Identity::ByDefault),
                    _ => None,
                },
                generated: if generated { expression } else { None },
                comment: row.get(12),
            };
            (row.get(0), row.get(1), column)
        })
        .collect();
    columns.sort_unstable_by_key(|(relid, attnum, _)| (*relid, *attnum));
    for (relid, _, column) in columns {
        if let Some((_, relation)) = relations.get_mut(&relid) {
            relation.columns.push(column);
        }
    }

    for row in &constraint_rows {
        let Some((_, relation)) = relations.get_mut(&row.get::<_, u32>(0)) else {
            continue;
        };
        let name: String = row.get(1);
        let columns: Vec<String> = row.get(3);
        match char_of(row, 2) {
            b'p' => relation.primary_key = Some(KeyConstraint { name, columns }),
            b'u' => relation
                .unique_constraints
                .push(KeyConstraint { name, columns }),
            b'c' => relation.check_constraints.push(CheckConstraint {
                name,
                definition: row.get::<_, Option<String>>(9).unwrap_or_default(),
            }),
            b'f' => relation.foreign_keys.push(ForeignKey {
                name,
                columns,
                references: RelationName {
                    schema: row.get::<_, Option<String>>(4).unwrap_or_default(),
                    name: row.get::<_, Option<String>>(5).unwrap_or_default(),
                },
                referenced_columns: row.get(6),
                on_update: referential_action(char_of(row, 7)),
                on_delete: referential_action(char_of(row, 8)),
            }),
            _ => {}
        }
    }

    for row in &index_rows {
        if let Some((_, relation)) = relations.get_mut(&row.get::<_, u32>(0)) {
            relation.indexes.push(Index {
                name: row.get(1),
                unique: row.get(2),
                primary: row.get(3),
                definition: row.get(4),
                columns: row
                    .get::<_, Vec<Option<String>>>(5)
                    .into_iter()
                    .map(Option::unwrap_or_default)
                    .collect(),
            });
        }
    }

    attach_partitions(&mut relations, partitions);

    for row in &enum_rows {
        if let Some(&i) = schema_index.get(&row.get::<_, String>(0)) {
            schemas[i].enums.push(EnumType {
                name: row.get(1),
                labels: row.get(2),
                comment: row.get(3),
            });
        }
    }
    for row in &domain_rows {
        if let Some(&i) = schema_index.get(&row.get::<_, String>(0)) {
            let names: Vec<String> = row.get(9);
            let definitions: Vec<String> = row.get(10);
            schemas[i].domains.push(Domain {
                name: row.get(1),
                data_type: row.get(2),
                base: TypeName::new(row.get::<_, String>(3), row.get::<_, String>(4)),
                element: type_name(row, 5, 6),
                not_null: row.get(7),
                default: row.get(8),
                checks: names
                    .into_iter()
                    .zip(definitions)
                    .map(|(name, definition)| CheckConstraint { name, definition })
                    .collect(),
                comment: row.get(11),
            });
        }
    }

    for (schema_idx, relation) in relations.into_values() {
        schemas[schema_idx].relations.push(relation);
    }
    let mut catalog = Catalog { schemas };
    catalog.normalize();
    catalog
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
fn attach_partitions(relations: &mut HashMap<u32, (usize, Relation)>, rows: Vec<PartitionRow>) {
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
