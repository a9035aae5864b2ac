//! The workflow commands on a fixture project against a real PostgreSQL:
//! `compare-db-models`, `generate-docs`, `validate`, `compare-models-doc`,
//! `report` and `changelog`.

use schema_check::testing::{self, TestDatabase};

use crate::{all_output, stderr, stdout, Project};

const SCHEMA: &str = "
    CREATE TYPE mood AS ENUM ('sad', 'ok');
    CREATE TABLE users (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        email text NOT NULL UNIQUE,
        nickname text,
        age integer
    );
    COMMENT ON TABLE users IS 'People';
    CREATE TABLE posts (
        id bigint PRIMARY KEY,
        author_id bigint NOT NULL REFERENCES users (id),
        title text NOT NULL
    );";

const MODELS: &str = r#"use pgdrift::Model;

/// A person.
#[derive(Model)]
#[pgdrift(table = "users")]
pub struct User {
    pub id: i64,
    /// Where we write to them.
    pub email: String,
    pub nickname: Option<String>,
    pub age: Option<i32>,
}

#[derive(pgdrift::Model)]
#[pgdrift(table = "posts")]
pub struct Post {
    pub id: i64,
    pub author_id: i64,
    pub title: String,
}
"#;

fn fixture() -> (TestDatabase, Project) {
    let db = testing::database();
    db.execute(SCHEMA);
    let project = Project::new(&db, MODELS);
    (db, project)
}

#[test]
fn compare_db_models_checks_enum_labels_as_the_build_does() {
    let models = format!(
        "{MODELS}
#[derive(pgdrift::Enum)]
pub enum Mood {{
    Sad,
    Ok,
}}

#[derive(pgdrift::Model)]
#[pgdrift(strict)]
pub struct Feeling {{
    pub id: i64,
    pub mood: Mood,
}}
"
    );
    let (db, project) = fixture();
    db.execute("CREATE TABLE feeling (id bigint PRIMARY KEY, mood mood NOT NULL)");
    std::fs::write(project.root().join("src/models.rs"), &models).unwrap();
    let clean = project.run(&["compare-db-models"]);
    assert_eq!(clean.status.code(), Some(0), "{}", all_output(&clean));

    db.execute("ALTER TYPE mood ADD VALUE 'happy'");
    std::fs::write(
        project.root().join("src/models.rs"),
        models.replace("    Ok,\n", "    Fine,\n"),
    )
    .unwrap();
    let drift = project.run(&["compare-db-models"]);
    assert_eq!(drift.status.code(), Some(1), "{}", all_output(&drift));
    assert_eq!(
        stdout(&drift),
        r#"error[enum-labels]: enum `Mood` does not match enum type "mood": no variant for labels "ok", "happy"; variant `Fine` ("fine") is not a label
  --> src/models.rs:23:10
   |
23 | pub enum Mood {
   |          ^^^^
   |
   = help: the labels of "mood" are "sad", "ok", "happy"; rename a variant with `#[pgdrift(rename = "…")]`

1 error, 0 warnings in 3 models (1 files)
"#
    );
}

#[test]
fn compare_db_models_notes_fields_out_of_reach_under_strict_or_verbose() {
    let models = r#"use pgdrift::Model;

#[derive(Model)]
#[pgdrift(table = "users", partial, strict)]
pub struct StrictUser<I = i64> {
    pub id: I,
    pub email: String,
}

#[derive(Model)]
#[pgdrift(table = "posts", partial)]
pub struct Post<'a, T> {
    pub id: &'a i64,
    pub title: T,
}
"#;
    let (_db, project) = fixture();
    std::fs::write(project.root().join("src/models.rs"), models).unwrap();
    let out = project.run(&["compare-db-models"]);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    let text = stdout(&out);
    assert!(
        text.starts_with("note[unchecked-type]: pgdrift cannot check `I` against column \"users.id\" (`bigint`): it names a parameter of the generic struct, which no compile-time check can see\n --> src/models.rs:6:13\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "help: declare the column type to have it checked: `#[pgdrift(sql_type = \"bigint\")]`"
        ),
        "{text}"
    );
    assert!(!text.contains("`T`"), "{text}");
    assert!(
        text.ends_with("0 errors, 0 warnings, 1 note in 2 models (1 files)\n"),
        "{text}"
    );

    let verbose = project.run(&["compare-db-models", "--verbose"]);
    assert_eq!(verbose.status.code(), Some(0), "{}", all_output(&verbose));
    let text = stdout(&verbose);
    assert!(
        text.contains("note[unchecked-type]: pgdrift cannot check `T` against column \"posts.title\" (`text`)"),
        "{text}"
    );
    assert!(
        text.ends_with("0 errors, 0 warnings, 2 notes in 2 models (1 files)\n"),
        "{text}"
    );
}

