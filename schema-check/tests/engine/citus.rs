//! pgdrift on a real Citus: a coordinator alone, and a coordinator with one
//! worker. Shards and Citus's own objects never reach the catalog, the docs,
//! diffs or the change log; each kind of distribution is read and shown; a
//! distributed schema change fails the next build; the default `sslmode`
//! connects to Citus's own certificate; the statement count is PostgreSQL's.
//! Skipped, saying so, where Citus is not installed (CI installs it).

use std::path::Path;
use std::sync::OnceLock;

use schema_check::catalog::Distribution;
use schema_check::testing::{citus_missing, CitusCluster, CitusDatabase};
use schema_check::{introspect, Catalog, DatabaseUrl};

use crate::krate::{errors, stderr, TestCrate};
use crate::{all_output, schema_check, stdout};

/// One Citus cluster per test process for each shape, started on first use;
/// `None` (with a message) where Citus is not installed.
fn cluster(workers: usize) -> Option<&'static CitusCluster> {
    static ALONE: OnceLock<CitusCluster> = OnceLock::new();
    static WITH_WORKER: OnceLock<CitusCluster> = OnceLock::new();
    if let Some(why) = citus_missing() {
        eprintln!("skipped: {why}; `../shared/citus/install.sh` installs it");
        return None;
    }
    let cell = if workers == 0 { &ALONE } else { &WITH_WORKER };
    Some(cell.get_or_init(|| CitusCluster::start(workers).unwrap_or_else(|e| panic!("{e}"))))
}

/// Every kind of table Citus has, and a local one.
const TABLES: &str = "
    CREATE EXTENSION IF NOT EXISTS citus_columnar;
    CREATE TABLE tenants (id bigint PRIMARY KEY, name text NOT NULL);
    CREATE TABLE orders (
        tenant_id bigint NOT NULL,
        id bigint NOT NULL,
        total numeric(12, 2) NOT NULL DEFAULT 0 CHECK (total >= 0),
        PRIMARY KEY (tenant_id, id)
    );
    CREATE INDEX orders_total ON orders (total);
    COMMENT ON TABLE orders IS 'Orders, spread by tenant';
    CREATE TABLE countries (code text PRIMARY KEY, name text NOT NULL);
    CREATE TABLE settings (key text PRIMARY KEY, value text);
    CREATE TABLE events (
        tenant_id bigint NOT NULL,
        at timestamptz NOT NULL,
        payload jsonb
    ) PARTITION BY RANGE (at);
    CREATE TABLE events_2026 PARTITION OF events
        FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
    CREATE TABLE readings (sensor bigint NOT NULL, value float8) USING columnar;
    CREATE TABLE notes (id bigint PRIMARY KEY, body text);
    SELECT create_distributed_table('tenants', 'id');
    SELECT create_distributed_table('orders', 'tenant_id', colocate_with => 'tenants');
    SELECT create_reference_table('countries');
    SELECT create_distributed_table('settings', NULL, colocate_with => 'none');
    SELECT create_distributed_table('events', 'tenant_id', colocate_with => 'tenants');
    SELECT create_distributed_table('readings', 'sensor', colocate_with => 'none');
    CREATE SCHEMA shop;
    SELECT citus_schema_distribute('shop');
    CREATE TABLE shop.items (id bigint PRIMARY KEY, title text NOT NULL);";

fn distribution(catalog: &Catalog, schema: &str, table: &str) -> Option<Distribution> {
    catalog
        .relation(schema, table)
        .unwrap_or_else(|| panic!("{schema}.{table} was not read"))
        .distribution
        .clone()
}

/// A colocation group of the database, by the table that has it.
fn colocation(db: &CitusDatabase, table: &str) -> u32 {
    db.query(&format!(
        "SELECT colocationid FROM pg_dist_partition WHERE logicalrelid = '{table}'::regclass"
    ))[0]
        .as_deref()
        .unwrap()
        .parse()
        .unwrap()
}

/// Introspects `url` with every shard made visible to every other session
/// (`citus.show_shards_for_app_name_prefixes = '*'`, for the whole server:
/// a worker refuses `ALTER DATABASE`).
fn read(url: &DatabaseUrl) -> Catalog {
    let admin = schema_check::Connection::open(url, &Default::default()).unwrap();
    for sql in [
        "ALTER SYSTEM SET citus.show_shards_for_app_name_prefixes = '*'",
        "SELECT pg_reload_conf()",
    ] {
        admin.batch_execute(sql).unwrap();
    }
    let probe = schema_check::Connection::open(url, &Default::default()).unwrap();
    assert_eq!(
        probe
            .query_strings("SHOW citus.show_shards_for_app_name_prefixes")
            .unwrap(),
        [Some("*".to_owned())]
    );
    introspect(&probe, None).unwrap()
}

/// How many shard tables an ordinary session of `url` sees in `pg_class`.
fn visible_shards(url: &DatabaseUrl) -> usize {
    let session = schema_check::Connection::open(url, &Default::default()).unwrap();
    session
        .query_strings("SELECT count(*) FROM pg_class WHERE relname ~ '_[0-9]{6,}$'")
        .unwrap()[0]
        .as_deref()
        .unwrap()
        .parse()
        .unwrap()
}

