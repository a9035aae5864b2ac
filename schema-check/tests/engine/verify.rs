//! Verifying a draft on a real PostgreSQL, with hand-written SQL standing
//! in for a draft: the models fit after it, or findings remain, or a
//! statement fails; and every time the test database is left as it was
//! (its `pg_dump --schema-only` and its rows), a database of another schema
//! is refused, transaction control is refused, and a slow statement is
//! bounded.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use schema_check::cfg::Cfg;
use schema_check::discover::{discover_texts, Discovered};
use schema_check::fix::verify::{verify, Verified};
use schema_check::introspect::{self, introspect};
use schema_check::testing::{self, TestDatabase};
use schema_check::{snapshot, Catalog, ConnectOptions, Result};

const SCHEMA: &str = "
    CREATE TABLE users (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        email text NOT NULL
    );";

const NEEDS_NICKNAME: &str = r#"
#[derive(pgdrift::Model)]
#[pgdrift(table = "users", strict)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub nickname: Option<String>,
}
"#;

fn models(text: &str) -> Discovered {
    discover_texts(
        vec![(PathBuf::from("src/models.rs"), text.to_owned())],
        &Cfg::default(),
    )
}

/// A test database holding `schema`, and its catalog (what a draft for it
/// is made from).
fn database(schema: &str) -> (TestDatabase, Catalog) {
    let db = testing::database();
    db.execute(schema);
    let catalog = introspect(&db.connect(), None).unwrap();
    (db, catalog)
}

fn options(query_timeout: Duration) -> ConnectOptions {
    ConnectOptions {
        query_timeout,
        ..ConnectOptions::default()
    }
}

/// Verifies `sql` for `models` on `db`, whose schema is `made_from`.
fn run(db: &TestDatabase, made_from: &Catalog, sql: &str, models_text: &str) -> Result<Verified> {
    verify(
        db.url(),
        made_from,
        sql,
        &models(models_text),
        &options(Duration::from_secs(10)),
        None,
    )
}

/// The database's `pg_dump --schema-only`; where the installed pg_dump is
/// older than the server (which it refuses to dump), the snapshot of its
/// schema instead.
fn dump(db: &TestDatabase) -> String {
    let out = Command::new(testing::program("pg_dump"))
        .args(["--schema-only", "--no-sync"])
        .arg(db.url().expose())
        .output()
        .expect("pg_dump runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("server version mismatch") {
        let catalog = introspect(&db.connect(), None).unwrap();
        return String::from_utf8(snapshot::to_bytes(&catalog)).unwrap();
    }
    assert!(out.status.success(), "{stderr}");
    // Newer pg_dumps guard their output with a random `\restrict` key.
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().filter(|l| !l.contains("restrict ")).collect();
    assert!(
        lines.iter().any(|l| l.starts_with("CREATE TABLE")),
        "a real dump"
    );
    lines.join("\n")
}

fn count(db: &TestDatabase, table: &str) -> String {
    db.query(&format!("SELECT count(*) FROM {table}"))[0]
        .clone()
        .unwrap()
}

fn exists(db: &TestDatabase, name: &str) -> bool {
    db.query(&format!("SELECT to_regclass('{name}') IS NOT NULL"))[0].as_deref() == Some("t")
}

#[test]
fn models_fit_after_a_draft_that_adds_their_column_and_nothing_stays() {
    let (db, made_from) = database(SCHEMA);
    let before = dump(&db);
    let sql = "-- User.nickname asks for this column\n\
               ALTER TABLE users ADD COLUMN nickname text;\n\
               INSERT INTO users (email, nickname) VALUES ('a@b.c', 'Al');";
    let verified = run(&db, &made_from, sql, NEEDS_NICKNAME).unwrap();
    assert!(matches!(verified, Verified::Fit), "{verified:?}");
    assert_eq!(dump(&db), before);
    assert_eq!(count(&db, "users"), "0");
}

#[test]
fn findings_remain_after_a_draft_that_does_not_make_the_models_fit() {
    let (db, made_from) = database(SCHEMA);
    let before = dump(&db);
    let sql = "ALTER TABLE users ADD COLUMN nick text; INSERT INTO users (email) VALUES ('a@b.c')";
    let Verified::Remaining(findings) = run(&db, &made_from, sql, NEEDS_NICKNAME).unwrap() else {
        panic!("findings remain")
    };
    let messages: Vec<&str> = findings.iter().map(|f| f.message.as_str()).collect();
    assert!(
        findings
            .iter()
            .any(|f| f.field.as_deref() == Some("nickname")),
        "{messages:#?}"
    );
    assert_eq!(dump(&db), before);
    assert_eq!(count(&db, "users"), "0");
}