#[test]
fn compare_db_models_takes_a_conversion_type_with_sql_type_as_checked() {
    let models = r#"use pgdrift::Model;

pub struct UserId(pub i64);

#[derive(pgdrift::SqlType)]
pub struct Raw(pub i64);

#[derive(Model)]
#[pgdrift(table = "users", partial, strict)]
pub struct User {
    #[sqlx(try_from = "Raw")]
    pub id: UserId,
}
"#;
    let (_db, project) = fixture();
    std::fs::write(project.root().join("src/models.rs"), models).unwrap();
    let out = project.run(&["compare-db-models"]);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    assert_eq!(stdout(&out), "0 errors, 0 warnings in 1 models (1 files)\n");
}

#[test]
fn compare_db_models_is_clean_then_reports_each_drift_at_its_line() {
    let (db, project) = fixture();
    let clean = project.run(&["compare-db-models"]);
    assert_eq!(clean.status.code(), Some(0), "{}", all_output(&clean));
    assert_eq!(
        stdout(&clean),
        "0 errors, 0 warnings in 2 models (1 files)\n"
    );

    std::fs::write(
        project.root().join("src/models.rs"),
        MODELS
            .replace("pub age: Option<i32>,", "pub age: Option<i64>,")
            .replace("pub nickname: Option<String>,", "pub nickname: String,")
            .replace(
                "pub email: String,",
                "pub email: Option<String>,\n    pub emial: String,",
            )
            .replace(
                "#[pgdrift(table = \"posts\")]",
                "#[pgdrift(table = \"post\")]",
            ),
    )
    .unwrap();
    db.execute("ALTER TABLE users ADD COLUMN bio text");
    let drift = project.run(&["compare-db-models"]);
    assert_eq!(drift.status.code(), Some(1), "{}", all_output(&drift));
    insta::assert_snapshot!("compare_db_models_text", stdout(&drift));
    let colored = project.run(&["compare-db-models", "--color", "always"]);
    assert!(
        stdout(&colored).contains("\u{1b}["),
        "--color always colours"
    );
    assert!(
        !stdout(&drift).contains('\u{1b}'),
        "no colour when not on a terminal"
    );
    // On a terminal (a pseudo-terminal from util-linux's `script`), colour
    // unless NO_COLOR is set.
    let on_terminal = |no_color: Option<&str>| {
        let mut command = std::process::Command::new("script");
        command
            .args([
                "-qec",
                &format!("{} compare-db-models", env!("CARGO_BIN_EXE_schema-check")),
                "/dev/null",
            ])
            .current_dir(project.root())
            .env("DATABASE_URL", &project.url)
            .env_remove("NO_COLOR");
        if let Some(value) = no_color {
            command.env("NO_COLOR", value);
        }
        let out = command.output().expect("`script` (util-linux) runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let coloured = on_terminal(None);
    assert!(
        coloured.contains("\u{1b}[") && coloured.contains("type-mismatch"),
        "{coloured}"
    );
    let plain = on_terminal(Some("1"));
    assert!(
        !plain.contains('\u{1b}') && plain.contains("type-mismatch"),
        "{plain}"
    );

    let json = project.run(&["compare-db-models", "--format", "json"]);
    assert_eq!(json.status.code(), Some(1));
    let issues: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(issues.as_array().unwrap().len(), 6);
    assert_eq!(
        issues[4],
        serde_json::json!({
            "check": "type-mismatch", "kind": "db-models", "severity": "error",
            "schema": "public", "table": "users", "column": "age",
            "model": "User", "field": "age", "file": "src/models.rs", "line": 12, "col": 21,
            "message": "column \"users.age\" is `integer`, which `i64` does not fit",
            "help": "use `i32`",
            "fix": {"description": "use `i32`", "file": "src/models.rs", "edits": [
                {"start": 247, "end": 250, "replacement": "i32"}
            ]}
        })
    );
}

/// Models as a default `cargo build` of the package compiles them.
const GATED_MODELS: &str = r#"use pgdrift::Model;

#[derive(Model)]
#[cfg_attr(feature = "pg", diesel(table_name = posts))]
pub struct PostRow {
    pub id: i64,
    pub author_id: i64,
    pub title: String,
    #[cfg(feature = "admin")]
    pub secret: String,
}

#[cfg(feature = "admin")]
#[derive(Model)]
#[pgdrift(table = "audit")]
pub struct AuditRow {
    pub id: i64,
}

#[cfg(test)]
mod tests {
    #[derive(pgdrift::Model)]
    pub struct Fixture {
        pub id: i32,
    }
}
"#;

#[test]
fn compare_db_models_sees_what_a_default_build_compiles() {
    let (_db, project) = fixture();
    std::fs::write(project.root().join("src/models.rs"), GATED_MODELS).unwrap();
    std::fs::write(
        project.root().join("src/lib.rs"),
        "mod models;\n#[cfg(feature = \"admin\")]\nmod admin;\n",
    )
    .unwrap();
    std::fs::write(
        project.root().join("src/admin.rs"),
        "#[derive(pgdrift::Model)]\npub struct Admin { pub id: i64 }\n",
    )
    .unwrap();
    std::fs::write(
        project.root().join("Cargo.toml"),
        "[package]\nname = \"m\"\n[features]\ndefault = [\"pg\"]\npg = []\nadmin = []\n",
    )
    .unwrap();
    let clean = project.run(&["compare-db-models"]);
    assert_eq!(clean.status.code(), Some(0), "{}", all_output(&clean));
    assert_eq!(
        stdout(&clean),
        "0 errors, 0 warnings in 1 models (3 files)\n"
    );
    assert_eq!(stderr(&clean), "");

    let verbose = project.run(&["compare-db-models", "--verbose"]);
    assert_eq!(verbose.status.code(), Some(0), "{}", all_output(&verbose));
    assert_eq!(
        stderr(&verbose),
        "skipped file at src/admin.rs: #[cfg(feature = \"admin\")] does not hold in a default build\n\
         skipped struct AuditRow at src/models.rs:16: #[cfg(feature = \"admin\")] does not hold in a default build\n\
         skipped mod tests at src/models.rs:21: #[cfg(test)] does not hold in a default build\n"
    );

    let admin = project.run(&["compare-db-models", "--features", "admin"]);
    assert_eq!(admin.status.code(), Some(1), "{}", all_output(&admin));
    let out = stdout(&admin);
    assert!(
        out.contains("error[missing-table]: table or view \"admin\" does not exist\n --> src/admin.rs:2:12\n"),
        "{out}"
    );
    assert!(
        out.contains("error[missing-column]: column \"posts.secret\" does not exist\n  --> src/models.rs:10:9\n"),
        "{out}"
    );
    assert!(
        out.contains("error[missing-table]: table or view \"audit\" does not exist"),
        "{out}"
    );
    assert!(
        out.ends_with("3 errors, 0 warnings in 3 models (3 files)\n"),
        "{out}"
    );

    std::fs::write(
        project.root().join("Cargo.toml"),
        "[package]\nname = \"m\"\n[features]\ndefault = []\n",
    )
    .unwrap();
    let without = project.run(&["compare-db-models"]);
    assert_eq!(without.status.code(), Some(1), "{}", all_output(&without));
    assert!(
        stdout(&without)
            .contains("error[missing-table]: table or view \"post_row\" does not exist"),
        "without the `pg` feature the cfg_attr gives no table name: {}",
        stdout(&without)
    );
}

#[test]
fn generate_docs_then_validate_catches_every_schema_change() {
    let (db, project) = fixture();
    let first = project.run(&["generate-docs"]);
    assert_eq!(first.status.code(), Some(0), "{}", all_output(&first));
    assert_eq!(
        stdout(&first),
        "wrote docs/database_schema.md (4 sections)\n"
    );
    let docs = project.read("docs/database_schema.md");
    insta::assert_snapshot!("fixture_docs", docs);

    let again = project.run(&["generate-docs"]);
    assert_eq!(
        stdout(&again),
        "docs/database_schema.md is up to date (4 sections)\n"
    );
    assert_eq!(
        project.read("docs/database_schema.md"),
        docs,
        "byte-identical rerun"
    );
    let valid = project.run(&["validate"]);
    assert_eq!(valid.status.code(), Some(0), "{}", all_output(&valid));
    assert_eq!(stdout(&valid), "docs/database_schema.md is up to date\n");

    db.execute(
        "ALTER TABLE users ADD COLUMN bio text;
         CREATE TABLE tags (id int PRIMARY KEY);
         DROP TYPE mood;",
    );
    let stale = project.run(&["validate"]);
    assert_eq!(stale.status.code(), Some(1));
    let text = stdout(&stale);
    assert!(
        text.contains(
            "--- docs/database_schema.md (section public.users, as it is)\n\
             +++ docs/database_schema.md (section public.users, as generate-docs writes it)\n"
        ),
        "{text}"
    );
    assert!(text.contains("\n+| `bio` | `text` | yes |"), "{text}");
    assert!(
        text.contains("\n+    t_public_tags[\"public.tags\"] {\n"),
        "{text}"
    );
    insta::assert_snapshot!("validate_text", text);
    assert_eq!(
        project.read("docs/database_schema.md"),
        docs,
        "validate writes nothing"
    );
    assert_eq!(project.run(&["generate-docs"]).status.code(), Some(0));
    assert_eq!(project.run(&["validate"]).status.code(), Some(0));
}

#[test]
fn hand_written_text_survives_regeneration() {
    let (db, project) = fixture();
    project.run(&["generate-docs"]);
    let path = project.root().join("docs/database_schema.md");
    let edited = project.read("docs/database_schema.md").replace(
        "# Database schema\n",
        "# Our database\n\nAsk #data before changing users.\n",
    ) + "\n## Conventions\n\nTimestamps are UTC.\n";
    std::fs::write(&path, &edited).unwrap();
    db.execute("ALTER TABLE posts ADD COLUMN body text");
    assert_eq!(project.run(&["generate-docs"]).status.code(), Some(0));
    let regenerated = project.read("docs/database_schema.md");
    assert!(regenerated.starts_with("# Our database\n\nAsk #data before changing users.\n"));
    assert!(
        regenerated.ends_with("\n## Conventions\n\nTimestamps are UTC.\n"),
        "{regenerated}"
    );
    assert!(regenerated.contains("| `body` | `text` | yes |"));
}

#[test]
fn malformed_markers_are_refused_and_the_file_left_alone() {
    let (_db, project) = fixture();
    project.run(&["generate-docs"]);
    let path = project.root().join("docs/database_schema.md");
    let broken = project
        .read("docs/database_schema.md")
        .replace("<!-- pgdrift:end public.posts -->\n", "");
    std::fs::write(&path, &broken).unwrap();
    for command in ["generate-docs", "validate"] {
        let out = project.run(&[command]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{command}: {}",
            all_output(&out)
        );
        assert!(
            stderr(&out).starts_with("error: docs/database_schema.md line 33: `pgdrift:begin public.users` inside section `public.posts` opened at line 24, which has no `pgdrift:end`; fix the markers by hand"),
            "{}",
            stderr(&out)
        );
        assert_eq!(project.read("docs/database_schema.md"), broken);
    }
}

#[test]
fn compare_models_doc_finds_what_either_side_lacks() {
    let (_db, project) = fixture();
    let missing = project.run(&["compare-models-doc"]);
    assert_eq!(missing.status.code(), Some(1));
    assert_eq!(
        stdout(&missing),
        "docs/database_schema.md does not exist: run `schema-check generate-docs` to create it\n"
    );
    project.run(&["generate-docs"]);
    let clean = project.run(&["compare-models-doc"]);
    assert_eq!(clean.status.code(), Some(0), "{}", all_output(&clean));

    // A field renamed in the models: the docs name the old one and lack the new.
    std::fs::write(
        project.root().join("src/models.rs"),
        MODELS.replace(
            "pub nickname: Option<String>,",
            "#[pgdrift(column = \"nickname\")]\n    pub handle: Option<String>,",
        ),
    )
    .unwrap();
    let drift = project.run(&["compare-models-doc"]);
    assert_eq!(drift.status.code(), Some(1));
    insta::assert_snapshot!("compare_models_doc_text", stdout(&drift));
}

#[test]
fn reports_in_three_formats_without_the_password() {
    let (db, mut project) = fixture();
    let role = format!("reporter_{}", db.name());
    db.execute(&format!(
        "CREATE ROLE {role} LOGIN PASSWORD 'rep0rter-Secret'"
    ));
    project.url = db.url_as(&role, "rep0rter-Secret").expose().to_owned();
    project.run(&["generate-docs"]);
    std::fs::write(
        project.root().join("src/models.rs"),
        MODELS.replace("pub age: Option<i32>,", "pub age: Option<String>,"),
    )
    .unwrap();
    db.execute("ALTER TABLE posts ADD COLUMN body text");
    let out = project.run(&["report"]);
    assert_eq!(out.status.code(), Some(1), "{}", all_output(&out));
    assert_eq!(
        stdout(&out),
        "wrote .pgdrift/reports/schema-report.json, .pgdrift/reports/schema-report.md, .pgdrift/reports/schema-report.sarif: 2 errors, 1 warnings\n"
    );
    let reports = project.root().join(".pgdrift/reports");
    for name in [
        "schema-report.json",
        "schema-report.md",
        "schema-report.sarif",
    ] {
        let text = std::fs::read_to_string(reports.join(name)).unwrap();
        assert!(
            !text.contains("rep0rter-Secret"),
            "{name} leaks the password"
        );
    }

    let json: serde_json::Value =
        serde_json::from_str(&project.read(".pgdrift/reports/schema-report.json")).unwrap();
    assert_eq!(json["version"], 1);
    assert_eq!(json["generated_at"], "2025-11-25T00:00:00Z");
    assert_eq!(json["source"], db.url_as(&role, "***").expose());
    assert_eq!(
        json["summary"],
        serde_json::json!({"errors": 2, "warnings": 1, "models": 2, "tables": 2,
                           "by_kind": {"db-models": 2, "db-doc": 1},
                           "by_check": {"docs-stale-section": 1, "type-mismatch": 1, "uncovered-columns": 1}})
    );
    let keys: Vec<&str> = json["findings"][0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "check", "col", "column", "field", "file", "help", "kind", "line", "message", "model",
            "schema", "severity", "table"
        ]
    );
    let markdown = project.read(".pgdrift/reports/schema-report.md");
    insta::assert_snapshot!(
        "fixture_report_md",
        markdown.replace(
            &format!("{} ", db.url_as(&role, "***").expose()),
            "postgres://URL "
        )
    );

    let sarif: serde_json::Value =
        serde_json::from_str(&project.read(".pgdrift/reports/schema-report.sarif")).unwrap();
    let schema: serde_json::Value =
        serde_json::from_str(&crate::test_asset("sarif-2.1.0-rtm.5.json")).unwrap();
    let validator = jsonschema::draft4::new(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 3);
    let mismatch = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "type-mismatch")
        .unwrap();
    assert_eq!(
        mismatch["locations"][0]["physicalLocation"],
        serde_json::json!({"artifactLocation": {"uri": "src/models.rs"}, "region": {"startLine": 11, "startColumn": 21}})
    );
    let models = project.read("src/models.rs");
    let start = models.find("age: Option<String>").unwrap() + "age: Option<".len();
    assert_eq!(
        mismatch["fixes"],
        serde_json::json!([{
            "description": {"text": "use `i32`"},
            "artifactChanges": [{
                "artifactLocation": {"uri": "src/models.rs"},
                "replacements": [{
                    "deletedRegion": {"byteOffset": start, "byteLength": 6},
                    "insertedContent": {"text": "i32"}
                }]
            }]
        }])
    );
    db.execute(&format!("DROP ROLE {role}"));
}

