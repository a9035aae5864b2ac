//! A build never waits on a migration: while another session holds (or
//! waits for) an `ACCESS EXCLUSIVE` lock, reading the schema for a build or
//! for printing leaves that relation's texts out and says so; the commands
//! that write files wait at most the query timeout, then fail naming it.

use std::time::{Duration, Instant};

use schema_check::catalog::{RelationKind, Writable};
use schema_check::introspect::{self, OnLocked, NOT_READ};
use schema_check::testing::{self, TestDatabase};
use schema_check::{Connection, DatabaseUrl};

use crate::derive::{MODELS, SCHEMA};
use crate::krate::TestCrate;
use crate::{all_output, schema_check, stderr, stdout};

const TABLES: &str = "
    CREATE TABLE busy (
        id int PRIMARY KEY,
        n int DEFAULT 1 + 1 CHECK (n > 0),
        g int GENERATED ALWAYS AS (n * 2) STORED,
        plain int
    );
    CREATE INDEX busy_expr ON busy ((n + 1));
    CREATE TABLE calm (id int PRIMARY KEY, m int DEFAULT 7 CHECK (m > 0));
    CREATE INDEX calm_expr ON calm ((m + 1));
    CREATE TABLE parts (id int) PARTITION BY RANGE (id);
    CREATE TABLE parts_1 PARTITION OF parts FOR VALUES FROM (0) TO (10);
    -- Locking a view locks the tables it reads too.
    CREATE VIEW busy_view AS SELECT id, n FROM busy;";

/// A session named `migration`, and its pid as text.
fn migration(db: &TestDatabase) -> (Connection, String) {
    let url = DatabaseUrl::new(format!("{}&application_name=migration", db.url().expose()));
    let session = Connection::open(&url, &Default::default()).unwrap();
    let pid = session.query_strings("SELECT pg_backend_pid()").unwrap()[0]
        .clone()
        .unwrap();
    (session, pid)
}

/// A migration holding `ACCESS EXCLUSIVE` on `tables` in an open transaction.
fn hold_exclusive(db: &TestDatabase, tables: &str) -> (Connection, String) {
    let (session, pid) = migration(db);
    session
        .batch_execute(&format!(
            "BEGIN; LOCK TABLE {tables} IN ACCESS EXCLUSIVE MODE"
        ))
        .unwrap();
    (session, pid)
}

#[test]
fn reading_around_locks_leaves_out_only_the_locked_texts() {
    let db = testing::database();
    db.execute(TABLES);
    let complete = introspect::introspect(&db.connect(), None).unwrap();
    let (holder, pid) = hold_exclusive(&db, "busy, parts, busy_view");

    let started = Instant::now();
    let read = introspect::read(&db.connect(), None, OnLocked::SkipTexts).unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert!(!read.is_complete());
    let skipped: Vec<String> = read
        .skipped
        .iter()
        .map(|s| s.relation.to_string())
        .collect();
    assert_eq!(
        skipped,
        [
            "public.busy",
            "public.busy_view",
            "public.parts",
            "public.parts_1"
        ]
    );
    for s in &read.skipped {
        assert_eq!(s.holder.pid.map(|p| p.to_string()), Some(pid.clone()));
        assert_eq!(s.holder.application.as_deref(), Some("migration"));
        assert!(s
            .holder
            .since
            .as_deref()
            .is_some_and(|t| t.ends_with(" UTC")));
    }

    let catalog = &read.catalog;
    let busy = catalog.relation("public", "busy").unwrap();
    let column = |name: &str| busy.column(name).unwrap();
    assert_eq!(
        column("n").default.as_deref(),
        Some(NOT_READ),
        "a default, not read"
    );
    assert_eq!(column("g").generated.as_deref(), Some(NOT_READ));
    assert_eq!(column("plain").default, None, "no default stays none");
    assert_eq!(column("n").data_type, "integer", "types stay exact");
    assert_eq!(busy.check_constraints[0].definition, NOT_READ);
    let expr = busy.indexes.iter().find(|i| i.name == "busy_expr").unwrap();
    assert_eq!(
        (expr.definition.as_str(), expr.columns.as_slice()),
        (NOT_READ, &[NOT_READ.to_owned()][..])
    );
    let pkey = busy.indexes.iter().find(|i| i.name == "busy_pkey").unwrap();
    assert_eq!(
        pkey.definition, "CREATE UNIQUE INDEX busy_pkey ON public.busy USING btree (id)",
        "a plain index is written without asking PostgreSQL"
    );
    let parts = catalog.relation("public", "parts").unwrap();
    assert_eq!(parts.kind, RelationKind::PartitionedTable);
    assert_eq!(parts.partition_key.as_deref(), Some(NOT_READ));
    assert_eq!(parts.partitions[0].bound, NOT_READ);
    let view = catalog.relation("public", "busy_view").unwrap();
    assert_eq!(
        view.writable,
        Some(Writable {
            insert: true,
            update: true
        }),
        "a locked view is not reported read-only on a guess"
    );
    assert_eq!(
        catalog.relation("public", "calm"),
        complete.relation("public", "calm"),
        "an unlocked table is read whole"
    );

    holder.batch_execute("ROLLBACK").unwrap();
    let after = introspect::read(&db.connect(), None, OnLocked::SkipTexts).unwrap();
    assert!(after.is_complete());
    assert_eq!(after.catalog, complete);
}

