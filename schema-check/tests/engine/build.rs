//! `pgdrift::build` in a real crate's `build.rs`, against a real PostgreSQL:
//! a database change alone fails the next build, the derive never connects,
//! `schema-check watch` makes unchanged builds free, doc fragments equal the
//! docs, and `fail_on_drift` reports every model at once.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use schema_check::testing::{self, Cluster, ClusterOptions};

use crate::derive::{MODELS, SCHEMA};
use crate::krate::{errors, stderr, TestCrate};
use crate::stdout;

const BUILD_RS: &str = "fn main() {\n    pgdrift::build::check().expect(\"pgdrift\");\n}\n";

const UNCOVERED_BIO: &str =
    "error: table \"users\" has a column that no field maps: \"bio\" (text, not null)";

/// The `compiler-artifact` message of the crate's binary in a JSON build log.
fn binary_artifact(output: &std::process::Output, name: &str) -> serde_json::Value {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|m| m["reason"] == "compiler-artifact" && m["target"]["name"] == name)
        .unwrap_or_else(|| panic!("no artifact for {name}: {}", stderr(output)))
}

fn out_dir(output: &std::process::Output, name: &str) -> std::path::PathBuf {
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|m| {
            m["reason"] == "build-script-executed"
                && m["package_id"].as_str().is_some_and(|p| p.contains(name))
        })
        .and_then(|m| m["out_dir"].as_str().map(Into::into))
        .unwrap_or_else(|| panic!("no build script run for {name}"))
}

#[test]
fn a_database_change_alone_fails_the_next_build_and_the_derive_never_connects() {
    let cluster = Cluster::start(&ClusterOptions {
        settings: vec![
            ("log_connections".into(), "on".into()),
            ("log_line_prefix".into(), "%a|".into()),
        ],
        ..ClusterOptions::default()
    })
    .unwrap();
    let db = cluster.create_database();
    db.execute(SCHEMA);
    let krate = TestCrate::new("pgdrift_build_live", MODELS, Some(BUILD_RS));
    let loads = krate.path().join("loads.log");
    let url = format!("{}&application_name=build-under-test", db.url().expose());
    let vars = [
        ("DATABASE_URL", url.as_str()),
        ("PGDRIFT_LOG_LOADS", loads.to_str().unwrap()),
    ];
    let connections = || {
        let log = std::fs::read_to_string(cluster.log_path()).unwrap();
        log.lines()
            .filter(|l| {
                l.contains("connection authorized")
                    && l.contains("application_name=build-under-test")
            })
            .count()
    };
    let before = connections();

    let first = krate.cargo(&["build", "--quiet"], &vars);
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(
        connections() - before,
        2,
        "one introspection (two sessions), by the build script only"
    );
    let log = std::fs::read_to_string(&loads).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 2, "{log}");
    assert!(
        lines[0].ends_with(&url),
        "the build script introspects: {log}"
    );
    assert!(
        lines[1].contains("snapshot ") && lines[1].ends_with("pgdrift-schema.json"),
        "the derive reads its file: {log}"
    );

    db.execute("ALTER TABLE users ADD COLUMN bio text NOT NULL DEFAULT ''");
    let drifted = krate.cargo(&["build", "--quiet"], &vars);
    assert!(
        !drifted.status.success(),
        "no source changed, yet the build must fail"
    );
    assert_eq!(errors(&drifted), [UNCOVERED_BIO], "{}", stderr(&drifted));
    assert_eq!(connections() - before, 4);

    db.execute("ALTER TABLE users DROP COLUMN bio");
    let fixed = krate.cargo(&["build", "--quiet"], &vars);
    assert!(fixed.status.success(), "{}", stderr(&fixed));
}