#[test]
fn deny_warnings_fails_compare_db_models_and_report_on_a_warning_alone() {
    let (db, project) = fixture();
    let clean = project.run(&["compare-db-models", "--deny", "warnings"]);
    assert_eq!(clean.status.code(), Some(0), "{}", all_output(&clean));
    assert_eq!(
        stdout(&clean),
        "0 errors, 0 warnings in 2 models (1 files)\n"
    );

    // A column no field covers is a warning; the docs follow the database,
    // so that warning is all there is.
    db.execute("ALTER TABLE users ADD COLUMN bio text");
    assert_eq!(project.run(&["generate-docs"]).status.code(), Some(0));
    let warned = project.run(&["compare-db-models"]);
    assert_eq!(warned.status.code(), Some(0), "{}", all_output(&warned));
    let text = stdout(&warned);
    assert!(text.starts_with("warning[uncovered-columns]: "), "{text}");
    assert!(
        text.ends_with("\n0 errors, 1 warning in 2 models (1 files)\n"),
        "{text}"
    );
    let denied = project.run(&["compare-db-models", "--deny", "warnings"]);
    assert_eq!(denied.status.code(), Some(1), "{}", all_output(&denied));
    assert_eq!(
        stdout(&denied),
        text.replace(
            "(1 files)\n",
            "(1 files); warnings denied by --deny warnings\n"
        )
    );
    let json = project.run(&["compare-db-models", "--format", "json"]);
    assert_eq!(json.status.code(), Some(0), "{}", all_output(&json));
    let json_denied = project.run(&[
        "compare-db-models",
        "--format",
        "json",
        "--deny",
        "warnings",
    ]);
    assert_eq!(json_denied.status.code(), Some(1));
    assert_eq!(stdout(&json_denied), stdout(&json));
    let issues: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(issues[0]["severity"], "warning");

    let reports = project.root().join(".pgdrift/reports");
    let written = "wrote .pgdrift/reports/schema-report.json, .pgdrift/reports/schema-report.md, .pgdrift/reports/schema-report.sarif: 0 errors, 1 warnings";
    let report = project.run(&["report"]);
    assert_eq!(report.status.code(), Some(0), "{}", all_output(&report));
    assert_eq!(stdout(&report), format!("{written}\n"));
    std::fs::remove_dir_all(&reports).unwrap();
    let report = project.run(&["report", "--deny", "warnings"]);
    assert_eq!(report.status.code(), Some(1), "{}", all_output(&report));
    assert_eq!(
        stdout(&report),
        format!("{written}; warnings denied by --deny warnings\n")
    );
    let json: serde_json::Value =
        serde_json::from_str(&project.read(".pgdrift/reports/schema-report.json")).unwrap();
    assert_eq!(json["summary"]["warnings"], 1, "the reports are written");
    assert!(reports.join("schema-report.sarif").exists());

    std::fs::remove_dir_all(&reports).unwrap();
    for command in ["compare-db-models", "report"] {
        let bogus = project.run(&[command, "--deny", "bogus"]);
        assert_eq!(bogus.status.code(), Some(2), "{command}");
        let err = stderr(&bogus);
        assert!(
            err.starts_with("error: invalid value 'bogus' for '--deny <LEVEL>'\n")
                && err.contains("[possible values: warnings]"),
            "{command}: {err}"
        );
        assert_eq!(stdout(&bogus), "", "{command}");
    }
    assert!(!reports.exists(), "a usage error writes nothing");
}

