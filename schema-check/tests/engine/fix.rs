//! `schema-check fix` against a real PostgreSQL: each kind of sure fix
//! edits only its span (the whole file is compared), `--dry-run` writes
//! nothing, CRLF and comments survive, a second run changes nothing, and
//! findings without a sure fix are listed.

use schema_check::testing::{self, TestDatabase};

use crate::{stderr, stdout, Project};

const SCHEMA: &str = "
    CREATE TABLE users (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        email text NOT NULL,
        nickname text,
        age integer,
        joined timestamptz NOT NULL DEFAULT now(),
        pw_hashed text NOT NULL
    );
    COMMENT ON COLUMN users.age IS 'Years since birth';";

fn database() -> TestDatabase {
    let db = testing::database();
    db.execute(SCHEMA);
    db
}

/// Runs `fix` on `before` and asserts the whole file is `after`, that the
/// run exits 0, and that a second run changes nothing.
fn assert_fixes(db: &TestDatabase, before: &str, after: &str) -> String {
    let project = Project::new(db, before);
    let out = project.run(&["fix"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}{}",
        stdout(&out),
        stderr(&out)
    );
    assert_eq!(project.models(), after);
    let again = project.run(&["fix"]);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(stdout(&again), "fixed 0 findings in 0 files\n");
    assert_eq!(project.models(), after);
    let check = project.run(&["compare-db-models"]);
    assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
    stdout(&out)
}

const USER_HEAD: &str =
    "use pgdrift::Model;\n\n#[derive(Model)]\n#[pgdrift(table = \"users\")]\npub struct User {\n";

fn user(fields: &str) -> String {
    format!("{USER_HEAD}{fields}}}\n")
}

const ALL_FIELDS: &str = "    pub id: i64,
    pub email: String,
    pub nickname: Option<String>,
    pub age: Option<i32>,
    pub joined: chrono::DateTime<chrono::Utc>,
    pub pw_hashed: String,
";

#[test]
fn fix_a_type_that_does_not_fit() {
    let db = database();
    let before = user(&ALL_FIELDS.replace("pub id: i64", "pub id: i32"));
    let out = assert_fixes(&db, &before, &user(ALL_FIELDS));
    assert_eq!(
        out,
        "--- a/src/models.rs\n+++ b/src/models.rs\n@@ -3,7 +3,7 @@\n \
         #[derive(Model)]\n #[pgdrift(table = \"users\")]\n pub struct User {\n\
         -    pub id: i32,\n+    pub id: i64,\n     pub email: String,\n     pub nickname: Option<String>,\n     pub age: Option<i32>,\n\
         fixed 1 finding in 1 file\n"
    );
    // The time crate the model already uses is kept.
    let time = ALL_FIELDS.replace("chrono::DateTime<chrono::Utc>", "time::OffsetDateTime");
    assert_fixes(
        &db,
        &user(&time.replace("time::OffsetDateTime", "time::Date")),
        &user(&time),
    );
}

#[test]
fn a_reference_keeps_its_lifetime_and_takes_the_borrowed_form() {
    let db = database();
    let new_user = |fields: &str| {
        format!(
            "use pgdrift::Model;\n\n#[derive(Model)]\n#[pgdrift(table = \"users\", insert, partial)]\npub struct NewUser<'a> {{\n{fields}}}\n"
        )
    };
    let before = new_user(
        "    pub email: &'a [u8],
    pub age: Option<&'a str>,
    pub joined: &'a chrono::NaiveDateTime,
    pub pw_hashed: &'a str,
",
    );
    let after = new_user(
        "    pub email: &'a str,
    pub age: Option<&'a i32>,
    pub joined: &'a chrono::DateTime<chrono::Utc>,
    pub pw_hashed: &'a str,
",
    );
    let out = assert_fixes(&db, &before, &after);
    assert!(out.ends_with("fixed 3 findings in 1 file\n"), "{out}");
}

#[test]
fn fix_a_missing_option_also_with_a_wrong_type() {
    let db = database();
    let before = ALL_FIELDS
        .replace("pub nickname: Option<String>", "pub nickname: String")
        .replace("pub age: Option<i32>", "pub age: i64");
    assert_fixes(&db, &user(&before), &user(ALL_FIELDS));
}

#[test]
fn fix_a_column_renamed_to_a_near_name() {
    let db = database();
    let before = ALL_FIELDS.replace(
        "    pub pw_hashed: String,\n",
        "    /// The hash.\n    pub pw_hash: String,\n",
    );
    let after = ALL_FIELDS.replace(
        "    pub pw_hashed: String,\n",
        "    /// The hash.\n    #[pgdrift(column = \"pw_hashed\")]\n    pub pw_hash: String,\n",
    );
    assert_fixes(&db, &user(&before), &user(&after));
}

#[test]
fn fix_uncovered_columns_at_their_positions() {
    let db = database();
    let before = "    pub id: i64,\n    pub email: String,\n    pub joined: chrono::DateTime<chrono::Utc>,\n";
    let after = "    pub id: i64,\n    pub email: String,\n    pub nickname: Option<String>,\n    \
                 /// Years since birth\n    pub age: Option<i32>,\n    pub joined: chrono::DateTime<chrono::Utc>,\n    \
                 pub pw_hashed: String,\n";
    assert_fixes(&db, &user(before), &user(after));
}

