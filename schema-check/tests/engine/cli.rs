//! `schema-check introspect` and `snapshot`: exit codes and output.

use std::net::TcpListener;
use std::path::Path;
use std::time::{Duration, Instant};

use schema_check::testing::{self, Cluster, ClusterOptions};

use crate::{all_output, schema_check, stderr, stdout, FIXTURE};

fn project() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn snapshot_file(root: &Path) -> std::path::PathBuf {
    root.join(".pgdrift/schema.json")
}

#[test]
fn snapshot_writes_identical_bytes_and_check_names_the_change() {
    let db = testing::database();
    db.execute(FIXTURE);
    let root = project();
    let url = db.url().expose();
    let vars = [("DATABASE_URL", url)];

    let missing = schema_check(root.path(), &["snapshot", "--check"], &vars);
    assert_eq!(missing.status.code(), Some(1), "{}", all_output(&missing));
    assert_eq!(
        stdout(&missing),
        ".pgdrift/schema.json does not exist\nrun `schema-check snapshot` to create it\n"
    );
    assert!(
        !snapshot_file(root.path()).exists(),
        "--check writes nothing"
    );

    let first = schema_check(root.path(), &["snapshot"], &vars);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert_eq!(stdout(&first), "wrote .pgdrift/schema.json (7 relations)\n");
    let bytes = std::fs::read(snapshot_file(root.path())).unwrap();
    let second = schema_check(root.path(), &["snapshot"], &vars);
    assert_eq!(second.status.code(), Some(0));
    assert_eq!(
        std::fs::read(snapshot_file(root.path())).unwrap(),
        bytes,
        "byte-identical rewrite"
    );

    let check = schema_check(root.path(), &["snapshot", "--check"], &vars);
    assert_eq!(check.status.code(), Some(0), "{}", all_output(&check));
    assert_eq!(stdout(&check), ".pgdrift/schema.json is up to date\n");

    db.execute(
        "ALTER TABLE public.users ADD COLUMN nickname text;
         ALTER TABLE public.users ALTER COLUMN pw_hashed TYPE varchar(100);
         ALTER TYPE public.mood ADD VALUE 'ecstatic';",
    );
    let check = schema_check(root.path(), &["snapshot", "--check"], &vars);
    assert_eq!(check.status.code(), Some(1), "{}", all_output(&check));
    assert_eq!(
        stdout(&check),
        ".pgdrift/schema.json is out of date with the database:
  column public.users.pw_hashed changed: type text → character varying(100)
  column public.users.nickname added: text NULL
  enum public.mood changed: label ecstatic added; now sad, meh, ok, happy, ecstatic
run `schema-check snapshot` to update it
"
    );
    assert_eq!(
        std::fs::read(snapshot_file(root.path())).unwrap(),
        bytes,
        "--check writes nothing"
    );
}

#[test]
fn introspect_prints_text_json_and_one_table() {
    let db = testing::database();
    db.execute(FIXTURE);
    let root = project();
    let vars = [("DATABASE_URL", db.url().expose())];

    let text = schema_check(root.path(), &["introspect", "--table", "users"], &vars);
    assert_eq!(text.status.code(), Some(0), "{}", stderr(&text));
    let text = stdout(&text);
    assert!(
        text.starts_with("table public.users -- A registered user\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "\n  id           bigint                      no   generated always as identity\n"
        ),
        "{text}"
    );
    assert!(text.contains("  primary key users_pkey (id)\n"), "{text}");
    assert!(!text.contains("Orders"), "only the one table: {text}");

    let json = schema_check(root.path(), &["introspect", "--format", "json"], &vars);
    assert_eq!(json.status.code(), Some(0));
    let parsed = schema_check::snapshot::from_bytes(&json.stdout, Path::new("stdout")).unwrap();
    assert_eq!(
        parsed,
        schema_check::introspect(&db.connect(), None).unwrap()
    );

    let qualified = schema_check(root.path(), &["introspect", "--table", "app.Orders"], &vars);
    assert!(
        stdout(&qualified).starts_with("table app.\"Orders\"\n"),
        "{}",
        stdout(&qualified)
    );

    let missing = schema_check(root.path(), &["introspect", "--table", "nope"], &vars);
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(
        stderr(&missing),
        "error: --table nope: no such table or view in the schema\n"
    );
    let near = schema_check(root.path(), &["introspect", "--table", "app.order"], &vars);
    assert_eq!(near.status.code(), Some(2));
    assert_eq!(
        stderr(&near),
        "error: --table app.order: no such table or view in the schema; did you mean `Orders`?\n"
    );
    assert!(
        !root.path().join(".pgdrift").exists(),
        "introspect writes nothing"
    );
}

