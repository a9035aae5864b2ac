//! `#[derive(Model)]` in a real crate, built by cargo against a real
//! PostgreSQL: live and offline give the same verdicts, a schema change
//! fails the next build, an unreachable database is a redacted error.

use std::path::PathBuf;

use schema_check::{introspect, snapshot, testing};

use crate::krate::{errors, stderr, TestCrate};

pub const SCHEMA: &str = "
    CREATE TABLE users (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        email text NOT NULL,
        age integer,
        created_at timestamp with time zone NOT NULL DEFAULT now()
    );
    CREATE TABLE posts (id bigint PRIMARY KEY, title text NOT NULL);
    CREATE TABLE tags (id integer PRIMARY KEY, label text NOT NULL);";

pub const MODELS: &str = r#"
use pgdrift::Model;

#[derive(Model)]
#[pgdrift(table = "users", strict)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub age: Option<i32>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Model)]
#[pgdrift(table = "posts", strict)]
pub struct Post {
    pub id: i64,
    pub title: String,
}

#[derive(Model)]
#[pgdrift(table = "tags", strict)]
pub struct Tag {
    pub id: i32,
    pub label: String,
}

fn main() {
    for doc in [User::SCHEMA_DOC, Post::SCHEMA_DOC, Tag::SCHEMA_DOC] {
        print!("{doc}\u{1e}");
    }
}
"#;

#[test]
fn live_and_offline_give_the_same_verdicts_and_a_schema_change_fails_the_build() {
    let db = testing::database();
    db.execute(SCHEMA);
    let krate = TestCrate::live("pgdrift_live_models", MODELS);
    let live = [("DATABASE_URL", db.url().expose())];
    let loads = krate.path().join("loads.log");
    let with_log = [live[0], ("PGDRIFT_LOG_LOADS", loads.to_str().unwrap())];

    let clean = krate.build(&with_log);
    assert!(clean.status.success(), "{}", stderr(&clean));
    let log = std::fs::read_to_string(&loads).unwrap();
    assert_eq!(
        log.lines().count(),
        1,
        "one introspection for three models: {log}"
    );

    let snapshot_path: PathBuf = krate.path().join(".pgdrift/schema.json");
    let write_snapshot =
        || snapshot::save(&snapshot_path, &introspect(&db.connect(), None).unwrap()).unwrap();
    write_snapshot();
    let offline = krate.build(&[("PGDRIFT_OFFLINE", "true")]);
    assert!(offline.status.success(), "{}", stderr(&offline));

    db.execute(
        "ALTER TABLE users ALTER COLUMN age TYPE bigint;
         ALTER TABLE posts ADD COLUMN body text NOT NULL DEFAULT '';",
    );
    let drifted = krate.build(&live);
    assert!(!drifted.status.success());
    assert_eq!(
        errors(&drifted),
        [
            "error: column \"users.age\" is `bigint`, which `i32` does not fit",
            "error: table \"posts\" has a column that no field maps: \"body\" (text, not null)",
        ],
        "{}",
        stderr(&drifted)
    );
    assert!(
        stderr(&drifted).contains("--> src/main.rs:9:21"),
        "spanned on the field's type"
    );

    let stale_snapshot = krate.build(&[("PGDRIFT_OFFLINE", "true")]);
    assert!(
        stale_snapshot.status.success(),
        "the old snapshot still agrees with the models"
    );
    write_snapshot();
    let offline_drifted = krate.build(&[("PGDRIFT_OFFLINE", "true")]);
    assert_eq!(
        errors(&offline_drifted),
        errors(&drifted),
        "offline verdicts equal live ones"
    );
}

#[test]
fn schema_doc_is_byte_identical_to_the_generated_docs_section() {
    let db = testing::database();
    db.execute(SCHEMA);
    db.execute("COMMENT ON TABLE users IS 'People | and their | pipes'; COMMENT ON COLUMN users.age IS 'Years | approx';");
    let krate = TestCrate::live("pgdrift_schema_doc", MODELS);
    let built = krate.build(&[("DATABASE_URL", db.url().expose())]);
    assert!(built.status.success(), "{}", stderr(&built));
    let printed = krate.run_binary();
    let docs: Vec<String> = printed
        .split('\u{1e}')
        .filter(|d| !d.is_empty())
        .map(str::to_owned)
        .collect();
    let catalog = introspect(&db.connect(), None).unwrap();
    let found =
        schema_check::discover::discover(krate.path(), &["src/**/*.rs".to_owned()]).unwrap();
    let models = schema_check::docs::models_by_table(found.models.iter().map(|m| &m.model));
    let sections = schema_check::docs::sections(&catalog, &models);
    let body = |key: &str| sections.iter().find(|s| s.key == key).unwrap().body.clone();
    assert_eq!(
        docs,
        [
            body("public.users"),
            body("public.posts"),
            body("public.tags")
        ]
    );
    assert!(
        docs[0].contains("| `User.age` | Years \\| approx |"),
        "{}",
        docs[0]
    );
}