#[test]
fn changelog_appends_each_kind_of_change_once() {
    let (db, project) = fixture();
    assert_eq!(project.run(&["snapshot"]).status.code(), Some(0));
    let nothing = project.run(&["changelog"]);
    assert_eq!(nothing.status.code(), Some(1));
    assert_eq!(stdout(&nothing), "no changes since .pgdrift/schema.json\n");
    assert!(!project.root().join("docs/pgdb_changes.md").exists());

    db.execute(
        "ALTER TABLE users ADD COLUMN bio text;
         ALTER TABLE users DROP COLUMN age;
         ALTER TABLE posts ALTER COLUMN title TYPE varchar(200);
         ALTER TABLE users ALTER COLUMN nickname SET NOT NULL;
         ALTER TYPE mood ADD VALUE 'happy';",
    );
    let out = project.run(&["changelog", "--message", "Profiles"]);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    let log = project.read("docs/pgdb_changes.md");
    assert_eq!(
        log,
        format!(
            "{}\n## 2025-11-25 — Profiles\n\n\
             - column public.posts.title changed: type text → character varying(200)\n\
             - column public.users.age dropped: integer NULL\n\
             - column public.users.nickname changed: nullability NULL → NOT NULL\n\
             - column public.users.bio added: text NULL\n\
             - enum public.mood changed: label happy added; now sad, ok, happy\n",
            schema_check::changelog::HEADER
        )
    );
    assert_eq!(
        project.run(&["changelog"]).status.code(),
        Some(1),
        "the snapshot moved on"
    );
    db.execute("DROP TABLE posts");
    assert_eq!(project.run(&["changelog"]).status.code(), Some(0));
    let longer = project.read("docs/pgdb_changes.md");
    assert!(longer.starts_with(&log), "append-only");
    assert!(
        longer.ends_with("\n## 2025-11-25\n\n- table public.posts dropped: 3 columns\n"),
        "{longer}"
    );
}