#[test]
fn offline_introspect_reads_the_snapshot() {
    let db = testing::database();
    db.execute("CREATE TABLE things (id int PRIMARY KEY)");
    let root = project();
    let url = db.url().expose();
    assert_eq!(
        schema_check(root.path(), &["snapshot"], &[("DATABASE_URL", url)])
            .status
            .code(),
        Some(0)
    );
    db.execute("ALTER TABLE things ADD COLUMN extra text");
    for vars in [
        &[("PGDRIFT_OFFLINE", "true"), ("DATABASE_URL", url)][..],
        &[][..],
    ] {
        let out = schema_check(root.path(), &["introspect"], vars);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(stdout(&out).contains("table public.things"));
        assert!(
            !stdout(&out).contains("extra"),
            "the snapshot, not the database"
        );
    }
    let out = schema_check(
        root.path(),
        &["--offline", "snapshot"],
        &[("DATABASE_URL", url)],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("`snapshot` reads the live database, but offline mode is on"));
}

/// Asserts exit 2, one `error:` line containing `expected`, nothing written.
fn assert_fails(root: &Path, args: &[&str], vars: &[(&str, &str)], expected: &str) -> String {
    let out = schema_check(root, args, vars);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{}", all_output(&out));
    assert!(
        err.starts_with("error: ") && err.contains(expected),
        "expected {expected:?} in {err}"
    );
    assert_eq!(err.lines().count(), 1, "one sentence: {err}");
    assert_eq!(stdout(&out), "");
    assert!(!root.join(".pgdrift").exists(), "nothing written");
    err
}

#[test]
fn bad_urls_refused_ports_and_unknown_flags_exit_2() {
    let root = project();
    let root = root.path();
    let err = assert_fails(
        root,
        &["snapshot"],
        &[(
            "DATABASE_URL",
            "postgres://app:hunter22@localhost:notaport/db",
        )],
        "invalid database URL postgres://app:***@localhost:notaport/db",
    );
    assert!(!err.contains("hunter22"));
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let refused = format!("postgres://app:hunter22@127.0.0.1:{port}/db?sslmode=disable");
    let err = assert_fails(
        root,
        &["snapshot"],
        &[("DATABASE_URL", &refused)],
        "Connection refused",
    );
    assert!(err.contains("set PGDRIFT_OFFLINE=true"), "{err}");
    assert!(!err.contains("hunter22"));
    assert_fails(
        root,
        &["snapshot", "--database-url", &refused],
        &[],
        &format!("cannot connect to postgres://app:***@127.0.0.1:{port}/db?sslmode=disable"),
    );
    let out = schema_check(root, &["snapshot", "--frobnicate"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("unexpected argument '--frobnicate'"));
    assert_fails(
        root,
        &["snapshot"],
        &[],
        "`snapshot` needs a database: set DATABASE_URL",
    );
    assert_fails(
        root,
        &["introspect"],
        &[],
        "no schema source: set DATABASE_URL",
    );
    assert_fails(
        root,
        &["snapshot"],
        &[
            ("DATABASE_URL", "postgres://h/db"),
            ("PGDRIFT_CONNECT_TIMEOUT", "soon"),
        ],
        "PGDRIFT_CONNECT_TIMEOUT=\"soon\" is not a positive number of seconds",
    );
}

/// The commands that read only the live database (`snapshot`, `watch`)
/// refuse offline mode and name the variable `--test` reads, with the same
/// sentences.
#[test]
fn live_only_commands_refuse_offline_mode_and_name_the_test_variable() {
    let root = project();
    let root = root.path();
    for command in ["snapshot", "watch"] {
        assert_fails(
            root,
            &["--test", command],
            &[("DATABASE_URL", "postgres://h/db")],
            &format!(
                "error: `{command}` needs a database: set TEST_DATABASE_URL (in the environment or a .env file) or pass --database-url\n"
            ),
        );
        for (args, vars) in [
            (vec!["--offline", command], vec![]),
            (vec![command], vec![("PGDRIFT_OFFLINE", "true")]),
        ] {
            let mut vars = vars;
            vars.push(("DATABASE_URL", "postgres://h/db"));
            assert_fails(
                root,
                &args,
                &vars,
                &format!(
                    "error: `{command}` reads the live database, but offline mode is on (--offline or PGDRIFT_OFFLINE=true)\n"
                ),
            );
        }
    }
}

#[test]
fn a_server_that_never_answers_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    // Accepts connections and holds them open without a word.
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            held.push(stream);
        }
    });
    let root = project();
    let url = format!("postgres://app:hunter22@127.0.0.1:{port}/db?sslmode=disable");
    let started = Instant::now();
    let err = assert_fails(
        root.path(),
        &["snapshot"],
        &[("DATABASE_URL", &url), ("PGDRIFT_CONNECT_TIMEOUT", "1")],
        "no answer within 1 second (PGDRIFT_CONNECT_TIMEOUT)",
    );
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "gave up after {:?}",
        started.elapsed()
    );
    assert!(!err.contains("hunter22"));
}