#[test]
fn an_unreachable_database_is_a_redacted_error_suggesting_offline_mode() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let krate = TestCrate::live("pgdrift_unreachable", MODELS);
    let url = format!("postgres://app:Sup3rSecret@127.0.0.1:{port}/app?sslmode=disable");
    let loads = krate.path().join("loads.log");
    let out = krate.build(&[
        ("DATABASE_URL", &url),
        ("PGDRIFT_LOG_LOADS", loads.to_str().unwrap()),
    ]);
    assert!(!out.status.success());
    let text = stderr(&out);
    assert!(!text.contains("Sup3rSecret"), "{text}");
    let expected = format!(
        "error: cannot connect to postgres://app:***@127.0.0.1:{port}/app?sslmode=disable: error connecting to server: Connection refused (os error 111); to check against the committed snapshot instead, set PGDRIFT_OFFLINE=true"
    );
    assert_eq!(
        errors(&out),
        [expected.as_str(); 3],
        "one error per model: {text}"
    );
    let attempts = std::fs::read_to_string(&loads).unwrap();
    assert_eq!(
        attempts.lines().count(),
        1,
        "one connection attempt per build: {attempts}"
    );
    assert!(!attempts.contains("Sup3rSecret"));

    let missing = krate.build(&[("PGDRIFT_OFFLINE", "true")]);
    let snapshot = krate.path().join(".pgdrift/schema.json");
    assert_eq!(
        errors(&missing)[0],
        format!(
            "error: offline mode (PGDRIFT_OFFLINE=true) needs the snapshot {}, which does not exist: run `schema-check snapshot` against the database to create it",
            snapshot.display()
        )
    );
}

#[test]
fn a_changed_snapshot_alone_rebuilds_the_crate() {
    let db = testing::database();
    db.execute(SCHEMA);
    let krate = TestCrate::new("pgdrift_snapshot_tracking", MODELS, None);
    let snapshot_path = krate.path().join(".pgdrift/schema.json");
    snapshot::save(&snapshot_path, &introspect(&db.connect(), None).unwrap()).unwrap();
    let offline = [("PGDRIFT_OFFLINE", "true")];
    let secret = ("DATABASE_URL", "postgres://app:Sup3rSecret@127.0.0.1:9/app");
    let first = krate.cargo(&["build", "--quiet"], &[offline[0], secret]);
    assert!(first.status.success(), "{}", stderr(&first));
    // The compiler's dependency file lists the variables the derive read:
    // each that chooses the schema, so changing one rebuilds the crate,
    // except the URL, whose password must not land in the target directory.
    let dep_info = rustc_dep_info("pgdrift_snapshot_tracking");
    for var in schema_check::schema_source::CHOOSING_VARS {
        let recorded = dep_info.contains(&format!("# env-dep:{var}"));
        assert_eq!(recorded, var != "DATABASE_URL", "{var}: {dep_info}");
    }
    assert!(
        dep_info.contains("# env-dep:PGDRIFT_OFFLINE=true"),
        "{dep_info}"
    );
    assert!(!dep_info.contains("Sup3rSecret"), "{dep_info}");

    db.execute("ALTER TABLE posts ADD COLUMN body text");
    snapshot::save(&snapshot_path, &introspect(&db.connect(), None).unwrap()).unwrap();
    let rebuilt = krate.cargo(&["build", "--quiet"], &offline);
    assert_eq!(
        errors(&rebuilt),
        ["error: table \"posts\" has a column that no field maps: \"body\" (text, nullable)"],
        "no source changed: the snapshot alone must trigger the rebuild"
    );
}

/// The dependency file rustc wrote last for the crate `name`: its inputs,
/// and the variables it read (`# env-dep:NAME=value`). Earlier test runs
/// leave theirs beside it (each run's crate is in a new directory).
fn rustc_dep_info(name: &str) -> String {
    let deps = crate::krate::target_dir().join("debug/deps");
    let prefix = format!("{name}-");
    let newest = std::fs::read_dir(&deps)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            let file = path.file_name().unwrap().to_string_lossy();
            file.starts_with(&prefix) && file.ends_with(".d")
        })
        .max_by_key(|path| std::fs::metadata(path).unwrap().modified().unwrap())
        .unwrap_or_else(|| panic!("no dependency file for {name} in {}", deps.display()));
    std::fs::read_to_string(newest).unwrap()
}

#[test]
fn without_a_build_script_or_live_the_derive_says_which_line_to_add() {
    let krate = TestCrate::new("pgdrift_lean", MODELS, None);
    let url = "postgres://app:Sup3rSecret@127.0.0.1:9/app";
    let out = krate.build(&[("DATABASE_URL", url)]);
    assert!(!out.status.success());
    let text = stderr(&out);
    assert!(!text.contains("Sup3rSecret"), "{text}");
    let expected = format!("error: {}", schema_check::schema_source::NO_LIVE_DERIVE);
    assert_eq!(errors(&out), [expected.as_str(); 3], "{text}");
}