#[test]
fn a_default_is_read_without_waiting_for_its_locked_table() {
    let db = testing::database();
    db.execute("CREATE TABLE only_defaults (n int DEFAULT 1 + 1, at timestamptz DEFAULT now())");
    let (holder, _) = hold_exclusive(&db, "only_defaults");

    let started = Instant::now();
    let catalog = introspect::introspect(&db.connect(), None).unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "waited {:?}",
        started.elapsed()
    );
    let table = catalog.relation("public", "only_defaults").unwrap();
    let default = |name: &str| table.column(name).unwrap().default.clone();
    assert_eq!(default("n").as_deref(), Some("(1 + 1)"));
    assert_eq!(default("at").as_deref(), Some("now()"));
    holder.batch_execute("ROLLBACK").unwrap();
}

#[test]
fn a_waiting_exclusive_request_is_gone_around_too() {
    let db = testing::database();
    db.execute(TABLES);
    // A reader holds calm; the migration's request queues behind it, and
    // every later request would queue behind the migration.
    let reader = db.connect();
    reader
        .batch_execute("BEGIN; SELECT count(*) FROM calm")
        .unwrap();
    let (waiting, pid) = migration(&db);
    let migration = std::thread::spawn(move || {
        waiting
            .batch_execute("BEGIN; LOCK TABLE calm IN ACCESS EXCLUSIVE MODE; ROLLBACK")
            .unwrap();
    });
    let queued = || {
        db.query(&format!(
            "SELECT count(*) FROM pg_locks WHERE pid = {pid} AND NOT granted"
        )) == [Some("1".to_owned())]
    };
    let deadline = Instant::now() + Duration::from_secs(10);
    while !queued() {
        assert!(Instant::now() < deadline, "the request never queued");
        std::thread::sleep(Duration::from_millis(50));
    }
    let started = Instant::now();
    let read = introspect::read(&db.connect(), None, OnLocked::SkipTexts).unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    let skipped: Vec<String> = read
        .skipped
        .iter()
        .map(|s| s.relation.to_string())
        .collect();
    assert_eq!(skipped, ["public.calm"]);
    assert_eq!(read.skipped[0].holder.pid.map(|p| p.to_string()), Some(pid));
    reader.batch_execute("ROLLBACK").unwrap();
    migration.join().unwrap();
}

#[test]
fn introspect_prints_around_a_migration_and_warns() {
    let db = testing::database();
    db.execute(TABLES);
    let (holder, pid) = hold_exclusive(&db, "busy");
    let dir = tempfile::tempdir().unwrap();
    // The default query timeout (30 s): nothing waits for it.
    let started = Instant::now();
    let out = schema_check(
        dir.path(),
        &["introspect"],
        &[("DATABASE_URL", db.url().expose())],
    );
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    assert!(took < Duration::from_secs(3), "took {took:?}");
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "warning: public.busy: its defaults, checks, index definitions and partition bounds (a view: its writability) were not read, shown as `{NOT_READ}`: another session holds or waits for an ACCESS EXCLUSIVE lock on it (pid {pid}, application \"migration\", since "
        )),
        "{err}"
    );
    assert_eq!(err.matches("warning:").count(), 1, "{err}");
    let text = stdout(&out);
    assert!(text.contains("check calm_m_check CHECK (m > 0)"), "{text}");
    assert!(
        text.contains("check busy_n_check (not read: locked)"),
        "{text}"
    );

    // Writing the snapshot needs every text: it waits at most the query
    // timeout, then fails naming the table and the holder, and writes nothing.
    let started = Instant::now();
    let out = schema_check(
        dir.path(),
        &["snapshot"],
        &[
            ("DATABASE_URL", db.url().expose()),
            ("PGDRIFT_QUERY_TIMEOUT", "2"),
        ],
    );
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(2), "{}", all_output(&out));
    assert!(took < Duration::from_secs(6), "took {took:?}");
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "another session holds a lock on busy (pid {pid}, application \"migration\", since "
        )),
        "{err}"
    );
    assert!(!dir.path().join(".pgdrift/schema.json").exists());
    holder.batch_execute("ROLLBACK").unwrap();
}