#[test]
fn a_composite_type_change_alone_is_seen_by_snapshot_check_changelog_and_introspect() {
    let (db, project) = fixture();
    db.execute(
        "CREATE TYPE addr AS (street text, zip text);
         COMMENT ON TYPE addr IS 'Postal address';
         COMMENT ON COLUMN addr.zip IS 'Postal code';",
    );
    assert_eq!(project.run(&["snapshot"]).status.code(), Some(0));
    let shown = project.run(&["introspect"]);
    assert_eq!(shown.status.code(), Some(0), "{}", all_output(&shown));
    let text = stdout(&shown);
    assert!(
        text.contains(
            "\ncomposite type public.addr -- Postal address\n  \
             attribute type comment\n  \
             street    text\n  \
             zip       text Postal code\n\n"
        ),
        "{text}"
    );

    let one = stdout(&project.run(&["introspect", "--table", "users"]));
    assert!(!one.contains("addr"), "only the one table: {one}");

    db.execute("ALTER TYPE addr ADD ATTRIBUTE city text");
    let check = project.run(&["snapshot", "--check"]);
    assert_eq!(check.status.code(), Some(1), "{}", all_output(&check));
    assert_eq!(
        stdout(&check),
        ".pgdrift/schema.json is out of date with the database:\n  \
         attribute public.addr.city added: text\n\
         run `schema-check snapshot` to update it\n"
    );
    let out = project.run(&["changelog", "-m", "Cities"]);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    let log = project.read("docs/pgdb_changes.md");
    assert_eq!(
        log,
        format!(
            "{}\n## 2025-11-25 — Cities\n\n- attribute public.addr.city added: text\n",
            schema_check::changelog::HEADER
        )
    );

    db.execute(
        "ALTER TYPE addr ALTER ATTRIBUTE zip TYPE varchar(10), DROP ATTRIBUTE street;
         CREATE TYPE point3 AS (x float8, y float8, z float8);",
    );
    assert_eq!(project.run(&["changelog"]).status.code(), Some(0));
    assert_eq!(
        project.read("docs/pgdb_changes.md"),
        format!(
            "{log}\n## 2025-11-25\n\n\
             - attribute public.addr.street dropped: text\n\
             - attribute public.addr.zip changed: type text → character varying(10)\n\
             - composite type public.point3 added: attributes x double precision, y double precision, z double precision\n"
        )
    );
}

