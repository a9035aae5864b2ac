//! The SQL introspection sends: the catalog queries, the statements that
//! open its transactions, and the choice of each text by server version,
//! Citus's presence and what to do about a locked relation.

use super::locks::{lock_columns, with_locked};
use super::OnLocked;

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

/// Joins `pg_extension` as `x` for the object `$oid` of catalog `$catalog`
/// when an extension owns it (`pg_depend.deptype = 'e'`): such an object is
/// the extension's, not the user's schema. An object belongs to at most one
/// extension, so the join never repeats a row.
macro_rules! extension_join {
    ($catalog:literal, $oid:literal) => {
        concat!(
            "
     LEFT JOIN pg_depend xd
       ON xd.classid = '",
            $catalog,
            "'::regclass AND xd.objid = ",
            $oid,
            " AND xd.deptype = 'e'
     LEFT JOIN pg_extension x ON x.oid = xd.refobjid"
        )
    };
}

pub(super) const SCHEMAS: &str = concat!(
    "SELECT n.nspname, d.description, x.extname
     FROM pg_namespace n
     LEFT JOIN pg_description d
       ON d.objoid = n.oid AND d.classoid = 'pg_namespace'::regclass AND d.objsubid = 0",
    extension_join!("pg_namespace", "n.oid"),
    "
     WHERE",
    schema_filter!("n")
);

/// Relations, and composite types (kind `c`: their attributes come with the
/// columns; their comment and their extension membership are the type's,
/// not the relation's). Sent [`with_locked`], as are the columns,
/// constraints and indexes queries: the texts of a relation in `locked`
/// are not read.
///
/// Triggers are grouped by relation in one pass over `pg_trigger` and
/// joined: a lookup per relation (two, one per array) cost a third of this
/// query at 20,000 tables, each filtering out the foreign keys' internal
/// triggers again.
const RELATIONS: &str = concat!(
    "SELECT c.oid, n.nspname, c.relname, c.relkind, c.relispartition, d.description,
            CASE WHEN c.relkind = 'p' AND lk.relation IS NULL THEN pg_get_partkeydef(c.oid) END
              AS partition_key,
            CASE WHEN c.relispartition AND lk.relation IS NULL
                 THEN pg_get_expr(c.relpartbound, c.oid) END AS partition_bound,
            i.inhparent, x.extname, ",
    lock_columns!(),
    ",
            coalesce(tg.names, '{}') AS trigger_names, coalesce(tg.types, '{}') AS trigger_types,
            coalesce(tg.enabled, '{}') AS trigger_enabled,
            CASE WHEN c.relkind = 'v' AND lk.relation IS NULL
                 THEN pg_relation_is_updatable(c.oid, true) END AS updatable_events,
            {distribution}
     FROM pg_class c
     JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN locked lk ON lk.relation = c.oid
     LEFT JOIN pg_description d
       ON d.objoid = CASE WHEN c.relkind = 'c' THEN c.reltype ELSE c.oid END
      AND d.classoid = CASE WHEN c.relkind = 'c' THEN 'pg_type'::regclass
                            ELSE 'pg_class'::regclass END
      AND d.objsubid = 0
     LEFT JOIN pg_inherits i ON c.relispartition AND i.inhrelid = c.oid
     LEFT JOIN (SELECT t.tgrelid, array_agg(t.tgname::text ORDER BY t.tgname) AS names,
                       array_agg(t.tgtype::int4 ORDER BY t.tgname) AS types,
                       array_agg(t.tgenabled ORDER BY t.tgname) AS enabled
                FROM pg_trigger t WHERE NOT t.tgisinternal GROUP BY t.tgrelid) tg
       ON tg.tgrelid = c.oid
     LEFT JOIN pg_depend xd
       ON xd.classid = CASE WHEN c.relkind = 'c' THEN 'pg_type'::regclass
                            ELSE 'pg_class'::regclass END
      AND xd.objid = CASE WHEN c.relkind = 'c' THEN c.reltype ELSE c.oid END
      AND xd.deptype = 'e'
     LEFT JOIN pg_extension x ON x.oid = xd.refobjid{distribution_join}
     WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f', 'c') AND",
    schema_filter!("n")
);

