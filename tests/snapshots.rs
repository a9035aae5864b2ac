//! The committed snapshots are introspected from their SQL on every test run,
//! so they cannot drift from it. `PGDRIFT_BLESS=1 cargo test --test snapshots`
//! rewrites them after a deliberate schema change.

use std::path::Path;

use schema_check::{introspect, snapshot, testing};

fn assert_snapshot_matches(sql: &str, snapshot_path: &str) {
    assert_snapshot_of(&[sql], snapshot_path);
}

/// The snapshot of the database the SQL files make, run in order.
fn assert_snapshot_of(sqls: &[&str], snapshot_path: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let db = testing::database();
    for sql in sqls {
        db.execute(&std::fs::read_to_string(root.join(sql)).unwrap());
    }
    let sql = sqls.join(" + ");
    let fresh = snapshot::to_bytes(&introspect(&db.connect(), None).unwrap());
    let path = root.join(snapshot_path);
    if std::env::var_os("PGDRIFT_BLESS").is_some() {
        schema_check::files::write_atomic(&path, &fresh).unwrap();
    }
    let committed = std::fs::read(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "{snapshot_path} is not what {sql} introspects to; if the change is deliberate, run `PGDRIFT_BLESS=1 cargo test --test snapshots`"
    );
}

#[test]
fn example_app_snapshot_matches_its_schema() {
    assert_snapshot_matches(
        "examples/app/schema.sql",
        "examples/app/.pgdrift/schema.json",
    );
}

#[test]
fn ui_fixture_snapshot_matches_its_schema() {
    assert_snapshot_matches(
        "tests/fixtures/ui-schema.sql",
        "tests/fixtures/ui-schema.json",
    );
}

#[test]
fn realworld_snapshots_match_their_schema() {
    assert_snapshot_of(
        &["tests/realworld/schema.sql"],
        "tests/realworld/schema.json",
    );
    assert_snapshot_of(
        &["tests/realworld/schema.sql", "tests/realworld/drift.sql"],
        "tests/realworld/drift.json",
    );
}

/// The PostgreSQL 18 UI schema: compared on 18 and newer; older servers
/// refuse its SQL (no VIRTUAL generated columns, no NOT VALID NOT NULL).
#[test]
fn ui_fixture_18_snapshot_matches_its_schema() {
    let db = testing::database();
    if db.server_version_num() >= 180000 {
        drop(db);
        assert_snapshot_matches(
            "tests/fixtures/ui-schema-18.sql",
            "tests/fixtures/ui-schema-18.json",
        );
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sql = std::fs::read_to_string(root.join("tests/fixtures/ui-schema-18.sql")).unwrap();
    let refused = db.connect().batch_execute(&sql).unwrap_err();
    assert!(refused.to_string().contains("syntax error"), "{refused}");
}