fn assert_no_shard_or_citus_object(catalog: &Catalog, names: &[String]) {
    let user = catalog.without_extension_objects(&[]);
    let relations: Vec<String> = user
        .relations()
        .map(|(schema, r)| format!("{schema}.{}", r.name))
        .collect();
    for name in names {
        assert!(
            !relations.iter().any(|r| r.ends_with(name.as_str())),
            "shard {name} leaked: {relations:?}"
        );
    }
    for (schema, relation) in user.relations() {
        assert!(
            !relation.name.starts_with("citus_") && !relation.name.starts_with("pg_dist"),
            "a Citus object {schema}.{} is in the user's schema",
            relation.name
        );
    }
}

/// The shard tables Citus made for the database's distributed tables.
fn shard_names(db: &CitusDatabase) -> Vec<String> {
    db.query(
        "SELECT logicalrelid::regclass::text || '_' || shardid FROM pg_dist_shard ORDER BY shardid",
    )
    .into_iter()
    .flatten()
    .map(|name| name.rsplit('.').next().unwrap().to_owned())
    .collect()
}

fn each_distribution_is_read_and_documented(workers: usize) {
    let Some(cluster) = cluster(workers) else {
        return;
    };
    let db = cluster.create_database();
    db.execute(TABLES);
    let shards = shard_names(&db);
    assert!(shards.len() > 32, "{shards:?}");
    let catalog = read(db.url());
    let tenants = colocation(&db, "tenants");
    assert_eq!(
        distribution(&catalog, "public", "tenants"),
        Some(Distribution::Hash {
            column: "id".into(),
            colocation_group: tenants
        })
    );
    assert_eq!(
        distribution(&catalog, "public", "orders"),
        Some(Distribution::Hash {
            column: "tenant_id".into(),
            colocation_group: tenants
        })
    );
    assert_eq!(
        distribution(&catalog, "public", "events"),
        Some(Distribution::Hash {
            column: "tenant_id".into(),
            colocation_group: tenants
        })
    );
    assert_eq!(
        distribution(&catalog, "public", "countries"),
        Some(Distribution::Reference)
    );
    assert_eq!(
        distribution(&catalog, "public", "settings"),
        Some(Distribution::SingleShard {
            colocation_group: colocation(&db, "settings")
        })
    );
    assert_eq!(
        distribution(&catalog, "public", "readings"),
        Some(Distribution::Hash {
            column: "sensor".into(),
            colocation_group: colocation(&db, "readings")
        })
    );
    assert_eq!(
        distribution(&catalog, "shop", "items"),
        Some(Distribution::Schema {
            colocation_group: colocation(&db, "shop.items")
        })
    );
    assert_eq!(distribution(&catalog, "public", "notes"), None, "local");
    let events = catalog.relation("public", "events").unwrap();
    assert_eq!(events.partitions.len(), 1, "{:?}", events.partitions);
    assert_no_shard_or_citus_object(&catalog, &shards);
    if db.workers().is_empty() {
        assert!(visible_shards(db.url()) > 32, "the shards are visible");
    }
    for worker in db.workers() {
        let on_worker = read(worker.url());
        assert!(visible_shards(worker.url()) > 32, "the shards are visible");
        assert_no_shard_or_citus_object(&on_worker, &shards);
        assert_eq!(
            distribution(&on_worker, "public", "orders"),
            distribution(&catalog, "public", "orders"),
            "the worker knows the distribution from Citus's synced metadata"
        );
    }

    let root = tempfile::tempdir().unwrap();
    let docs = generate_docs(&db, root.path());
    assert!(
        docs.contains(&format!(
            "Distributed by `tenant_id` (hash, colocation group {tenants})."
        )),
        "{docs}"
    );
    assert!(
        docs.contains("Reference table, a copy on every node."),
        "{docs}"
    );
    for shard in &shards {
        assert!(!docs.contains(shard.as_str()), "{shard} in the docs");
    }
    for citus_object in ["citus_tables", "citus_shards", "pg_dist", "columnar"] {
        assert!(!docs.contains(citus_object), "{citus_object} in the docs");
    }
    let text = stdout(&schema_check(
        root.path(),
        &["--database-url", db.url().expose(), "introspect"],
        &[],
    ));
    assert!(
        text.contains(&format!(
            "Distributed by tenant_id (hash, colocation group {tenants})"
        )),
        "{text}"
    );
}

fn generate_docs(db: &CitusDatabase, root: &Path) -> String {
    let out = schema_check(
        root,
        &["--database-url", db.url().expose(), "generate-docs"],
        &[],
    );
    assert!(out.status.success(), "{}", all_output(&out));
    std::fs::read_to_string(root.join("docs/database_schema.md")).unwrap()
}

#[test]
fn citus_coordinator_alone_each_distribution_is_read_and_documented() {
    each_distribution_is_read_and_documented(0);
}

#[test]
fn citus_with_a_worker_each_distribution_is_read_and_documented() {
    each_distribution_is_read_and_documented(1);
}