/// The relations query: with Citus, each table's row in Citus's
/// `pg_dist_partition` too (only there: elsewhere the table does not exist).
/// The distribution column is named from `pg_attribute` by the attribute
/// number in the stored key (`{VAR … :varattno N …}`), which takes no lock.
/// A table in a distributed schema shares the schema's colocation group
/// (`pg_dist_schema`, Citus 12 and newer).
pub(super) fn relations_query(citus: Citus) -> String {
    let (columns, join) = match citus {
        Citus::Absent => (
            "NULL::text AS dist_method, NULL::text AS dist_replication, \
             NULL::int4 AS dist_colocation, NULL::text AS dist_column, false AS dist_schema",
            "",
        ),
        Citus::Present { schemas } => (
            if schemas {
                "dp.partmethod::text AS dist_method, dp.repmodel::text AS dist_replication, \
                 dp.colocationid::int4 AS dist_colocation, dpa.attname::text AS dist_column, \
                 EXISTS (SELECT 1 FROM pg_dist_schema ds WHERE ds.colocationid = dp.colocationid) AS dist_schema"
            } else {
                "dp.partmethod::text AS dist_method, dp.repmodel::text AS dist_replication, \
                 dp.colocationid::int4 AS dist_colocation, dpa.attname::text AS dist_column, \
                 false AS dist_schema"
            },
            "
     LEFT JOIN pg_dist_partition dp ON dp.logicalrelid = c.oid
     LEFT JOIN pg_attribute dpa
       ON dpa.attrelid = c.oid
      AND dpa.attnum = substring(dp.partkey FROM ':varattno ([0-9]+)')::int2",
        ),
    };
    RELATIONS
        .replace("{distribution}", columns)
        .replace("{distribution_join}", join)
}

/// Whether the database has the Citus extension, and with it the catalog
/// of distributed schemas.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Citus {
    Absent,
    Present { schemas: bool },
}

impl Citus {
    /// From the opening statement's `citus` column: NULL without the
    /// extension, else whether `pg_dist_schema` exists.
    pub(super) fn from_setting(value: Option<&str>) -> Citus {
        match value {
            Some(schemas) => Citus::Present {
                schemas: schemas == "t",
            },
            None => Citus::Absent,
        }
    }
}

/// A default cannot name a column, so it is printed without its relation
/// (`pg_get_expr(…, 0)`): given a relation, PostgreSQL opens it to name its
/// columns, building its cache entry, which costs more than the printing
/// itself. A generation expression names columns and is printed with its
/// relation.
const COLUMNS: &str = concat!(
    "SELECT a.attrelid, c.relnatts, a.attnum, a.atttypid, a.attname,
            format_type(a.atttypid, a.atttypmod) AS data_type, a.attnotnull, a.atthasdef,
            CASE WHEN lk.relation IS NOT NULL THEN NULL
                 WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, 0)
                 ELSE pg_get_expr(ad.adbin, ad.adrelid) END AS expression,
            a.attidentity, a.attgenerated,
            d.description, ",
    lock_columns!(),
    "
     FROM pg_attribute a
     JOIN pg_class c ON c.oid = a.attrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN locked lk ON lk.relation = a.attrelid
     LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
     LEFT JOIN pg_description d
       ON d.objoid = a.attrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum
     WHERE a.attnum > 0 AND NOT a.attisdropped
       AND c.relkind IN ('r', 'v', 'm', 'p', 'f', 'c') AND NOT c.relispartition AND",
    schema_filter!("n")
);

/// Every type's name and, for an array type, its element type: looked up
/// here once rather than joined into every column row.
pub(super) const TYPES: &str = "
    SELECT t.oid, n.nspname, t.typname,
           CASE WHEN t.typlen = -1 THEN t.typelem ELSE 0 END AS element
    FROM pg_type t
    JOIN pg_namespace n ON n.oid = t.typnamespace
";

