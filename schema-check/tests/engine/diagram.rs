//! The entity-relationship diagram in `database_schema.md`: Mermaid's own
//! parser accepts it whatever the names, large databases get one per
//! schema, `diagram = false` leaves it out, and `validate` covers it.

use std::path::Path;
use std::process::Command;

use schema_check::testing::{self, TestDatabase};

use crate::{schema_check, stdout, FIXTURE};

/// Names that Mermaid's grammar would choke on if written as they are, and
/// each kind of cardinality.
const AWKWARD: &str = r#"
    CREATE SCHEMA "my schema";
    CREATE TABLE "my schema"."Quote ""Table"" #1" (
        "ключ" integer PRIMARY KEY,
        "a `tick`" text UNIQUE
    );
    CREATE TABLE "my schema"."erDiagram" (
        id bigint PRIMARY KEY,
        parent integer REFERENCES "my schema"."Quote ""Table"" #1",
        required integer NOT NULL REFERENCES "my schema"."Quote ""Table"" #1"
    );
    CREATE TABLE public."direction TB" (
        id integer PRIMARY KEY REFERENCES "my schema"."Quote ""Table"" #1",
        "end" bigint NOT NULL,
        CONSTRAINT "fk ""quoted"" <b>" FOREIGN KEY ("end") REFERENCES "my schema"."erDiagram" (id)
    );
    CREATE VIEW public.v AS SELECT 1 AS one;
    CREATE TABLE "100% \ ok" (id int PRIMARY KEY);"#;

fn docs_of(db: &TestDatabase, config: Option<&str>) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    if let Some(config) = config {
        std::fs::write(dir.path().join("pgdrift.toml"), config).unwrap();
    }
    let out = schema_check(
        dir.path(),
        &["generate-docs"],
        &[("DATABASE_URL", db.url().expose())],
    );
    assert_eq!(out.status.code(), Some(0), "{}", crate::all_output(&out));
    let docs = std::fs::read_to_string(dir.path().join("docs/database_schema.md")).unwrap();
    (dir, docs)
}

/// The diagram sections (markers included) of a docs file.
fn diagrams(docs: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for line in docs.lines() {
        if line.starts_with("<!-- pgdrift:begin diagram") {
            inside = true;
        }
        if inside {
            out.push_str(line);
            out.push('\n');
        }
        if line.starts_with("<!-- pgdrift:end diagram") {
            inside = false;
        }
    }
    out
}

/// Runs Mermaid's parser (installed by `.ci/test-assets`) on every
/// ```` ```mermaid ```` block of `markdown`; its verdict lines.
fn mermaid_parse(markdown: &str) -> (bool, String) {
    crate::test_asset("node/node_modules/mermaid/package.json");
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let node_dir = workspace.join("target/test-assets/node");
    let script = node_dir.join("parse-mermaid.mjs");
    std::fs::write(&script, include_str!("js/parse-mermaid.mjs")).unwrap();
    let input = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(input.path(), markdown).unwrap();
    let out = Command::new("node")
        .arg(&script)
        .arg(input.path())
        .output()
        .expect("node runs (Mermaid's parser needs it)");
    (
        out.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

#[test]
fn mermaid_parses_the_diagram_of_every_name() {
    let db = testing::database();
    db.execute(FIXTURE);
    db.execute(AWKWARD);
    let (_dir, docs) = docs_of(&db, None);
    assert!(
        docs.contains("\n<!-- pgdrift:begin diagram -->\n## Entity-relationship diagram\n"),
        "{docs}"
    );
    let diagram = diagrams(&docs);
    insta::assert_snapshot!("diagram_fixture_and_awkward_names", diagram);
    let (ok, verdict) = mermaid_parse(&diagram);
    assert!(ok, "Mermaid rejects the diagram:\n{verdict}\n{diagram}");
    assert_eq!(verdict, "ok er\n");

    // The parser does reject a broken diagram: the check can fail.
    let broken = diagram.replace("}o--||", "}o-||");
    let (ok, verdict) = mermaid_parse(&broken);
    assert!(!ok, "{verdict}");
}

#[test]
fn a_large_database_gets_a_diagram_per_schema() {
    let db = testing::database();
    let mut sql = String::from("CREATE SCHEMA app; CREATE TABLE app.root (id int PRIMARY KEY);");
    for i in 0..41 {
        sql.push_str(&format!(
            "CREATE TABLE t{i} (id int PRIMARY KEY, root_id int REFERENCES app.root (id));"
        ));
    }
    db.execute(&sql);
    let (_dir, docs) = docs_of(&db, None);
    let diagram = diagrams(&docs);
    assert!(!docs.contains("<!-- pgdrift:begin diagram -->"));
    assert!(
        diagram.starts_with(
            "<!-- pgdrift:begin diagram:app -->\n## Entity-relationship diagram of schema `app`\n"
        ),
        "{diagram}"
    );
    assert!(diagram.contains("<!-- pgdrift:begin diagram:public -->"));
    assert!(
        diagram.contains("    t_app_root[\"app.root\"]\n    t_public_t0 }o--o| t_app_root : \"t0_root_id_fkey\"\n"),
        "{diagram}"
    );
    let (ok, verdict) = mermaid_parse(&diagram);
    assert!(ok, "{verdict}");
    assert_eq!(verdict, "ok er\nok er\n");
}

#[test]
fn diagram_false_leaves_it_out_and_validate_covers_it() {
    let db = testing::database();
    db.execute(AWKWARD);
    let (_dir, docs) = docs_of(&db, Some("diagram = false\n"));
    assert!(!docs.contains("pgdrift:begin diagram"), "{docs}");
    assert!(!docs.contains("```mermaid"));

    let db = testing::database();
    db.execute(
        "CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a);",
    );
    let (dir, docs) = docs_of(&db, None);
    let vars = [("DATABASE_URL", db.url().expose())];
    let clean = schema_check(dir.path(), &["validate"], &vars);
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    std::fs::write(
        dir.path().join("docs/database_schema.md"),
        docs.replace(" }o--o| ", " }o--|| "),
    )
    .unwrap();
    let stale = schema_check(dir.path(), &["validate"], &vars);
    assert_eq!(stale.status.code(), Some(1));
    assert!(stdout(&stale).contains("diagram"), "{}", stdout(&stale));
}