#[test]
fn composite_types_an_extension_owns_stay_out_of_diffs() {
    let (db, project) = fixture();
    assert_eq!(project.run(&["snapshot"]).status.code(), Some(0));
    // tablefunc's script creates composite types (`tablefunc_crosstab_2`, …).
    db.execute("CREATE EXTENSION tablefunc");
    let shown = stdout(&project.run(&["introspect"]));
    assert!(
        shown.contains("\ncomposite type public.tablefunc_crosstab_2 (extension tablefunc)\n"),
        "{shown}"
    );
    let check = project.run(&["snapshot", "--check"]);
    assert_eq!(check.status.code(), Some(1), "{}", all_output(&check));
    assert_eq!(
        stdout(&check),
        ".pgdrift/schema.json is out of date with the database:\n  \
         the user's schema is the same; objects that extensions own differ (an extension was created, dropped or updated)\n\
         run `schema-check snapshot` to update it\n"
    );
    let out = project.run(&["changelog"]);
    assert_eq!(out.status.code(), Some(1), "{}", all_output(&out));
    assert_eq!(stdout(&out), "no changes since .pgdrift/schema.json\n");
}

#[test]
fn triggers_and_the_writes_a_view_accepts_show_in_introspect_and_diffs() {
    let (db, project) = fixture();
    assert_eq!(project.run(&["snapshot"]).status.code(), Some(0));
    db.execute(
        "CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
         CREATE TRIGGER stamp BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION stamp();
         CREATE VIEW emails AS SELECT id, email FROM users;",
    );
    let check = project.run(&["snapshot", "--check"]);
    assert_eq!(check.status.code(), Some(1), "{}", all_output(&check));
    assert_eq!(
        stdout(&check),
        ".pgdrift/schema.json is out of date with the database:\n  \
         trigger stamp on public.users added: before insert or update for each row\n  \
         view public.emails added: 2 columns\n\
         run `schema-check snapshot` to update it\n"
    );
    let text = stdout(&project.run(&["introspect"]));
    assert!(
        text.contains("\n  trigger stamp before insert or update for each row\n"),
        "{text}"
    );
    assert!(
        text.contains("\n  writes accepted: insert, update\n"),
        "{text}"
    );
}