#[test]
fn offline_builds_rerun_nothing_until_the_snapshot_changes() {
    let db = testing::database();
    db.execute(SCHEMA);
    let krate = TestCrate::new("pgdrift_build_offline", MODELS, Some(BUILD_RS));
    let snapshot = krate.path().join(".pgdrift/schema.json");
    let catalog = schema_check::introspect(&db.connect(), None).unwrap();
    schema_check::snapshot::save(&snapshot, &catalog).unwrap();
    let build = || krate.cargo(&["build", "--message-format=json"], &[]);
    let first = build();
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(
        binary_artifact(&build(), "pgdrift_build_offline")["fresh"],
        true
    );

    db.execute("ALTER TABLE tags ADD COLUMN color text");
    schema_check::snapshot::save(
        &snapshot,
        &schema_check::introspect(&db.connect(), None).unwrap(),
    )
    .unwrap();
    let changed = build();
    assert!(!changed.status.success());
    assert!(
        String::from_utf8_lossy(&changed.stdout)
            .contains("table \\\"tags\\\" has a column that no field maps: \\\"color\\\""),
        "{}",
        String::from_utf8_lossy(&changed.stdout)
    );
}

/// Starts `schema-check watch` and waits until its files are written.
fn start_watcher(root: &std::path::Path, url: &str) -> Child {
    let child = Command::new(env!("CARGO_BIN_EXE_schema-check"))
        .args([
            "--root",
            root.to_str().unwrap(),
            "watch",
            "--interval",
            "0.2",
        ])
        .env("DATABASE_URL", url)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let info = root.join(".pgdrift/watch/watcher.json");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !info.exists() {
        assert!(Instant::now() < deadline, "the watcher did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    child
}

#[test]
fn with_watch_an_unchanged_build_compiles_nothing_and_a_change_is_seen() {
    let db = testing::database();
    db.execute(SCHEMA);
    let krate = TestCrate::new("pgdrift_build_watch", MODELS, Some(BUILD_RS));
    let url = db.url().expose();
    let vars = [("DATABASE_URL", url)];
    let mut watcher = start_watcher(krate.path(), url);
    let build = || krate.cargo(&["build", "--message-format=json"], &vars);

    let first = build();
    assert!(first.status.success(), "{}", stderr(&first));
    let again = build();
    assert_eq!(
        binary_artifact(&again, "pgdrift_build_watch")["fresh"],
        true,
        "nothing recompiled"
    );

    let watched = krate.path().join(".pgdrift/watch/schema.json");
    let before = std::fs::read(&watched).unwrap();
    db.execute("ALTER TABLE users ADD COLUMN bio text NOT NULL DEFAULT ''");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::fs::read(&watched).unwrap() == before {
        assert!(
            Instant::now() < deadline,
            "the watcher did not notice the change"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let drifted = build();
    assert!(!drifted.status.success(), "the next build sees the change");
    assert!(String::from_utf8_lossy(&drifted.stdout)
        .contains("has a column that no field maps: \\\"bio\\\""));

    let pid = watcher.id().to_string();
    assert!(Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    let status = watcher.wait().unwrap();
    assert_eq!(status.code(), Some(0), "Ctrl-C ends the watcher cleanly");
    let mut out = String::new();
    std::io::Read::read_to_string(watcher.stdout.as_mut().unwrap(), &mut out).unwrap();
    assert!(
        out.contains("schema written")
            && out.ends_with("stopped; builds go back to introspecting on every build\n"),
        "{out}"
    );
    assert!(!watched.exists(), "the watcher removes its files");
}

#[test]
fn a_watcher_killed_outright_sends_the_next_build_back_to_the_database() {
    let db = testing::database();
    db.execute(SCHEMA);
    let krate = TestCrate::new("pgdrift_build_watch_killed", MODELS, Some(BUILD_RS));
    let url = db.url().expose();
    let vars = [("DATABASE_URL", url)];
    let mut watcher = start_watcher(krate.path(), url);
    let build = || krate.cargo(&["build", "--message-format=json"], &vars);
    let first = build();
    assert!(first.status.success(), "{}", stderr(&first));
    assert_eq!(
        binary_artifact(&build(), "pgdrift_build_watch_killed")["fresh"],
        true,
        "a live watcher makes an unchanged build free"
    );

    watcher.kill().unwrap();
    watcher.wait().unwrap();
    assert!(
        krate.path().join(".pgdrift/watch/schema.json").exists(),
        "a killed watcher leaves its files behind"
    );
    db.execute("ALTER TABLE users ALTER COLUMN age TYPE bigint");
    let drifted = build();
    assert!(
        !drifted.status.success(),
        "the next build reads the database, not the dead watcher's file"
    );
    assert!(String::from_utf8_lossy(&drifted.stdout)
        .contains("column \\\"users.age\\\" is `bigint`, which `i32` does not fit"));
}

#[test]
fn doc_fragments_equal_the_docs_generate_docs_writes() {
    let db = testing::database();
    db.execute(SCHEMA);
    db.execute("CREATE TYPE mood AS ENUM ('sad', 'ok'); COMMENT ON COLUMN users.email IS 'Where we write';");
    let krate = TestCrate::new("pgdrift_build_docs", MODELS, Some(BUILD_RS));
    let vars = [("DATABASE_URL", db.url().expose())];
    let built = krate.cargo(&["build", "--message-format=json"], &vars);
    assert!(built.status.success(), "{}", stderr(&built));
    let fragments = out_dir(&built, "pgdrift_build_docs").join("pgdrift-docs");
    let mut names: Vec<String> = std::fs::read_dir(&fragments)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "diagram.md",
            "public.mood.md",
            "public.posts.md",
            "public.tags.md",
            "public.users.md"
        ]
    );

    let cli = |args: &[&str]| {
        let out = crate::schema_check(krate.path(), args, &vars);
        assert_eq!(out.status.code(), Some(0), "{}", crate::all_output(&out));
        out
    };
    cli(&["generate-docs", "--output", "from-db.md"]);
    let from_fragments = cli(&[
        "generate-docs",
        "--output",
        "from-fragments.md",
        "--fragments",
        fragments.to_str().unwrap(),
    ]);
    assert_eq!(
        stdout(&from_fragments),
        "wrote from-fragments.md (5 sections)\n"
    );
    let from_db = std::fs::read_to_string(krate.path().join("from-db.md")).unwrap();
    assert_eq!(
        std::fs::read_to_string(krate.path().join("from-fragments.md")).unwrap(),
        from_db
    );
    let users = std::fs::read_to_string(fragments.join("public.users.md")).unwrap();
    assert!(from_db.contains(&format!(
        "<!-- pgdrift:begin public.users -->\n{users}<!-- pgdrift:end public.users -->"
    )));
    assert!(
        users.contains("| `email` | `text` | no |  |  | `User.email` | Where we write |"),
        "{users}"
    );
}

#[test]
fn fail_on_drift_stops_the_build_with_one_summary() {
    let db = testing::database();
    db.execute(SCHEMA);
    db.execute("ALTER TABLE users ALTER COLUMN age TYPE bigint; ALTER TABLE tags RENAME COLUMN label TO name;");
    let build_rs = "fn main() {\n    pgdrift::build::Builder::new().fail_on_drift(true).check().expect(\"pgdrift\");\n}\n";
    let krate = TestCrate::new("pgdrift_build_summary", MODELS, Some(build_rs));
    let out = krate.cargo(
        &["build", "--quiet"],
        &[("DATABASE_URL", db.url().expose())],
    );
    assert!(!out.status.success());
    let text = stderr(&out);
    assert!(
        text.contains("failed to run custom build command"),
        "{text}"
    );
    assert!(
        text.contains("pgdrift: 2 of 3 models drifted from the schema (3 errors), in "),
        "{text}"
    );
    assert!(
        !text.contains("Error {"),
        "the summary reads as text: {text}"
    );
    for line in [
        "src/main.rs:9:21: error: column \"users.age\" is `bigint`, which `i32` does not fit",
        "src/main.rs:24:9: error: column \"tags.label\" does not exist",
        "src/main.rs:22:12: error: table \"tags\" has a column that no field maps: \"name\" (text, not null)",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
}