#[test]
fn a_fix_needing_a_crate_the_package_lacks_is_left_to_a_person() {
    let db = database();
    db.execute("CREATE TABLE tokens (id bigint PRIMARY KEY, owner uuid NOT NULL)");
    let models = "#[derive(pgdrift::Model)]\n#[pgdrift(table = \"tokens\")]\npub struct Token {\n    pub id: i64,\n}\n";
    let project = Project::new(&db, models);
    let manifest =
        "[package]\nname = \"app\"\n\n[dependencies]\npgdrift = \"0\"\nchrono = \"0.4\"\n";
    std::fs::write(project.root().join("Cargo.toml"), manifest).unwrap();
    let out = project.run(&["fix"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    assert_eq!(project.models(), models, "uuid::Uuid would not compile");
    assert!(
        stdout(&out).starts_with("fixed 0 findings in 0 files\n\nfindings without a sure fix:"),
        "{}",
        stdout(&out)
    );
    // A dependency of any target counts.
    let with_uuid = format!("{manifest}\n[target.'cfg(unix)'.dependencies]\nuuid = \"1\"\n");
    std::fs::write(project.root().join("Cargo.toml"), with_uuid).unwrap();
    let out = project.run(&["fix"]);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert!(
        project.models().contains("    pub owner: uuid::Uuid,\n"),
        "{}",
        project.models()
    );
}

#[test]
fn fix_an_option_on_not_null_under_strict() {
    let db = database();
    let strict =
        |fields: &str| user(fields).replace("table = \"users\")", "table = \"users\", strict)");
    let before = ALL_FIELDS.replace("pub email: String", "pub email: Option<String>");
    assert_fixes(&db, &strict(&before), &strict(ALL_FIELDS));
}

#[test]
fn crlf_files_and_comments_around_fields_stay_intact() {
    let db = database();
    let before = "use pgdrift::Model;\r\n\r\n/* A block comment. */\r\n#[derive(Model)]\r\n\
                  #[pgdrift(table = \"users\")]\r\npub struct User {\r\n\
                  \t// the key\r\n\tpub id: /* typed */ i32, // trailing\r\n\
                  \tpub email: String,\r\n\tpub nickname: String, // nick\r\n\
                  \tpub joined: chrono::DateTime<chrono::Utc>,\r\n\tpub pw_hashed: String,\r\n}\r\n";
    let after = "use pgdrift::Model;\r\n\r\n/* A block comment. */\r\n#[derive(Model)]\r\n\
                 #[pgdrift(table = \"users\")]\r\npub struct User {\r\n\
                 \t// the key\r\n\tpub id: /* typed */ i64, // trailing\r\n\
                 \tpub email: String,\r\n\tpub nickname: Option<String>, // nick\r\n\
                 \t/// Years since birth\r\n\tpub age: Option<i32>,\r\n\
                 \tpub joined: chrono::DateTime<chrono::Utc>,\r\n\tpub pw_hashed: String,\r\n}\r\n";
    let out = assert_fixes(&db, before, after);
    assert!(
        !out.contains('\r'),
        "no carriage return reaches the terminal"
    );
}

#[test]
fn dry_run_writes_nothing_and_unfixable_findings_are_listed() {
    let db = database();
    let before = user(&ALL_FIELDS.replace("pub id: i64", "pub id: i32").replace(
        "    pub pw_hashed: String,\n",
        "    pub pw_hashed: String,\n    pub zzz_unrelated: bool,\n",
    ));
    let project = Project::new(&db, &before);
    let dry = project.run(&["fix", "--dry-run"]);
    assert_eq!(dry.status.code(), Some(1));
    assert_eq!(project.models(), before, "--dry-run wrote the file");
    let dry_text = stdout(&dry);
    assert!(
        dry_text.contains("-    pub id: i32,\n+    pub id: i64,\n"),
        "{dry_text}"
    );
    assert!(
        dry_text.contains("would fix 1 finding in 1 file\n"),
        "{dry_text}"
    );
    assert!(
        dry_text.contains("findings without a sure fix:"),
        "{dry_text}"
    );
    let real = project.run(&["fix"]);
    assert_eq!(real.status.code(), Some(1));
    let text = stdout(&real);
    assert!(
        text.contains("error[missing-column]: column \"users.zzz_unrelated\" does not exist\n  --> src/models.rs:12:9\n"),
        "{text}"
    );
    assert!(
        text.ends_with("1 error, 0 warnings left in 1 models\n"),
        "{text}"
    );
    assert!(project.models().contains("pub id: i64,"));
}

#[test]
fn fixes_are_in_the_json_output() {
    let db = database();
    let before = user(&ALL_FIELDS.replace("pub id: i64", "pub id: i32"));
    let project = Project::new(&db, &before);
    let out = project.run(&["compare-db-models", "--format", "json"]);
    let issues: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let fix = &issues[0]["fix"];
    let start = before.find("i32").unwrap();
    assert_eq!(
        fix,
        &serde_json::json!({
            "description": "use `i64`",
            "file": "src/models.rs",
            "edits": [{"start": start, "end": start + 3, "replacement": "i64"}],
        })
    );
}