#[test]
fn compare_db_models_reads_db_fills_and_sees_the_trigger_go() {
    let (db, project) = fixture();
    db.execute(
        "CREATE TABLE notes (id bigint PRIMARY KEY, body text NOT NULL, path text NOT NULL);
         CREATE FUNCTION fill_path() RETURNS trigger LANGUAGE plpgsql AS $$
         BEGIN NEW.path := coalesce(NEW.path, NEW.id::text); RETURN NEW; END $$;
         CREATE TRIGGER notes_fill_path BEFORE INSERT ON notes
             FOR EACH ROW EXECUTE FUNCTION fill_path();",
    );
    let insert = "
#[derive(pgdrift::Model)]
#[pgdrift(table = \"notes\", insert)]
pub struct NewNote {
    pub id: i64,
    pub body: String,
}
";
    let models = project.root().join("src/models.rs");
    std::fs::write(&models, format!("{MODELS}{insert}")).unwrap();
    let warned = project.run(&["compare-db-models"]);
    assert_eq!(warned.status.code(), Some(0), "{}", all_output(&warned));
    assert!(
        stdout(&warned).contains("help: trigger \"notes_fill_path\" may fill it"),
        "{}",
        stdout(&warned)
    );

    let acknowledged = insert.replace("insert)]", "insert, db_fills = \"path\")]");
    std::fs::write(&models, format!("{MODELS}{acknowledged}")).unwrap();
    let clean = project.run(&["compare-db-models"]);
    assert_eq!(clean.status.code(), Some(0), "{}", all_output(&clean));
    assert_eq!(
        stdout(&clean),
        "0 errors, 0 warnings in 3 models (1 files)\n"
    );

    db.execute("ALTER TABLE notes DISABLE TRIGGER notes_fill_path");
    let disabled = project.run(&["compare-db-models"]);
    assert_eq!(disabled.status.code(), Some(1), "{}", all_output(&disabled));
    assert!(
        stdout(&disabled).starts_with(
            "error[required-column]: `db_fills` leaves \"path\" to a trigger, but \"notes\" has no enabled BEFORE INSERT row trigger (\"notes_fill_path\" is disabled): nothing fills it\n"
        ),
        "{}",
        stdout(&disabled)
    );

    db.execute("DROP TRIGGER notes_fill_path ON notes");
    let stale = project.run(&["compare-db-models"]);
    assert_eq!(stale.status.code(), Some(1), "{}", all_output(&stale));
    assert!(
        stdout(&stale).starts_with(
            "error[required-column]: `db_fills` leaves \"path\" to a trigger, but \"notes\" has no BEFORE INSERT row trigger: nothing fills it\n  --> src/models.rs:23:47\n"
        ),
        "{}",
        stdout(&stale)
    );
}

