//! `draft` on a real PostgreSQL: for each kind of change the models can ask
//! for, the drafted up part makes the models fit (no error left), and the
//! down part gives the schema back byte for byte wherever the draft says it
//! can be undone; the rendered SQL of each kind is a reviewed snapshot.

use std::path::PathBuf;

use schema_check::catalog::Catalog;
use schema_check::cfg::Cfg;
use schema_check::discover::{discover_texts, Discovered};
use schema_check::fix::sql::{draft, Draft};
use schema_check::testing::{self, TestDatabase};
use schema_check::{compare, introspect, Check, Level};

use crate::Project;

/// The models of one source file, as `compare-db-models` reads them.
fn models(source: &str) -> Discovered {
    discover_texts(
        vec![(PathBuf::from("src/models.rs"), source.to_owned())],
        &Cfg::default(),
    )
}

fn snapshot(db: &TestDatabase) -> (Catalog, String) {
    let catalog = introspect(&db.connect(), None).unwrap();
    let json = schema_check::snapshot::to_bytes(&catalog);
    (catalog, String::from_utf8(json).unwrap())
}

/// Drafts `source`'s models against schema `a`, applies the up part and
/// checks the models find no error (but the stale `renamed_from` that a
/// rename leaves, under `strict`), then applies the down part and, when
/// the draft says everything can be undone, compares the snapshots.
fn round_trip(a: &str, source: &str) -> Draft {
    round_trip_on(&testing::database(), a, source)
}

/// [`round_trip`] on `db`, whose `public` schema is made anew first.
fn round_trip_on(db: &TestDatabase, a: &str, source: &str) -> Draft {
    db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
    db.execute(a);
    let (before, before_json) = snapshot(db);
    let found = models(source);
    assert!(found.attribute_findings.is_empty(), "{source}");
    let drafted = draft(&before, &found);
    db.connect()
        .batch_execute(&drafted.up())
        .unwrap_or_else(|e| panic!("{e}\n{}", drafted.up()));
    let (after, _) = snapshot(db);
    let errors: Vec<String> = compare::db_models(&after, &found)
        .into_iter()
        // What is left is the person's: `renamed_from` once the rename ran.
        .filter(|f| f.level == Level::Error && f.check != Check::RenameDone)
        .map(|f| f.message)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{}", drafted.up());
    assert!(
        draft(&after, &found).is_empty(),
        "a second draft is empty:\n{}",
        draft(&after, &found).up()
    );
    db.connect()
        .batch_execute(&drafted.down())
        .unwrap_or_else(|e| panic!("{e}\n{}", drafted.down()));
    if drafted.fully_invertible() {
        assert_eq!(snapshot(db).1, before_json, "{}", drafted.down());
    }
    drafted
}

const USERS: &str = "
    CREATE TYPE mood AS ENUM ('sad', 'ok');
    CREATE TABLE users (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        email text NOT NULL,
        nick text,
        age integer,
        visits integer NOT NULL,
        legacy text
    );";