/// Column numbers come back raw and are named from the column rows; only a
/// foreign key into a table whose columns were not read (another schema, a
/// partition) is named here. Of the `NOT NULL` constraints (kept here since
/// PostgreSQL 18; `pg_attribute.attnotnull` is true for them, valid or not)
/// only the `NOT VALID` ones are read: their columns may still hold NULL.
/// `{enforced}` stands for [`enforced_column`], `{period}` for [`period_column`].
const CONSTRAINTS: &str = concat!(
    "SELECT co.conrelid, co.conname, co.contype, co.conkey, co.confrelid,
            fn.nspname AS referenced_schema, fc.relname AS referenced_table, co.confkey,
            CASE WHEN co.contype = 'f' AND (fc.relispartition OR NOT (",
    schema_filter!("fn"),
    ")) THEN ARRAY(SELECT a.attname::text FROM unnest(co.confkey) WITH ORDINALITY AS k(num, ord)
                   JOIN pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.num
                   ORDER BY k.ord) END AS referenced_columns,
            co.confupdtype, co.confdeltype,
            CASE WHEN co.contype = 'c' AND lk.relation IS NULL
                 THEN pg_get_constraintdef(co.oid, true) END AS check_definition,
            {enforced} AS enforced, {period} AS period, ",
    lock_columns!(),
    "
     FROM pg_constraint co
     JOIN pg_class c ON c.oid = co.conrelid
     JOIN pg_namespace n ON n.oid = c.relnamespace
     LEFT JOIN locked lk ON lk.relation = co.conrelid
     LEFT JOIN pg_class fc ON fc.oid = co.confrelid
     LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
     WHERE (co.contype IN ('p', 'u', 'f', 'c') OR (co.contype = 'n' AND NOT co.convalidated))
       AND co.conparentid = 0
       AND NOT c.relispartition AND",
    schema_filter!("n")
);

/// Whether a constraint is enforced: `pg_constraint.conenforced` from
/// PostgreSQL 18 on (`NOT ENFORCED` foreign keys and checks); before, every
/// constraint is.
fn enforced_column(server_version: Option<u32>) -> &'static str {
    match server_version {
        Some(version) if version >= 180000 => "co.conenforced",
        _ => "true",
    }
}

/// Whether a key is temporal (`WITHOUT OVERLAPS`, or a foreign key's
/// `PERIOD`): `pg_constraint.conperiod` from PostgreSQL 18 on; before, no key is.
fn period_column(server_version: Option<u32>) -> &'static str {
    match server_version {
        Some(version) if version >= 180000 => "co.conperiod",
        _ => "false",
    }
}

/// Key columns are named from the column rows; only expression indexes ask
/// PostgreSQL to print each key. A plain index (see [`plain_index`]) gets
/// its definition from assembly (what `pg_get_indexdef` would print), even
/// when its table is locked, and so does a partial one that is plain but
/// for its predicate, printed here alone (`predicate`): `pg_get_indexdef`
/// prints the same text after ` WHERE `, at twice the cost of printing the
/// predicate alone. PostgreSQL prints the others, which is most of this
/// query's cost when every index is asked.
pub(super) fn indexes_query(server_version: Option<u32>) -> String {
    let plain = plain_index(server_version);
    format!(
        "SELECT i.indrelid, ic.relname, i.indisunique, i.indisprimary,
                CASE WHEN {plain} OR lk.relation IS NOT NULL THEN NULL
                     ELSE pg_get_indexdef(i.indexrelid) END AS definition,
                lk.relation IS NOT NULL AND NOT ({plain} AND i.indpred IS NULL)
                  AS definition_not_read,
                CASE WHEN {plain} AND lk.relation IS NULL
                     THEN pg_get_expr(i.indpred, i.indrelid) END AS predicate,
                i.indkey::int2[] AS indkey, i.indnkeyatts,
                CASE WHEN i.indexprs IS NOT NULL AND lk.relation IS NULL
                     THEN ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true)
                                FROM generate_series(1, i.indnkeyatts::int) AS k ORDER BY k)
                     END AS key_expressions,
                am.amname, c.relkind = 'p' AS partitioned, {}
         FROM pg_index i
         JOIN pg_class ic ON ic.oid = i.indexrelid
         JOIN pg_am am ON am.oid = ic.relam
         JOIN pg_class c ON c.oid = i.indrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN locked lk ON lk.relation = i.indrelid
         WHERE c.relkind IN ('r', 'm', 'p') AND NOT c.relispartition AND{}",
        lock_columns!(),
        schema_filter!("n")
    )
}

/// SQL that is true for an index whose `pg_get_indexdef` is fully given by
/// its name, table, method, uniqueness, key columns and predicate (if it is
/// partial): no expressions, INCLUDE, storage options, sort options,
/// non-default operator class or collation, or NULLS NOT DISTINCT
/// (PostgreSQL 15). Unknown server version: no index is plain.
fn plain_index(server_version: Option<u32>) -> String {
    let Some(version) = server_version else {
        return "false".to_owned();
    };
    let nulls = if version >= 150000 {
        "NOT i.indnullsnotdistinct AND "
    } else {
        ""
    };
    format!(
        "{nulls}i.indexprs IS NULL AND i.indnatts = i.indnkeyatts
         AND ic.reloptions IS NULL AND i.indoption::int2[] <@ '{{0}}'::int2[]
         AND i.indcollation::oid[] <@ '{{0,100}}'::oid[]
         AND NOT i.indclass::oid[] && (SELECT array_agg(oid) FROM pg_opclass WHERE NOT opcdefault)"
    )
}