#[test]
fn citus_a_change_of_distribution_shows_in_snapshot_check_changelog_and_fingerprint() {
    let Some(cluster) = cluster(1) else {
        return;
    };
    let db = cluster.create_database();
    db.execute(TABLES);
    let root = tempfile::tempdir().unwrap();
    let url = db.url().expose();
    let snapshot = schema_check(root.path(), &["--database-url", url, "snapshot"], &[]);
    assert!(snapshot.status.success(), "{}", all_output(&snapshot));
    let fingerprint = || schema_check::introspect::fingerprint(&db.connect()).unwrap();
    let before = fingerprint();

    // Metadata only: the table itself is not rewritten.
    db.execute(
        "SELECT update_distributed_table_colocation('readings', colocate_with => 'tenants')",
    );
    assert_ne!(fingerprint(), before, "watch must see a new colocation");
    let check = schema_check(
        root.path(),
        &["--database-url", url, "snapshot", "--check"],
        &[],
    );
    assert_eq!(check.status.code(), Some(1), "{}", all_output(&check));
    assert!(
        all_output(&check).contains("distribution"),
        "{}",
        all_output(&check)
    );

    db.execute("SELECT undistribute_table('countries')");
    let log = schema_check(
        root.path(),
        &["--database-url", url, "changelog", "-m", "undistribute"],
        &[],
    );
    assert_eq!(log.status.code(), Some(0), "{}", all_output(&log));
    let entry = std::fs::read_to_string(root.path().join("docs/pgdb_changes.md")).unwrap();
    assert!(entry.contains("countries"), "{entry}");
    assert!(entry.contains("local (not distributed)"), "{entry}");
    assert!(entry.contains("Reference table"), "{entry}");
    for shard in shard_names(&db) {
        assert!(!entry.contains(shard.as_str()), "{shard} in the log");
    }
}

#[test]
fn citus_statement_count_equals_plain_postgres() {
    let Some(cluster) = cluster(0) else {
        return;
    };
    let db = cluster.create_database();
    db.execute(TABLES);
    let app = "pgdrift-citus-count";
    db.execute("ALTER SYSTEM SET log_statement = 'all'");
    db.execute("ALTER SYSTEM SET log_line_prefix = '%a|'");
    db.execute("SELECT pg_reload_conf()");
    let url = DatabaseUrl::new(format!("{}&application_name={app}", db.url().expose()));
    introspect(
        &schema_check::Connection::open(&url, &Default::default()).unwrap(),
        None,
    )
    .unwrap();
    db.execute("ALTER SYSTEM RESET log_statement");
    db.execute("SELECT pg_reload_conf()");
    let log = std::fs::read_to_string(cluster.coordinator().log_path()).unwrap();
    let statements = log
        .lines()
        .filter(|l| l.starts_with(&format!("{app}|")))
        .filter(|l| l.contains("LOG:  statement: ") || l.contains("LOG:  execute "))
        .count();
    assert_eq!(statements, schema_check::introspect::STATEMENTS, "{log}");
}

const MODELS: &str = r#"
mod rust_decimal {
    pub struct Decimal;
}

#[derive(pgdrift::Model)]
#[pgdrift(table = "orders")]
pub struct Order {
    pub tenant_id: i64,
    pub id: i64,
    pub total: rust_decimal::Decimal,
}

fn main() {}
"#;

const BUILD_RS: &str = "fn main() {\n    pgdrift::build::check().expect(\"pgdrift\");\n}\n";

#[test]
fn citus_a_distributed_rename_fails_the_next_build_over_citus_tls() {
    let Some(cluster) = cluster(1) else {
        return;
    };
    let db = cluster.create_database();
    db.execute(TABLES);
    // Citus serves TLS with a certificate of its own (X.509 version 1):
    // the default sslmode (prefer) and `require` connect to it, as libpq does.
    assert_eq!(
        db.query("SHOW ssl"),
        [Some("on".to_owned())],
        "Citus turns TLS on"
    );
    let url = db.url().expose().replace("?sslmode=disable", "");
    assert!(!url.contains("sslmode"), "{url}");
    let krate = TestCrate::new("pgdrift_citus_build", MODELS, Some(BUILD_RS));
    let vars = [("DATABASE_URL", url.as_str())];
    let clean = krate.cargo(&["build", "--quiet"], &vars);
    assert!(clean.status.success(), "{}", stderr(&clean));

    let compare = schema_check(
        krate.path(),
        &[
            "--database-url",
            &format!("{url}?sslmode=require"),
            "compare-db-models",
        ],
        &[],
    );
    assert_eq!(compare.status.code(), Some(0), "{}", all_output(&compare));

    db.execute("ALTER TABLE orders RENAME COLUMN total TO totals");
    let drifted = krate.cargo(&["build", "--quiet"], &vars);
    assert!(!drifted.status.success());
    let errors = errors(&drifted);
    assert!(
        errors
            .iter()
            .any(|e| e.contains("orders.total") && e.contains("does not exist")),
        "{}",
        stderr(&drifted)
    );
    assert!(
        stderr(&drifted).contains("did you mean \"totals\""),
        "{}",
        stderr(&drifted)
    );
}