#[test]
fn commands_that_write_leave_their_files_as_they_were() {
    let db = testing::database();
    db.execute(TABLES);
    let dir = tempfile::tempdir().unwrap();
    let vars = [
        ("DATABASE_URL", db.url().expose()),
        ("PGDRIFT_QUERY_TIMEOUT", "1"),
    ];
    let out = schema_check(dir.path(), &["snapshot"], &vars);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    let snapshot = dir.path().join(".pgdrift/schema.json");
    let before = std::fs::read(&snapshot).unwrap();
    db.execute("ALTER TABLE calm ADD COLUMN note text");
    let (holder, _) = hold_exclusive(&db, "busy");
    for command in [
        &["snapshot"][..],
        &["generate-docs"],
        &["changelog", "-m", "x"],
    ] {
        let out = schema_check(dir.path(), command, &vars);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{command:?}: {}",
            all_output(&out)
        );
        assert!(
            stderr(&out).contains("another session holds a lock on busy"),
            "{command:?}: {}",
            stderr(&out)
        );
    }
    assert_eq!(
        std::fs::read(&snapshot).unwrap(),
        before,
        "the snapshot is as it was"
    );
    assert!(!dir.path().join("docs").exists(), "no docs written");
    holder.batch_execute("ROLLBACK").unwrap();
}

/// Builds of the test crates one at a time, so that one's compiling does
/// not count in the other's time.
static CARGO: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// A query timeout far above the time a build is allowed: a build that
/// waited for the lock could not pass.
const LONG_TIMEOUT: (&str, &str) = ("PGDRIFT_QUERY_TIMEOUT", "60");

const BUILD_RS: &str = "fn main() {\n    pgdrift::build::check().expect(\"pgdrift\");\n}\n";

#[test]
fn a_build_goes_around_a_migration_and_reads_again_next_time() {
    let db = testing::database();
    db.execute(SCHEMA);
    let krate = TestCrate::new("pgdrift_build_locked", MODELS, Some(BUILD_RS));
    let loads = krate.path().join("loads.log");
    let vars = [
        ("DATABASE_URL", db.url().expose()),
        ("PGDRIFT_LOG_LOADS", loads.to_str().unwrap()),
        LONG_TIMEOUT,
    ];
    let _serial = CARGO.lock().unwrap_or_else(|p| p.into_inner());
    let live_loads = || {
        std::fs::read_to_string(&loads)
            .unwrap_or_default()
            .lines()
            .filter(|l| !l.contains(" snapshot "))
            .count()
    };
    let warmed = krate.cargo(&["build"], &vars);
    assert!(warmed.status.success(), "{}", stderr(&warmed));
    assert_eq!(live_loads(), 1);

    let (holder, pid) = hold_exclusive(&db, "users");
    krate.touch();
    let started = Instant::now();
    let locked = krate.cargo(&["build"], &vars);
    let took = started.elapsed();
    assert!(locked.status.success(), "{}", stderr(&locked));
    assert!(took < Duration::from_secs(30), "took {took:?}");
    let err = stderr(&locked);
    assert!(
        err.contains("warning: pgdrift_build_locked@0.0.0: public.users: its defaults, checks, index definitions and partition bounds (a view: its writability) were not read"),
        "{err}"
    );
    assert!(
        err.contains(&format!("(pid {pid}, application \"migration\", since ")),
        "{err}"
    );
    assert_eq!(live_loads(), 2);
    holder.batch_execute("ROLLBACK").unwrap();

    // The incomplete catalog was not kept as current, though the catalog's
    // fingerprint is the same: the next build reads again, the one after
    // it does not.
    let again = krate.cargo(&["build"], &vars);
    assert!(again.status.success(), "{}", stderr(&again));
    assert!(
        !stderr(&again).contains("were not read"),
        "{}",
        stderr(&again)
    );
    assert_eq!(live_loads(), 3);
    let unchanged = krate.cargo(&["build"], &vars);
    assert!(unchanged.status.success(), "{}", stderr(&unchanged));
    assert_eq!(live_loads(), 3);
}

#[test]
fn the_live_derive_warns_about_the_model_of_a_locked_table() {
    let db = testing::database();
    db.execute(SCHEMA);
    let krate = TestCrate::live("pgdrift_live_locked", MODELS);
    let vars = [("DATABASE_URL", db.url().expose()), LONG_TIMEOUT];
    let _serial = CARGO.lock().unwrap_or_else(|p| p.into_inner());
    let warmed = krate.cargo(&["build"], &vars);
    assert!(warmed.status.success(), "{}", stderr(&warmed));
    let (holder, pid) = hold_exclusive(&db, "users");
    let started = Instant::now();
    krate.touch();
    let locked = krate.cargo(&["build"], &vars);
    let took = started.elapsed();
    holder.batch_execute("ROLLBACK").unwrap();
    assert!(locked.status.success(), "{}", stderr(&locked));
    assert!(took < Duration::from_secs(30), "took {took:?}");
    let err = stderr(&locked);
    assert!(
        err.contains(
            "use of deprecated associated constant `User::pgdrift_schema_source`: public.users: its defaults"
        ),
        "{err}"
    );
    assert!(err.contains(&format!("(pid {pid}, ")), "{err}");
    assert_eq!(
        err.matches("pgdrift_schema_source").count(),
        1,
        "only the locked table's model: {err}"
    );
}