#[test]
fn new_columns_of_every_source_of_type() {
    let drafted = round_trip(
        USERS,
        r#"
use pgdrift::Model;

#[derive(pgdrift::Enum)]
pub enum Mood { Sad, Ok }

#[derive(pgdrift::Enum)]
#[pgdrift(type_name = "tone")]
pub enum Tone { Calm, #[pgdrift(rename = "it's loud")] Loud }

#[derive(pgdrift::SqlType)]
pub struct Email(String);

#[derive(pgdrift::SqlType)]
#[pgdrift(sql_type = "varchar(40)")]
pub struct Handle(String);

pub struct Code(String);

impl pgdrift::SqlType for Code {
    const SQL_TYPE: &'static str = "varchar(12)";
}

#[derive(Model)]
#[pgdrift(table = "users", partial)]
pub struct User {
    pub id: i64,
    pub email: String,
    /// The name shown; "quoted" and it's fine.
    pub nickname: String,
    pub code: Option<Code>,
    pub bio: Option<String>,
    pub tags: Vec<i64>,
    pub settings: serde_json::Value,
    pub mood: Mood,
    pub tone: Option<Tone>,
    pub backup: Email,
    pub handle: Handle,
    #[pgdrift(sql_type = "numeric(10, 2)")]
    pub price: Option<Price>,
}
"#,
    );
    insta::assert_snapshot!("draft_new_columns", drafted.up());
    insta::assert_snapshot!("draft_new_columns_down", drafted.down());
}

#[test]
fn renames_type_changes_and_nullability() {
    let drafted = round_trip(
        USERS,
        r#"
use pgdrift::Model;

#[derive(pgdrift::Enum)]
pub enum Mood { Sad, Ok }

#[derive(Model)]
#[pgdrift(table = "users", strict)]
pub struct User {
    pub id: i64,
    pub email: Option<String>,
    #[pgdrift(renamed_from = "nick")]
    pub nickname: Option<i64>,
    pub age: i64,
    pub visits: i32,
    pub legacy: Option<Mood>,
}
"#,
    );
    insta::assert_snapshot!("draft_alter_columns", drafted.up());
    insta::assert_snapshot!("draft_alter_columns_down", drafted.down());
}

#[test]
fn type_changes_keep_the_values_or_fail() {
    let db = testing::database();
    let table = r"
        CREATE TABLE keys (id bigint PRIMARY KEY, token bytea, note text, code text);
        INSERT INTO keys VALUES (1, convert_to('héllo', 'UTF8'), 'C:\x41\dir', 'abcd');";
    let source = r#"
#[derive(pgdrift::Model)]
#[pgdrift(table = "keys")]
pub struct Key {
    pub id: i64,
    pub token: Option<String>,
    pub note: Option<Vec<u8>>,
    #[pgdrift(sql_type = "varchar(4)")]
    pub code: Option<String>,
}
"#;
    let values = |columns: [&str; 3]| -> Vec<Option<String>> {
        columns
            .iter()
            .flat_map(|c| db.query(&format!("SELECT {c} FROM keys")))
            .collect()
    };
    let drafted = round_trip_on(&db, table, source);
    assert_eq!(
        values(["token::text", "note", "code"]),
        [
            Some(r"\x68c3a96c6c6f".to_owned()),
            Some(r"C:\x41\dir".to_owned()),
            Some("abcd".to_owned())
        ],
        "the down part gives the values back"
    );
    // The up part alone: bytes read as UTF-8 text, text stored as its bytes
    // (backslashes and all), and a value that fits the new length kept.
    db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
    db.execute(table);
    db.connect().batch_execute(&drafted.up()).unwrap();
    assert_eq!(
        values(["token", "convert_from(note, 'UTF8')", "code"]),
        [
            Some("héllo".to_owned()),
            Some(r"C:\x41\dir".to_owned()),
            Some("abcd".to_owned())
        ],
        "{}",
        drafted.up()
    );
    // A value longer than the new length fails the draft, which cuts nothing.
    db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
    db.execute(table);
    db.execute("UPDATE keys SET code = 'abcde'");
    let err = db.connect().batch_execute(&drafted.up()).unwrap_err();
    assert!(err.to_string().contains("too long"), "{err}");
    assert_eq!(values(["code"; 3])[0], Some("abcde".to_owned()));
    insta::assert_snapshot!("draft_type_conversions", drafted.up());
}

#[test]
fn a_read_struct_keeps_its_not_null_when_a_write_struct_sends_none() {
    let db = testing::database();
    db.execute(
        "DROP SCHEMA public CASCADE; CREATE SCHEMA public;
         CREATE TABLE emoji (id serial PRIMARY KEY, shortcode varchar(128) NOT NULL);",
    );
    let (catalog, _) = snapshot(&db);
    let found = models(
        r#"
#[derive(pgdrift::Model)]
#[pgdrift(table = "emoji")]
pub struct Emoji {
    pub id: i32,
    pub shortcode: String,
}

#[derive(pgdrift::Model)]
#[pgdrift(table = "emoji", insert, update)]
pub struct EmojiForm {
    pub shortcode: Option<String>,
}
"#,
    );
    let up = draft(&catalog, &found).up();
    assert!(!up.contains("DROP NOT NULL"), "{up}");
    assert!(
        up.contains("reads it as NOT NULL, which dropping NOT NULL would break")
            && up.contains("-- ALTER TABLE emoji ALTER COLUMN shortcode SET DEFAULT <value>;"),
        "{up}"
    );
    db.connect().batch_execute(&up).unwrap();
    assert_eq!(snapshot(&db).0, catalog, "a TODO runs nothing");
}

#[test]
fn enum_labels_and_new_tables() {
    let drafted = round_trip(
        USERS,
        r#"
use pgdrift::Model;

#[derive(pgdrift::Enum)]
pub enum Mood { Happy, Sad, Meh, Ok, Great }

#[derive(pgdrift::Enum)]
#[pgdrift(type_name = "shop.state")]
pub enum State { Open, Closed }

/// An order; "placed" by a user's cart.
#[derive(Model)]
#[pgdrift(schema = "shop", table = "orders")]
pub struct Order {
    #[pgdrift(primary_key)]
    pub number: i64,
    #[pgdrift(primary_key)]
    pub line: i32,
    pub state: State,
    /// When it was placed.
    pub placed: chrono::DateTime<chrono::Utc>,
    pub note: Option<String>,
}

#[derive(Model)]
pub struct Tag {
    pub id: i32,
    pub name: String,
}

#[derive(Model)]
pub struct Log {
    pub line: String,
}
"#,
    );
    assert!(!drafted.fully_invertible());
    insta::assert_snapshot!("draft_enums_and_tables", drafted.up());
    insta::assert_snapshot!("draft_enums_and_tables_down", drafted.down());
}

#[test]
fn hostile_names_are_quoted_and_run() {
    let a = r#"
        CREATE TABLE "select" ("user" text, "Order Items" int4, "a""b" text);
        CREATE SCHEMA "Größe";"#;
    let drafted = round_trip(
        a,
        r#"
use pgdrift::Model;

#[derive(pgdrift::Enum)]
#[pgdrift(type_name = "\"Größe\".\"Kind\"\"s\"")]
pub enum Kind { #[pgdrift(rename = "it's")] Its, #[pgdrift(rename = "say \"hi\"")] Hi }

/// Table's "doc"; with -- dashes and a line
/// break, and a backslash \ too.
#[derive(Model)]
#[pgdrift(table = "select")]
pub struct Select {
    #[pgdrift(column = "user")]
    pub user: String,
    #[pgdrift(column = "Order Items")]
    pub items: i64,
    #[pgdrift(column = "a\"b", renamed_from = "zzz")]
    pub ab: Option<String>,
    /// It's the "größe";
    /// DROP TABLE x; --
    #[pgdrift(column = "größe")]
    pub size: Option<Kind>,
    #[pgdrift(column = "from")]
    pub from: Option<Vec<Kind>>,
}

/// It's "new".
#[derive(Model)]
#[pgdrift(schema = "Größe", table = "Tab le")]
pub struct Spaced {
    #[pgdrift(column = "ID")]
    pub id: i64,
    #[pgdrift(column = "where")]
    pub r#where: Kind,
}
"#,
    );
    insta::assert_snapshot!("draft_hostile_names", drafted.up());
}

#[test]
fn doc_comments_reach_the_database_as_written_whatever_standard_conforming_strings() {
    let db = testing::database();
    let source = r#"
/// A table's \ backslash, 'quote' and "double".
#[derive(pgdrift::Model)]
#[pgdrift(table = "notes")]
pub struct Note {
    #[pgdrift(primary_key)]
    pub id: i64,
    /// C:\temp\ and it's \' done\
    pub path: String,
}
"#;
    let (before, _) = snapshot(&db);
    let drafted = draft(&before, &models(source));
    for conforming in ["on", "off"] {
        db.execute("DROP TABLE IF EXISTS notes");
        // The setting is sent on its own: a batch is lexed before any of
        // it runs.
        let session = db.connect();
        session
            .batch_execute(&format!("SET standard_conforming_strings = {conforming}"))
            .unwrap();
        session
            .batch_execute(&drafted.up_statements())
            .unwrap_or_else(|e| panic!("{e}\n{}", drafted.up()));
        let comments = db.query(
            "SELECT obj_description('notes'::regclass) || '|' || col_description('notes'::regclass, 2)",
        );
        assert_eq!(
            comments,
            [Some(
                "A table's \\ backslash, 'quote' and \"double\".|C:\\temp\\ and it's \\' done\\"
                    .to_owned()
            )],
            "standard_conforming_strings = {conforming}:\n{}",
            drafted.up()
        );
    }
}

#[test]
fn what_the_draft_leaves_to_a_person() {
    let db = testing::database();
    db.execute(USERS);
    db.execute("CREATE VIEW emails AS SELECT id, email FROM users;");
    let (catalog, _) = snapshot(&db);
    let found = models(
        r#"
use pgdrift::Model;

#[derive(pgdrift::Enum)]
pub enum Mood { Sad }

#[derive(Model)]
#[pgdrift(table = "users")]
pub struct User {
    pub id: i64,
    pub email: String,
    pub nickname: Option<String>,
    pub age: Option<i32>,
    pub visits: i32,
    pub shape: geo::Polygon,
    pub legacy: Option<String>,
}

#[derive(Model)]
pub struct Note {
    pub body: String,
}

#[derive(Model)]
#[pgdrift(table = "user", partial)]
pub struct Misnamed {
    pub id: i64,
}

#[derive(Model)]
#[pgdrift(table = "users", partial, strict)]
pub struct UserKey {
    pub id: Option<i64>,
}

#[derive(Model)]
#[pgdrift(table = "emails")]
pub struct Email {
    pub id: i64,
    pub email: String,
    pub verified: bool,
}
"#,
    );
    let drafted = draft(&catalog, &found);
    insta::assert_snapshot!("draft_left_to_a_person", drafted.up());
}

#[test]
fn a_fitting_schema_drafts_nothing_and_uncovered_columns_are_never_dropped() {
    let db = testing::database();
    db.execute(USERS);
    let (catalog, _) = snapshot(&db);
    let found = models(
        r#"
use pgdrift::Model;

#[derive(Model)]
#[pgdrift(table = "users")]
pub struct User {
    pub id: i64,
    pub email: String,
    pub age: Option<i32>,
    pub visits: i32,
    #[sqlx(default)]
    pub legacy: Option<String>,
    #[sqlx(default)]
    pub not_yet: Option<String>,
}
"#,
    );
    let drafted = draft(&catalog, &found);
    assert!(drafted.is_empty(), "{}", drafted.up());
    let up = drafted.up();
    assert!(
        up.contains("-- ALTER TABLE users DROP COLUMN nick;\n"),
        "{up}"
    );
    assert!(!up.contains("legacy") && !up.contains("not_yet"), "{up}");
    assert!(!up
        .lines()
        .any(|l| l.starts_with("ALTER TABLE") && l.contains("DROP")));
    db.execute(&up);
    assert_eq!(snapshot(&db).0, catalog, "the advice runs as a no-op");
}

const NEEDS_NICKNAME: &str = r#"
use pgdrift::Model;

#[derive(Model)]
#[pgdrift(table = "users", partial)]
pub struct User {
    pub id: i64,
    pub nickname: Option<String>,
}
"#;

fn assert_exit(out: &std::process::Output, code: i32) {
    assert_eq!(out.status.code(), Some(code), "{}", crate::all_output(out));
}

#[test]
fn draft_writes_each_layout_and_runs_nothing() {
    let db = testing::database();
    db.execute(USERS);
    let (_, before) = snapshot(&db);
    let project = Project::new(&db, NEEDS_NICKNAME);
    let drafted = draft(&snapshot(&db).0, &models(NEEDS_NICKNAME));
    let layouts: &[(&[&str], Option<&str>, &[&str])] = &[
        (
            &["draft", "-m", "add_nickname"],
            None,
            &[
                "temp/20251125000000_add_nickname.sql",
                "temp/20251125000000_add_nickname.down.sql",
            ],
        ),
        (
            &["draft", "-m", "add-nick", "--format", "sqlx"],
            Some("sqlx"),
            &[
                "migrations/20251125000000_add-nick.up.sql",
                "migrations/20251125000000_add-nick.down.sql",
            ],
        ),
        (
            &["draft", "--format", "diesel"],
            Some("diesel"),
            &[
                "migrations/2025-11-25-000000_draft/up.sql",
                "migrations/2025-11-25-000000_draft/down.sql",
            ],
        ),
        (
            &["draft", "--format", "refinery", "--out", "db/./refinery"],
            Some("refinery"),
            &["db/refinery/V8__draft.sql"],
        ),
    ];
    std::fs::create_dir_all(project.path("db/refinery")).unwrap();
    std::fs::write(project.path("db/refinery/V3__a.sql"), "").unwrap();
    std::fs::write(project.path("db/refinery/U7__b.sql"), "").unwrap();
    std::fs::write(project.path("db/refinery/V10_not_refinery.sql"), "").unwrap();
    for (args, tool, files) in layouts {
        let (up, down) = match tool {
            None => (drafted.up(), drafted.down()),
            Some(tool) => (drafted.up_for_tool(tool), drafted.down_for_tool(tool)),
        };
        if tool.is_some() {
            assert!(
                !up.contains("BEGIN;") && !down.contains("COMMIT;"),
                "{up}{down}"
            );
        }
        let out = project.run(args);
        assert_exit(&out, 1);
        let printed = crate::stdout(&out);
        assert!(printed.starts_with(&up), "{printed}");
        assert!(
            printed.ends_with(&format!(
                "wrote {} for review: nothing has run against the database\n",
                files.join(" and ")
            )),
            "{printed}"
        );
        assert_eq!(std::fs::read_to_string(project.path(files[0])).unwrap(), up);
        if let Some(path) = files.get(1) {
            assert_eq!(std::fs::read_to_string(project.path(path)).unwrap(), down);
        } else {
            assert!(
                printed.contains("refinery has no down migrations"),
                "{printed}"
            );
            assert!(printed.contains(&down), "{printed}");
        }
    }
    let again = project.run(&["draft", "-m", "add_nickname"]);
    assert_exit(&again, 2);
    assert!(
        crate::stderr(&again).contains("exists already"),
        "{}",
        crate::stderr(&again)
    );
    assert_eq!(snapshot(&db).1, before, "draft ran something");
}

#[test]
fn draft_takes_its_directory_from_pgdrift_toml_and_refuses_escapes() {
    let db = testing::database();
    db.execute(USERS);
    let project = Project::new(&db, NEEDS_NICKNAME);
    std::fs::write(project.path("pgdrift.toml"), "drafts = \"db/drafts\"\n").unwrap();
    assert_exit(&project.run(&["draft"]), 1);
    assert!(project.path("db/drafts/20251125000000_draft.sql").exists());
    assert_exit(&project.run(&["draft", "--out", "elsewhere"]), 1);
    assert!(project
        .path("elsewhere/20251125000000_draft.down.sql")
        .exists());
    for (args, said) in [
        (
            &["draft", "-m", "add nickname"][..],
            "-m \"add nickname\" is not a draft name: use letters, digits, `_` and `-`",
        ),
        (
            &["draft", "-m", "../x"][..],
            "-m \"../x\" is not a draft name",
        ),
        (
            &["draft", "--out", "../up"][..],
            "--out ../up is not a directory inside the project root",
        ),
        (
            &["draft", "--out", "/tmp"][..],
            "--out /tmp is not a directory inside the project root",
        ),
    ] {
        let out = project.run(args);
        assert_exit(&out, 2);
        let stderr = crate::stderr(&out);
        assert!(stderr.starts_with(&format!("error: {said}")), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
    std::fs::write(project.path("pgdrift.toml"), "drafts = \"../out\"\n").unwrap();
    let out = project.run(&["draft"]);
    assert_exit(&out, 2);
    assert!(crate::stderr(&out).contains("drafts ../out is not a directory inside"));
    assert!(!project.path("../out").exists());
}

#[test]
fn draft_with_nothing_to_do_and_offline() {
    let db = testing::database();
    db.execute(USERS);
    let fitting =
        NEEDS_NICKNAME.replace("pub nickname: Option<String>,", "pub nick: Option<String>,");
    let project = Project::new(&db, &fitting);
    let out = project.run(&["draft"]);
    assert_exit(&out, 0);
    assert_eq!(crate::stdout(&out), "the models need no database change\n");
    assert!(!project.path("temp").exists());
    assert_exit(&project.run(&["snapshot"]), 0);
    std::fs::write(project.path("src/models.rs"), NEEDS_NICKNAME).unwrap();
    let offline = crate::schema_check(
        project.dir.path(),
        &["--offline", "draft", "-m", "offline"],
        &[("SOURCE_DATE_EPOCH", "1764028800")],
    );
    assert_exit(&offline, 1);
    assert!(project.path("temp/20251125000000_offline.sql").exists());
}

#[test]
fn draft_verify_tries_the_draft_on_the_test_database_only_and_leaves_it_as_it_was() {
    let db = testing::database();
    db.execute(USERS);
    let test_db = testing::database();
    test_db.execute(USERS);
    let (_, test_before) = snapshot(&test_db);
    let project = Project::new(&db, NEEDS_NICKNAME);
    let with_test =
        |url: &str, args: &[&str]| project.run_with(args, &[("TEST_DATABASE_URL", url)]);
    let test_url = test_db.url().expose();

    // The models fit once the draft ran; the test database keeps its schema.
    let fit = with_test(test_url, &["draft", "-m", "fit", "--verify"]);
    assert_exit(&fit, 1);
    let printed = crate::stdout(&fit);
    assert!(
        printed
            .ends_with("in a transaction that was rolled back: the models fit after this draft\n"),
        "{printed}"
    );
    assert!(project.path("temp/20251125000000_fit.sql").exists());
    assert_eq!(snapshot(&test_db).1, test_before);

    // A draft that cannot run says where it failed: the test database has
    // a row that the NOT NULL step refuses.
    test_db.execute("INSERT INTO users (email, visits) VALUES ('a@b', 1)");
    let needs_not_null = NEEDS_NICKNAME.replace("Option<String>", "String");
    std::fs::write(project.path("src/models.rs"), &needs_not_null).unwrap();
    let failed = with_test(test_url, &["draft", "-m", "failed", "--verify"]);
    assert_exit(&failed, 1);
    let printed = crate::stdout(&failed);
    assert!(printed.contains("the draft failed at"), "{printed}");
    assert!(printed.contains("SET NOT NULL"), "{printed}");
    assert_eq!(snapshot(&test_db).1, test_before);
    assert_eq!(
        test_db.query("SELECT count(*) FROM users"),
        [Some("1".to_owned())]
    );

    // Refusals leave no file behind (exit 2, one sentence).
    std::fs::write(project.path("src/models.rs"), NEEDS_NICKNAME).unwrap();
    let refusals = [
        (None, "set TEST_DATABASE_URL"),
        (
            Some(project.url.clone()),
            "names the database DATABASE_URL names",
        ),
        (
            Some(db.url_as("someone", "s3cret").expose().to_owned()),
            "names the database DATABASE_URL names",
        ),
        // Another spelling of the same server: the databases are asked who
        // they are.
        (
            Some(project.url.replace("127.0.0.1", "localhost")),
            "reaches the database the draft was read from",
        ),
    ];
    for (url, says) in refusals {
        let out = match &url {
            Some(url) => with_test(url, &["draft", "-m", "refused", "--verify"]),
            None => project.run(&["draft", "-m", "refused", "--verify"]),
        };
        assert_exit(&out, 2);
        let all = crate::all_output(&out);
        assert!(all.contains(says), "{all}");
        assert!(!all.contains("s3cret"), "{all}");
        assert!(!project.path("temp/20251125000000_refused.sql").exists());
    }
    test_db.execute("ALTER TABLE users ADD COLUMN extra int");
    let other = with_test(test_url, &["draft", "-m", "refused", "--verify"]);
    assert_exit(&other, 2);
    assert!(
        crate::all_output(&other).contains("extra"),
        "{}",
        crate::all_output(&other)
    );
    assert!(!project.path("temp/20251125000000_refused.sql").exists());
}

mod generated {
    //! Round trips of generated pairs: a table and an enum type (schema
    //! A), and models that keep, retype, rename, leave out and add
    //! columns, add labels and a table (schema B).

    use proptest::prelude::*;

    /// A column of table `t`: its type and whether it is nullable.
    type ColumnSpec = (&'static str, bool);

    /// What the model does with a column: keep it, rename it (both with a
    /// Rust type and `Option` or not), or leave it out.
    #[derive(Debug, Clone)]
    enum Use {
        Keep(&'static str, bool),
        Rename(&'static str, bool),
        Omit,
    }

    fn rust_type() -> impl Strategy<Value = &'static str> {
        proptest::sample::select(vec!["i32", "i64", "String", "Kind"])
    }

    fn column_use() -> impl Strategy<Value = Use> {
        prop_oneof![
            (rust_type(), any::<bool>()).prop_map(|(t, o)| Use::Keep(t, o)),
            (rust_type(), any::<bool>()).prop_map(|(t, o)| Use::Rename(t, o)),
            Just(Use::Omit),
        ]
    }

    fn column() -> impl Strategy<Value = ColumnSpec> {
        (
            proptest::sample::select(vec!["int4", "int8", "text"]),
            any::<bool>(),
        )
    }

    /// Schema A's SQL: table `t` with `columns`, enum `e` with `labels`.
    fn schema_a(columns: &[ColumnSpec], labels: &[&str]) -> String {
        let columns: Vec<String> = columns
            .iter()
            .enumerate()
            .map(|(i, (ty, nullable))| {
                format!("c{i} {ty}{}", if *nullable { "" } else { " NOT NULL" })
            })
            .collect();
        let labels: Vec<String> = labels.iter().map(|l| format!("'{l}'")).collect();
        format!(
            "CREATE TYPE e AS ENUM ({}); CREATE TABLE t ({});",
            labels.join(", "),
            columns.join(", ")
        )
    }

    /// A field's type: `Kind` only over a text column (PostgreSQL casts
    /// text, not numbers, to an enum), `Option` when `optional`.
    fn field_type(ty: &str, column: Option<&str>, optional: bool) -> String {
        let ty = match (ty, column) {
            ("Kind", Some(column)) if column != "text" => "String",
            (ty, _) => ty,
        };
        if optional {
            format!("Option<{ty}>")
        } else {
            ty.to_owned()
        }
    }

    fn models(
        columns: &[ColumnSpec],
        uses: &[Use],
        added: &[(&'static str, bool)],
        variants: &[&str],
        strict: bool,
        new_table: bool,
    ) -> String {
        let mut out = String::from("use pgdrift::Model;\n#[derive(pgdrift::Enum)]\n#[pgdrift(type_name = \"e\", rename_all = \"lowercase\")]\npub enum Kind {\n");
        for variant in variants {
            out.push_str(&format!("    {},\n", variant.to_uppercase()));
        }
        let flags = if strict { "strict, partial" } else { "partial" };
        out.push_str(&format!(
            "}}\n#[derive(Model)]\n#[pgdrift(table = \"t\", {flags})]\npub struct T {{\n"
        ));
        for (i, (column, use_)) in columns.iter().zip(uses).enumerate() {
            match use_ {
                Use::Keep(ty, optional) => out.push_str(&format!(
                    "    pub c{i}: {},\n",
                    field_type(ty, Some(column.0), *optional)
                )),
                Use::Rename(ty, optional) => out.push_str(&format!(
                    "    #[pgdrift(renamed_from = \"c{i}\")]\n    pub r{i}: {},\n",
                    field_type(ty, Some(column.0), *optional)
                )),
                Use::Omit => {}
            }
        }
        for (j, (ty, optional)) in added.iter().enumerate() {
            out.push_str(&format!(
                "    /// Added {j}.\n    pub n{j}: {},\n",
                field_type(ty, None, *optional)
            ));
        }
        out.push_str("}\n");
        if new_table {
            out.push_str("/// A new table.\n#[derive(Model)]\npub struct Fresh {\n    #[pgdrift(primary_key)]\n    pub key: i64,\n    pub kind: Option<Kind>,\n}\n");
        }
        out
    }

    fn case() -> impl Strategy<Value = (String, String)> {
        (
            proptest::collection::vec((column(), column_use()), 1..4),
            proptest::collection::vec((rust_type(), any::<bool>()), 0..3),
            1..=3usize,
            proptest::sample::subsequence(vec!["x", "y"], 0..=2),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_flat_map(|(columns, added, kept, extra, strict, new_table)| {
                let mut variants: Vec<&str> = ["a", "b", "c"][..kept].to_vec();
                variants.extend(extra);
                (
                    Just((columns, added, kept, strict, new_table)),
                    Just(variants).prop_shuffle(),
                )
            })
            .prop_map(|((columns, added, kept, strict, new_table), variants)| {
                let (specs, uses): (Vec<ColumnSpec>, Vec<Use>) = columns.into_iter().unzip();
                let a = schema_a(&specs, &["a", "b", "c"][..kept]);
                let source = models(&specs, &uses, &added, &variants, strict, new_table);
                (a, source)
            })
    }

    /// Every generated pair, on one database: the up part makes the
    /// models fit, the down part gives A back byte for byte where the
    /// draft says it can.
    #[test]
    fn drafted_changes_round_trip() {
        let db = schema_check::testing::database();
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
            cases: 16,
            ..ProptestConfig::default()
        });
        runner
            .run(&case(), |(a, source)| {
                super::round_trip_on(&db, &a, &source);
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn a_column_two_structs_ask_for_takes_the_read_structs_option() {
    let db = testing::database();
    db.execute(USERS);
    let (catalog, _) = snapshot(&db);
    let found = models(
        r#"
use pgdrift::Model;

#[derive(Model)]
#[pgdrift(table = "users", insert)]
pub struct NewUser {
    pub email: String,
    pub visits: i32,
    pub nickname: Option<String>,
}

#[derive(Model)]
#[pgdrift(table = "users", partial)]
pub struct User {
    pub id: i64,
    pub nickname: String,
}
"#,
    );
    let up = draft(&catalog, &found).up();
    assert!(
        up.contains("-- users.nickname (struct User, field nickname in src/models.rs): the column does not exist\n"),
        "{up}"
    );
    assert!(
        up.contains("ALTER TABLE users ALTER COLUMN nickname SET NOT NULL;\n"),
        "{up}"
    );
}

#[test]
fn a_partitioned_table_takes_the_same_steps() {
    round_trip(
        "CREATE TABLE p (id int NOT NULL, v int) PARTITION BY RANGE (id);
         CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);",
        r#"
use pgdrift::Model;

#[derive(Model)]
#[pgdrift(table = "p")]
pub struct P {
    pub id: i32,
    pub v: i64,
    pub w: String,
}
"#,
    );
}