pub(super) const ENUMS: &str = concat!(
    "SELECT n.nspname, t.typname,
            ARRAY(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid
                  ORDER BY e.enumsortorder) AS labels,
            d.description, x.extname
     FROM pg_type t
     JOIN pg_namespace n ON n.oid = t.typnamespace
     LEFT JOIN pg_description d
       ON d.objoid = t.oid AND d.classoid = 'pg_type'::regclass AND d.objsubid = 0",
    extension_join!("pg_type", "t.oid"),
    "
     WHERE t.typtype = 'e' AND",
    schema_filter!("n")
);

pub(super) const DOMAINS: &str = concat!(
    "SELECT n.nspname, t.typname, format_type(t.typbasetype, t.typtypmod) AS data_type,
            bn.nspname AS base_schema, bt.typname AS base_name,
            en.nspname AS element_schema, et.typname AS element_name,
            t.typnotnull, t.typdefault,
            ARRAY(SELECT co.conname FROM pg_constraint co
                  WHERE co.contypid = t.oid AND co.contype = 'c' ORDER BY co.conname)
              AS check_names,
            ARRAY(SELECT pg_get_constraintdef(co.oid, true) FROM pg_constraint co
                  WHERE co.contypid = t.oid AND co.contype = 'c' ORDER BY co.conname)
              AS check_definitions,
            d.description, x.extname
     FROM pg_type t
     JOIN pg_namespace n ON n.oid = t.typnamespace
     JOIN pg_type bt ON bt.oid = t.typbasetype
     JOIN pg_namespace bn ON bn.oid = bt.typnamespace
     LEFT JOIN pg_type et ON bt.typelem <> 0 AND bt.typlen = -1 AND et.oid = bt.typelem
     LEFT JOIN pg_namespace en ON en.oid = et.typnamespace
     LEFT JOIN pg_description d
       ON d.objoid = t.oid AND d.classoid = 'pg_type'::regclass AND d.objsubid = 0",
    extension_join!("pg_type", "t.oid"),
    "
     WHERE t.typtype = 'd' AND",
    schema_filter!("n")
);