#[test]
fn wrong_password_and_tls_required_from_a_plain_server() {
    let cluster = Cluster::start(&ClusterOptions {
        password_auth: true,
        ..ClusterOptions::default()
    })
    .unwrap();
    let db = cluster.create_database();
    db.execute("CREATE ROLE app LOGIN PASSWORD 'right-horse-battery'");
    let root = project();
    let root = root.path();

    let wrong = db.url_as("app", "Wr0ng-Secret-Pw");
    let wrong = wrong.expose().replace("?sslmode=disable", "");
    let out = schema_check(root, &["snapshot"], &[("DATABASE_URL", &wrong)]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("password authentication failed for user \"app\""),
        "{}",
        stderr(&out)
    );
    assert!(
        !all_output(&out).contains("Wr0ng-Secret-Pw"),
        "{}",
        all_output(&out)
    );
    assert!(!root.join(".pgdrift").exists());

    let right = db.url_as("app", "right-horse-battery");
    let ok = schema_check(root, &["introspect"], &[("DATABASE_URL", right.expose())]);
    assert_eq!(ok.status.code(), Some(0), "{}", stderr(&ok));

    let require = right.expose().replace("sslmode=disable", "sslmode=require");
    let err = assert_fails(
        root,
        &["snapshot"],
        &[("DATABASE_URL", &require)],
        "server does not support TLS",
    );
    assert!(!err.contains("right-horse-battery"));
}

#[test]
fn corrupt_and_newer_snapshots_exit_2_naming_file_and_line() {
    let root = project();
    let path = snapshot_file(root.path());
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(
        &path,
        "{\n  \"format\": 1,\n  \"schemas\": [\n    {\"name\": \"public\",}\n  ]\n}\n",
    )
    .unwrap();
    let out = schema_check(root.path(), &["--offline", "introspect"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "error: snapshot ./.pgdrift/schema.json is corrupt at line 4, column 23: trailing comma; regenerate it with `schema-check snapshot`\n"
    );
    std::fs::write(
        &path,
        "{\n  \"format\": 99,\n  \"schemas\": \"elsewhere\"\n}\n",
    )
    .unwrap();
    let out = schema_check(root.path(), &["introspect"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).starts_with("error: snapshot ./.pgdrift/schema.json line 2 has format 99, but this pgdrift reads format 1"),
        "{}",
        stderr(&out)
    );
    let out = schema_check(
        root.path(),
        &["introspect"],
        &[
            ("PGDRIFT_SNAPSHOT", "elsewhere.json"),
            ("PGDRIFT_OFFLINE", "1"),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("needs the snapshot ./elsewhere.json, which does not exist"),
        "{}",
        stderr(&out)
    );
}
