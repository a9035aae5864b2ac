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
use schema_check::{compare, introspect, Level};

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
/// checks the models find no error, then applies the down part and, when
/// the draft says everything can be undone, compares the snapshots.
fn round_trip(a: &str, source: &str) -> Draft {
    let db = testing::database();
    db.execute(a);
    let (before, before_json) = snapshot(&db);
    let found = models(source);
    assert!(found.attribute_findings.is_empty(), "{source}");
    let drafted = draft(&before, &found);
    db.connect()
        .batch_execute(&drafted.up())
        .unwrap_or_else(|e| panic!("{e}\n{}", drafted.up()));
    let (after, _) = snapshot(&db);
    let errors: Vec<String> = compare::db_models(&after, &found)
        .into_iter()
        .filter(|f| f.level == Level::Error)
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
        assert_eq!(snapshot(&db).1, before_json, "{}", drafted.down());
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

#[derive(Model)]
#[pgdrift(table = "users", partial)]
pub struct User {
    pub id: i64,
    pub email: String,
    /// The name shown; "quoted" and it's fine.
    pub nickname: String,
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
fn what_the_draft_leaves_to_a_person() {
    let db = testing::database();
    db.execute(USERS);
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
    assert!(
        up.contains("-- ALTER TABLE users DROP COLUMN legacy;\n"),
        "{up}"
    );
    assert!(!up
        .lines()
        .any(|l| l.starts_with("ALTER TABLE") && l.contains("DROP")));
    db.execute(&up);
    assert_eq!(snapshot(&db).0, catalog, "the advice runs as a no-op");
}