/// A cheap fingerprint of everything introspection reads: the row count and
/// newest row version (`xmin`) of each catalog it reads. Any DDL changes it;
/// `schema-check watch` polls it and introspects only when it moves. Of
/// `pg_depend` only extension membership is read (an object that joins or
/// leaves an extension changes no other catalog), through its index on the
/// referenced catalog. Citus's `pg_dist_partition` (a table's distribution)
/// exists only with Citus, so it is read through `query_to_xml`, whose query
/// PostgreSQL parses only when the `CASE` finds the table.
pub(super) const FINGERPRINT: &str = "SELECT concat_ws(' ',
    (SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM pg_namespace),
    (SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM pg_class),
    (SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM pg_attribute),
    (SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM pg_attrdef),
    (SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM pg_constraint),
    (SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM pg_index),
    (SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM pg_inherits),
    (SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM pg_type),
    (SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM pg_enum),
    (SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM pg_trigger),
    (SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM pg_description),
    (SELECT count(*) || ':' || coalesce(max(xmin::text::bigint), 0) FROM pg_depend
     WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'),
    CASE WHEN to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL THEN
      query_to_xml('SELECT count(*) || '':'' || coalesce(max(xmin::text::bigint), 0)
                    FROM pg_catalog.pg_dist_partition', false, false, '')::text END)
    AS fingerprint";

/// Citus's shards (`users_102041`, one table per shard of a distributed
/// table) are never the user's schema, whatever the session was told to show
/// (`citus.show_shards_for_app_name_prefixes = '*'` shows them to every
/// application): the introspection transaction sets Citus's own visibility
/// settings back for itself. PostgreSQL accepts a `prefix.name` setting even
/// where no extension defines it, so the same statements serve plain
/// PostgreSQL, where they change nothing. Sent with the opening statements,
/// they cost no round trip of their own.
const HIDE_SHARDS: &str = "; SET LOCAL citus.override_table_visibility = on; \
     SET LOCAL citus.show_shards_for_app_name_prefixes = ''";

/// Opens the transaction with [`settings`], read-only, on `snapshot` when
/// given (another session's, to see what it sees).
pub(super) fn begin(timeout: std::time::Duration, snapshot: Option<&str>) -> String {
    let snapshot = snapshot
        .map(|id| format!("; SET TRANSACTION SNAPSHOT '{id}'"))
        .unwrap_or_default();
    format!(
        "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY{snapshot}; {}",
        settings(timeout)
    )
}

/// The settings of a transaction that reads the catalog. An empty search
/// path makes PostgreSQL qualify every name it prints (types, defaults,
/// constraints) the same way whoever connects. JIT compilation is off: the
/// catalog queries of a big schema are costed high enough for PostgreSQL to
/// compile them, which takes longer than it saves on queries that read each
/// row once. Printing an index or a check locks its table for a moment, so
/// a session holding an exclusive lock would make us wait (unless its texts
/// are skipped, [`OnLocked::SkipTexts`]): the wait, like every query, is
/// bounded by the query timeout.
fn settings(timeout: std::time::Duration) -> String {
    // The lock wait ends first, so its error (naming the table) is the one seen.
    let ms = timeout.as_millis().max(1);
    let statement_ms = ms + 500;
    format!(
        "SET LOCAL search_path = pg_catalog; \
         SET LOCAL statement_timeout = {statement_ms}; SET LOCAL lock_timeout = {ms}; \
         SET LOCAL jit = off{HIDE_SHARDS}"
    )
}

/// The queries that print texts (relations, columns, constraints and
/// indexes), each [`with_locked`] as `on_locked` asks, for a server of
/// `server_version` with or without Citus.
pub(super) struct TextQueries {
    pub(super) relations: String,
    pub(super) columns: String,
    pub(super) constraints: String,
    pub(super) indexes: String,
}

impl TextQueries {
    pub(super) fn new(server_version: Option<u32>, citus: Citus, on_locked: OnLocked) -> Self {
        TextQueries {
            relations: with_locked(&relations_query(citus), on_locked),
            columns: with_locked(COLUMNS, on_locked),
            constraints: with_locked(&constraints_query(server_version), on_locked),
            indexes: with_locked(&indexes_query(server_version), on_locked),
        }
    }
}

/// The constraints query for a server of `server_version`.
fn constraints_query(server_version: Option<u32>) -> String {
    CONSTRAINTS
        .replace("{enforced}", enforced_column(server_version))
        .replace("{period}", period_column(server_version))
}

/// What the server is, as columns of the openings' row: its version
/// (`server_version`) and whether Citus is there (`citus`: NULL without
/// it, else whether its catalog of distributed schemas exists).
const SERVER: &str = "current_setting('server_version_num') AS server_version, \
     (SELECT to_regclass('pg_catalog.pg_dist_schema') IS NOT NULL FROM pg_extension \
      WHERE extname = 'citus') AS citus";

/// The first session's opening: [`begin`], then one row with the snapshot
/// to share (`snapshot`) and [`SERVER`]'s columns.
pub(super) fn opening(timeout: std::time::Duration) -> String {
    format!(
        "{}; SELECT pg_export_snapshot() AS snapshot, {SERVER}",
        begin(timeout, None)
    )
}

/// The opening inside a transaction the caller began (and ends): only
/// [`settings`], then one row with [`SERVER`]'s columns and no snapshot.
#[cfg(any(feature = "discover", feature = "testing"))]
pub(super) fn opening_within(timeout: std::time::Duration) -> String {
    format!(
        "{}; SELECT NULL::text AS snapshot, {SERVER}",
        settings(timeout)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_openings_differ_only_in_how_the_transaction_begins() {
        let timeout = std::time::Duration::from_secs(2);
        let settings = "SET LOCAL search_path = pg_catalog; SET LOCAL statement_timeout = 2500; \
             SET LOCAL lock_timeout = 2000; SET LOCAL jit = off; \
             SET LOCAL citus.override_table_visibility = on; \
             SET LOCAL citus.show_shards_for_app_name_prefixes = ''";
        let server = "current_setting('server_version_num') AS server_version, \
             (SELECT to_regclass('pg_catalog.pg_dist_schema') IS NOT NULL FROM pg_extension \
             WHERE extname = 'citus') AS citus";
        assert_eq!(
            opening(timeout),
            format!(
                "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; {settings}; \
                 SELECT pg_export_snapshot() AS snapshot, {server}"
            )
        );
        assert_eq!(
            opening_within(timeout),
            format!("{settings}; SELECT NULL::text AS snapshot, {server}")
        );
        assert_eq!(
            begin(timeout, Some("00000003-1")),
            format!("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '00000003-1'; {settings}")
        );
    }
}