#[test]
fn a_failing_statement_is_named_with_the_servers_message_and_nothing_stays() {
    let (db, made_from) = database(SCHEMA);
    let before = dump(&db);
    let sql = "ALTER TABLE users ADD COLUMN nickname text;\n\
               INSERT INTO users (email) VALUES ('a@b.c');\n\
               /* the next one fails */\n  ALTER TABLE nobody ADD COLUMN \"x\u{1b}[2J\" int ;\n\
               ALTER TABLE users ADD COLUMN never text;";
    let verified = run(&db, &made_from, sql, NEEDS_NICKNAME).unwrap();
    let Verified::Failed { statement, message } = verified else {
        panic!("fails: {verified:?}")
    };
    assert_eq!(
        statement,
        "ALTER TABLE nobody ADD COLUMN \"x\\u{1b}[2J\" int"
    );
    assert_eq!(message, "relation \"nobody\" does not exist");
    assert_eq!(dump(&db), before);
    assert_eq!(count(&db, "users"), "0");
}

#[test]
fn a_test_database_of_another_schema_is_refused_and_nothing_runs() {
    let (db, made_from) = database(SCHEMA);
    db.execute("ALTER TABLE users ADD COLUMN extra int; CREATE TABLE other (id int)");
    let before = dump(&db);
    let secret_url = db.url_as("postgres", "s3cret-pw");
    let err = verify(
        &secret_url,
        &made_from,
        "CREATE TABLE witness (id int); INSERT INTO users (email) VALUES ('a@b.c')",
        &models(NEEDS_NICKNAME),
        &options(Duration::from_secs(10)),
        None,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("is not the one the draft was made from"),
        "{err}"
    );
    assert!(err.contains("column public.users.extra added"), "{err}");
    assert!(err.contains("table public.other added"), "{err}");
    assert!(!err.contains("s3cret-pw") && err.contains("***"), "{err}");
    assert!(!err.contains("PGDRIFT_OFFLINE"), "{err}");
    assert!(!exists(&db, "witness"));
    assert_eq!(dump(&db), before);
    assert_eq!(count(&db, "users"), "0");
}

#[test]
fn transaction_control_in_the_draft_is_refused_and_nothing_commits() {
    let (db, made_from) = database(SCHEMA);
    let before = dump(&db);
    for sql in [
        "CREATE TABLE witness (id int); COMMIT; BEGIN",
        "CREATE TABLE witness (id int);\n/* done */ end",
        "ROLLBACK; CREATE TABLE witness (id int)",
        "SAVEPOINT s; CREATE TABLE witness (id int); RELEASE s",
        "CREATE TABLE witness (id int); PREPARE TRANSACTION 'x'",
    ] {
        let err = run(&db, &made_from, sql, NEEDS_NICKNAME)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("must not control the transaction"),
            "{sql}: {err}"
        );
        assert!(!exists(&db, "witness"), "{sql}");
    }
    assert!(run(
        &db,
        &made_from,
        "CREATE TABLE witness (\"COMMIT\" text DEFAULT 'COMMIT')",
        ""
    )
    .is_ok());
    assert_eq!(dump(&db), before);
}

#[test]
fn a_procedure_that_commits_cannot_end_the_transaction() {
    let (db, made_from) = database(&format!(
        "{SCHEMA}
         CREATE PROCEDURE sneaky() LANGUAGE plpgsql AS $$
         BEGIN CREATE TABLE witness (id int); COMMIT; END $$;"
    ));
    let before = dump(&db);
    let verified = run(&db, &made_from, "CALL sneaky()", NEEDS_NICKNAME).unwrap();
    let Verified::Failed { statement, message } = verified else {
        panic!("fails: {verified:?}")
    };
    assert_eq!(statement, "CALL sneaky()");
    assert!(
        message.contains("invalid transaction termination"),
        "{message}"
    );
    assert!(!exists(&db, "witness"));
    assert_eq!(dump(&db), before);
}

#[test]
fn a_statement_longer_than_the_query_timeout_is_stopped_and_rolled_back() {
    let (db, made_from) = database(SCHEMA);
    let before = dump(&db);
    for (sql, said) in [
        (
            "CREATE TABLE witness (id int); SELECT pg_sleep(60)",
            "canceling statement due to statement timeout; it ran longer than 1 second (PGDRIFT_QUERY_TIMEOUT)",
        ),
        // The draft turns the server's timeout off: ours still holds.
        (
            "CREATE TABLE witness (id int); SET statement_timeout = 0; SELECT pg_sleep(60)",
            "no answer within 1 second (PGDRIFT_QUERY_TIMEOUT)",
        ),
    ] {
        let started = Instant::now();
        let verified = verify(
            db.url(),
            &made_from,
            sql,
            &models(NEEDS_NICKNAME),
            &options(Duration::from_secs(1)),
            None,
        )
        .unwrap();
        assert!(started.elapsed() < Duration::from_secs(10), "{sql}");
        let Verified::Failed { statement, message } = verified else {
            panic!("fails: {verified:?}")
        };
        assert_eq!(statement, "SELECT pg_sleep(60)");
        assert_eq!(message, said);
        assert!(!exists(&db, "witness"), "{sql}");
    }
    let sleeping = "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE 'SELECT pg_sleep(60)%'";
    assert_eq!(db.query(sleeping), [Some("0".to_owned())], "cancelled");
    assert_eq!(dump(&db), before);
}