#[test]
fn compare_db_models_follows_a_rename_and_checks_the_primary_key() {
    let (db, project) = fixture();
    let models = project.root().join("src/models.rs");
    let renamed = MODELS
        .replace(
            "    pub id: i64,\n    /// Where",
            "    #[pgdrift(primary_key)]\n    pub id: i64,\n    /// Where",
        )
        .replace(
            "    pub nickname: Option<String>,",
            "    #[pgdrift(renamed_from = \"nickname\")]\n    pub display_name: Option<String>,",
        );
    std::fs::write(&models, &renamed).unwrap();
    let pending = project.run(&["compare-db-models"]);
    assert_eq!(pending.status.code(), Some(1), "{}", all_output(&pending));
    assert_eq!(
        stdout(&pending),
        r#"error[missing-column]: column "users.display_name" does not exist yet: the database still calls it "nickname"
  --> src/models.rs:12:9
   |
12 |     pub display_name: Option<String>,
   |         ^^^^^^^^^^^^
   |
   = help: `schema-check draft` writes the RENAME COLUMN for review; apply it with your migration tool

1 error, 0 warnings in 2 models (1 files)
"#,
        "the old column is the field's: not uncovered, and its type fits"
    );

    db.execute("ALTER TABLE users RENAME COLUMN nickname TO display_name");
    let done = project.run(&["compare-db-models"]);
    assert_eq!(done.status.code(), Some(0), "{}", all_output(&done));
    let warning = r#"warning[rename-done]: column "users.display_name" exists: the rename is done
  --> src/models.rs:11:30
   |
11 |     #[pgdrift(renamed_from = "nickname")]
   |                              ^^^^^^^^^^
   |
   = help: remove `renamed_from = "nickname"`
"#;
    assert_eq!(
        stdout(&done),
        format!("{warning}\n0 errors, 1 warning in 2 models (1 files)\n")
    );
    let denied = project.run(&["compare-db-models", "--deny", "warnings"]);
    assert_eq!(denied.status.code(), Some(1), "{}", all_output(&denied));
    assert!(stdout(&denied).starts_with(warning), "{}", stdout(&denied));

    // diesel's key is only a claim that the columns identify a row (a
    // unique key would do): a difference from the primary key warns.
    let keyed = renamed.replace(
        "#[pgdrift(table = \"posts\")]",
        "#[pgdrift(table = \"posts\")]\n#[diesel(primary_key(author_id))]",
    );
    std::fs::write(&models, keyed).unwrap();
    let wrong_key = project.run(&["compare-db-models"]);
    assert_eq!(
        wrong_key.status.code(),
        Some(0),
        "{}",
        all_output(&wrong_key)
    );
    assert_eq!(
        stdout(&wrong_key),
        format!(
            r#"{warning}
warning[primary-key]: column "posts.author_id" is not part of the primary key of "posts", which is (id)
  --> src/models.rs:18:22
   |
18 | #[diesel(primary_key(author_id))]
   |                      ^^^^^^^^^
   |
   = help: remove `author_id` from `#[diesel(primary_key(…))]`

warning[primary-key]: column "posts.id" is part of the primary key of "posts" (id), but field `id` is not named in `#[diesel(primary_key(…))]`
  --> src/models.rs:20:9
   |
20 |     pub id: i64,
   |         ^^
   |
   = help: add `id` to `#[diesel(primary_key(…))]`

0 errors, 3 warnings in 2 models (1 files)
"#
        )
    );
}