#[test]
fn an_added_enum_label_is_seen_by_the_models_enum_check() {
    let (db, made_from) = database(
        "CREATE TYPE mood AS ENUM ('sad');
         CREATE TABLE feeling (id bigint PRIMARY KEY, mood mood NOT NULL);",
    );
    let before = dump(&db);
    let models_text = r#"
#[derive(pgdrift::Enum)]
pub enum Mood {
    Sad,
    Ok,
}

#[derive(pgdrift::Model)]
#[pgdrift(strict)]
pub struct Feeling {
    pub id: i64,
    pub mood: Mood,
}
"#;
    let Verified::Remaining(findings) = run(&db, &made_from, "", models_text).unwrap() else {
        panic!("the label is missing before")
    };
    assert!(
        findings.iter().any(|f| f.message.contains("ok")),
        "{findings:#?}"
    );
    let verified = run(
        &db,
        &made_from,
        "ALTER TYPE mood ADD VALUE 'ok'",
        models_text,
    )
    .unwrap();
    assert!(matches!(verified, Verified::Fit), "{verified:?}");
    assert_eq!(dump(&db), before);
}

#[test]
fn an_empty_draft_finds_what_compare_db_models_finds_on_the_fixture() {
    let (db, made_from) = database(crate::FIXTURE);
    let models_text = r#"
#[derive(pgdrift::Model)]
#[pgdrift(table = "users", strict)]
pub struct User {
    pub id: i64,
    pub email: i32,
    pub nickname: Option<String>,
}
"#;
    let Verified::Remaining(findings) = run(&db, &made_from, "", models_text).unwrap() else {
        panic!("findings remain")
    };
    let expected = schema_check::compare::db_models(&made_from, &models(models_text));
    let messages = |f: &[schema_check::Finding]| -> Vec<String> {
        f.iter().map(|f| f.message.clone()).collect()
    };
    assert_eq!(messages(&findings), messages(&expected));
    assert!(findings.len() >= 2, "{:#?}", messages(&findings));
}

/// PostgreSQL adds an enum label inside a transaction block (from 12 on)
/// but refuses to use it before the transaction commits: a draft that does
/// both fails here as it would when applied in one transaction.
#[test]
fn a_label_added_and_used_in_the_same_draft_fails_as_it_would_when_applied() {
    let (db, made_from) = database(
        "CREATE TYPE mood AS ENUM ('sad');
         CREATE TABLE feeling (id bigint PRIMARY KEY, mood mood NOT NULL);",
    );
    let before = dump(&db);
    let sql = "ALTER TYPE mood ADD VALUE 'ok';
               ALTER TABLE feeling ALTER COLUMN mood SET DEFAULT 'ok'";
    let verified = run(&db, &made_from, sql, "").unwrap();
    let Verified::Failed { statement, message } = verified else {
        panic!("fails: {verified:?}")
    };
    assert_eq!(
        statement,
        "ALTER TABLE feeling ALTER COLUMN mood SET DEFAULT 'ok'"
    );
    assert!(
        message.contains("unsafe use of new value \"ok\" of enum type mood"),
        "{message}"
    );
    assert_eq!(dump(&db), before);
}

/// The schema read inside the draft's transaction is the schema every
/// introspection reads, byte for byte (PostgreSQL 18's additions too where
/// the server has them).
#[test]
fn the_read_inside_a_transaction_is_the_normal_introspection() {
    let db = testing::database();
    db.execute(crate::FIXTURE);
    if db.server_version_num() >= 180000 {
        db.execute(crate::FIXTURE_18);
    }
    let app = ["app".to_owned()];
    for schemas in [None, Some(&app[..])] {
        let within = introspect::read_in_a_rolled_back_transaction(&db.connect(), schemas);
        let normal = introspect(&db.connect(), schemas).unwrap();
        assert_eq!(
            snapshot::to_bytes(&within.unwrap().catalog),
            snapshot::to_bytes(&normal),
            "{schemas:?}"
        );
    }
}
