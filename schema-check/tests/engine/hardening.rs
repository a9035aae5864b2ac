//! Hostile and unlucky input: names and comments built to escape, secrets in
//! malformed files, absurd numbers, files nested to overflow a parser,
//! sessions holding locks, servers that stall, writes that fail half-way.
//! Each command must answer with an exit code and a sentence, never leak,
//! hang, crash or lose the user's bytes.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::time::{Duration, Instant};

use schema_check::testing;

use crate::{all_output, schema_check, stderr, stdout};

/// Tables, columns and comments named to clear the screen, inject HTML,
/// forge markers and break Markdown tables.
const HOSTILE: &str = r#"
    CREATE SCHEMA "x.y";
    CREATE SCHEMA x;
    CREATE TABLE "x.y".z (id int PRIMARY KEY);
    CREATE TABLE x."y.z" (id int PRIMARY KEY);
    CREATE TABLE "Order Items" (
        id int PRIMARY KEY,
        "a|b" text DEFAULT 'x|y\z',
        "quote""d" text CHECK ("quote""d" <> '<!-- pgdrift:end public.users -->')
    );
    CREATE TABLE "esc" (id int PRIMARY KEY);
    CREATE TABLE users (id int PRIMARY KEY, bio text);
    COMMENT ON TABLE "esc" IS E'clears \x1b[2J the screen \x07 and sets \x1b]0;title\x07';
    COMMENT ON TABLE users IS E'<script>alert(1)</script>\n<!-- pgdrift:end public.users -->\n# not a heading\n```';
    COMMENT ON COLUMN users.bio IS E'a | pipe, `code`, <b>bold</b>\n<!-- pgdrift:begin public.users -->';
    CREATE TYPE mood AS ENUM ('<!-- pgdrift:end public.mood -->', 'ok|no');
"#;

const MODELS: &str = r#"use pgdrift::Model;

#[derive(Model)]
#[pgdrift(table = "users")]
pub struct User {
    pub id: i32,
    pub bio: Option<i64>,
}
"#;

fn project(models: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(dir.path().join("src/models.rs"), models).unwrap();
    dir
}

fn has_control(text: &str) -> bool {
    text.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
}

#[test]
fn hostile_names_and_comments_never_reach_the_terminal_or_break_the_docs() {
    let db = testing::database();
    db.execute(HOSTILE);
    let dir = project(MODELS);
    let root = dir.path();
    let vars = [("DATABASE_URL", db.url().expose())];

    let introspected = schema_check(root, &["introspect"], &vars);
    assert_eq!(
        introspected.status.code(),
        Some(0),
        "{}",
        all_output(&introspected)
    );
    assert!(!has_control(&all_output(&introspected)));
    assert!(
        stdout(&introspected).contains("\\u{1b}[2J"),
        "shown escaped"
    );

    let compared = schema_check(root, &["compare-db-models"], &vars);
    assert_eq!(compared.status.code(), Some(1), "{}", all_output(&compared));
    assert!(!has_control(&all_output(&compared)));

    let generated = schema_check(root, &["generate-docs"], &vars);
    assert_eq!(
        generated.status.code(),
        Some(0),
        "{}",
        all_output(&generated)
    );
    let docs = std::fs::read_to_string(root.join("docs/database_schema.md")).unwrap();
    assert!(!has_control(&docs));
    assert!(!docs.contains("<script>") && docs.contains("&lt;script&gt;"));
    assert!(!docs.contains("<b>"));
    assert_eq!(
        docs.matches("<!-- pgdrift:").count(),
        2 * docs.matches("<!-- pgdrift:begin").count(),
        "only pgdrift's own markers"
    );
    for marker in [
        "<!-- pgdrift:begin x%2Ey.z -->",
        "<!-- pgdrift:begin x.y%2Ez -->",
        "<!-- pgdrift:begin public.Order%20Items -->",
    ] {
        assert!(docs.contains(marker), "{marker} in {docs}");
    }
    for row in docs.lines().filter(|l| l.starts_with("| `")) {
        let cells = row.split(" | ").count();
        assert_eq!(cells, 7, "seven cells in {row}");
    }

    let again = schema_check(root, &["generate-docs"], &vars);
    assert_eq!(again.status.code(), Some(0), "{}", all_output(&again));
    assert!(
        stdout(&again).contains("is up to date"),
        "{}",
        stdout(&again)
    );
    let validated = schema_check(root, &["validate"], &vars);
    assert_eq!(
        validated.status.code(),
        Some(0),
        "{}",
        all_output(&validated)
    );
}

#[test]
fn a_malformed_env_line_never_shows_its_value() {
    let dir = project("");
    std::fs::write(
        dir.path().join(".env"),
        "OTHER=1\nDATABASE_URL=\"postgres://u:SECRET@h/db\n",
    )
    .unwrap();
    let out = schema_check(dir.path(), &["introspect"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let text = all_output(&out);
    assert!(!text.contains("SECRET"), "{text}");
    assert!(
        text.contains(".env line 2: the value of DATABASE_URL is malformed"),
        "{text}"
    );

    std::fs::remove_file(dir.path().join(".env")).unwrap();
    std::fs::write(
        dir.path().join("pgdrift.toml"),
        "schemas = \"postgres://u:SECRET2@h/db\"\n",
    )
    .unwrap();
    let out = schema_check(dir.path(), &["introspect"], &[]);
    assert_eq!(out.status.code(), Some(2));
    let text = all_output(&out);
    assert!(!text.contains("SECRET2"), "{text}");
    assert!(text.contains("pgdrift.toml line 1"), "{text}");
}

#[test]
fn absurd_timeouts_and_intervals_are_refused_with_a_sentence() {
    let dir = project("");
    for (var, value) in [
        ("PGDRIFT_CONNECT_TIMEOUT", "1e20"),
        ("PGDRIFT_CONNECT_TIMEOUT", "18446744073709551616"),
        ("PGDRIFT_QUERY_TIMEOUT", "1e300"),
        ("PGDRIFT_QUERY_TIMEOUT", "-1"),
        ("PGDRIFT_QUERY_TIMEOUT", "NaN"),
    ] {
        let out = schema_check(
            dir.path(),
            &["introspect"],
            &[
                ("DATABASE_URL", "postgres://u@127.0.0.1:9/db"),
                (var, value),
            ],
        );
        assert_eq!(
            out.status.code(),
            Some(2),
            "{var}={value}: {}",
            all_output(&out)
        );
        assert!(
            stderr(&out).starts_with(&format!("error: {var}=")),
            "{}",
            stderr(&out)
        );
    }
    for interval in ["1e19", "0", "-3", "inf"] {
        let out = schema_check(
            dir.path(),
            &["watch", "--interval", interval],
            &[("DATABASE_URL", "postgres://u@127.0.0.1:9/db")],
        );
        assert_eq!(
            out.status.code(),
            Some(2),
            "{interval}: {}",
            all_output(&out)
        );
    }
}

#[test]
fn files_nested_too_deep_are_reported_and_the_others_still_checked() {
    let db = testing::database();
    db.execute("CREATE TABLE users (id int PRIMARY KEY, bio text)");
    let dir = project(MODELS);
    let root = dir.path();
    let deep = format!(
        "fn f() {{ let x = {}1{}; }}\n",
        "(".repeat(20_000),
        ")".repeat(20_000)
    );
    std::fs::write(root.join("src/deep.rs"), deep).unwrap();
    let chain = format!("fn g() {{ let x = {}1; }}\n", "1 + ".repeat(60_000));
    std::fs::write(root.join("src/chain.rs"), chain).unwrap();
    let types = format!(
        "type T = {}u8{};\n",
        "Vec<".repeat(3_000),
        ">".repeat(3_000)
    );
    std::fs::write(root.join("src/types.rs"), types).unwrap();
    let vars = [("DATABASE_URL", db.url().expose())];
    for command in ["compare-db-models", "generate-docs", "compare-models-doc"] {
        let out = schema_check(root, &[command], &vars);
        let text = all_output(&out);
        assert_eq!(out.status.code(), Some(2), "{command}: {text}");
        assert!(text.contains("cannot parse src/chain.rs line 1"), "{text}");
        assert!(text.contains("cannot parse src/deep.rs line 1"), "{text}");
        assert!(
            !text.contains("src/types.rs"),
            "a deep but legal type is read: {text}"
        );
    }
    let compared = schema_check(root, &["compare-db-models"], &vars);
    assert!(
        stdout(&compared).contains("column \"users.bio\" is `text`, which `i64` does not fit"),
        "the readable files are still checked: {}",
        all_output(&compared)
    );
    assert!(!root.join("docs").exists(), "generate-docs wrote nothing");
}

#[test]
fn a_lock_held_by_another_session_bounds_the_wait_and_names_the_table() {
    let db = testing::database();
    // A check is printed with its table open, so the lock makes that wait.
    db.execute("CREATE TABLE busy (id int PRIMARY KEY, n int CHECK (n > 0))");
    let holder = db.connect();
    holder
        .batch_execute("BEGIN; LOCK TABLE busy IN ACCESS EXCLUSIVE MODE")
        .unwrap();
    let dir = project("");
    let started = Instant::now();
    let out = schema_check(
        dir.path(),
        &["snapshot"],
        &[
            ("DATABASE_URL", db.url().expose()),
            ("PGDRIFT_QUERY_TIMEOUT", "1"),
        ],
    );
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(2), "{}", all_output(&out));
    let err = stderr(&out);
    assert!(
        err.contains("another session holds a lock on busy"),
        "{err}"
    );
    assert!(
        err.contains("PGDRIFT_QUERY_TIMEOUT") && err.contains("PGDRIFT_OFFLINE=true"),
        "{err}"
    );
    assert!(took < Duration::from_secs(15), "gave up after {took:?}");
    holder.batch_execute("ROLLBACK").unwrap();
}

/// Relays a client to `server` until the server first says it is ready for
/// a query, then stops relaying its answers: a server that stalls after
/// authentication.
fn stalling_proxy(server: std::net::SocketAddr) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let Ok(upstream) = TcpStream::connect(server) else {
                continue;
            };
            let (mut c_read, mut u_write) =
                (client.try_clone().unwrap(), upstream.try_clone().unwrap());
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut c_read, &mut u_write);
            });
            let (mut u_read, mut c_write) = (upstream, client);
            std::thread::spawn(move || {
                let mut seen = Vec::new();
                let mut buf = [0u8; 8192];
                while let Ok(n) = u_read.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    seen.extend_from_slice(&buf[..n]);
                    if c_write.write_all(&buf[..n]).is_err() {
                        break;
                    }
                    if seen.windows(6).any(|w| w == b"Z\0\0\0\x05I") {
                        // Ready for a query: from now on, silence.
                        std::thread::sleep(Duration::from_secs(60));
                        break;
                    }
                }
            });
        }
    });
    port
}

#[test]
fn a_server_that_stalls_after_authentication_is_given_up_on_in_time() {
    let db = testing::database();
    let url = db.url().expose().to_owned();
    let authority = url.split('@').nth(1).unwrap().split('/').next().unwrap();
    let server: std::net::SocketAddr = authority.parse().unwrap();
    let port = stalling_proxy(server);
    let proxied = url.replace(authority, &format!("127.0.0.1:{port}"));
    let proxied = if proxied.contains('?') {
        format!("{proxied}&sslmode=disable")
    } else {
        format!("{proxied}?sslmode=disable")
    };
    let dir = project("");
    let started = Instant::now();
    let out = schema_check(
        dir.path(),
        &["introspect"],
        &[
            ("DATABASE_URL", proxied.as_str()),
            ("PGDRIFT_QUERY_TIMEOUT", "1"),
        ],
    );
    let took = started.elapsed();
    assert_eq!(out.status.code(), Some(2), "{}", all_output(&out));
    let err = stderr(&out);
    assert!(
        err.contains("no answer within 1 second (PGDRIFT_QUERY_TIMEOUT)"),
        "{err}"
    );
    assert!(err.contains("PGDRIFT_OFFLINE=true"), "{err}");
    assert!(took < Duration::from_secs(10), "gave up after {took:?}");
}

/// Runs `schema-check` with `locked` not writable for it: as root, as the
/// `postgres` user (who owns everything else in `root`); otherwise with
/// `locked` made read-only for the duration.
fn without_write_permission(
    locked: &Path,
    root: &Path,
    args: &[&str],
    vars: &[(&str, &str)],
) -> std::process::Output {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_schema-check"));
    command
        .current_dir(root)
        .args(args)
        .envs(vars.iter().copied());
    for var in ["PGDRIFT_OFFLINE", "PGDRIFT_SNAPSHOT", "TEST_DATABASE_URL"] {
        command.env_remove(var);
    }
    let postgres = std::fs::read_to_string("/etc/passwd")
        .unwrap_or_default()
        .lines()
        .find_map(|l| {
            l.strip_prefix("postgres:x:")?
                .split(':')
                .next()?
                .parse::<u32>()
                .ok()
        });
    let is_root = std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
    match (is_root, postgres) {
        (true, Some(uid)) => {
            let chown = |path: &Path| {
                std::process::Command::new("chown")
                    .args(["-R", &uid.to_string()])
                    .arg(path)
                    .status()
                    .unwrap()
            };
            std::fs::set_permissions(root, std::fs::Permissions::from_mode(0o755)).unwrap();
            for entry in std::fs::read_dir(root).unwrap().flatten() {
                if entry.path() != locked {
                    chown(&entry.path());
                }
            }
            command.uid(uid).output().unwrap()
        }
        _ => {
            let before = std::fs::metadata(locked).unwrap().permissions();
            std::fs::set_permissions(locked, std::fs::Permissions::from_mode(0o555)).unwrap();
            let out = command.output().unwrap();
            std::fs::set_permissions(locked, before).unwrap();
            out
        }
    }
}

fn changelog_project(db: &testing::TestDatabase) -> tempfile::TempDir {
    let dir = project("");
    let vars = [("DATABASE_URL", db.url().expose())];
    let out = schema_check(dir.path(), &["snapshot"], &vars);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    dir
}

#[test]
fn changelog_keeps_old_bytes_and_writes_nothing_when_it_cannot_finish() {
    let db = testing::database();
    db.execute("CREATE TABLE t (id int)");
    let dir = changelog_project(&db);
    let root = dir.path();
    let log = root.join("docs/pgdb_changes.md");
    std::fs::create_dir_all(log.parent().unwrap()).unwrap();
    let old: &[u8] = b"# Changes\r\n\r\ncaf\xe9 au lait\r\n";
    std::fs::write(&log, old).unwrap();
    db.execute("ALTER TABLE t ADD COLUMN note text");
    let vars = [
        ("DATABASE_URL", db.url().expose()),
        ("SOURCE_DATE_EPOCH", "1764028800"),
    ];

    // The snapshot cannot be written: its directory is not writable for the
    // user running the command (as root, the `postgres` user runs it).
    let pgdrift_dir = root.join(".pgdrift");
    let failed = without_write_permission(&pgdrift_dir, root, &["changelog", "-m", "notes"], &vars);
    assert_eq!(failed.status.code(), Some(2), "{}", all_output(&failed));
    assert!(stderr(&failed).contains(".pgdrift"), "{}", stderr(&failed));
    assert_eq!(std::fs::read(&log).unwrap(), old, "the log is as it was");

    let done = schema_check(root, &["changelog", "-m", "notes"], &vars);
    assert_eq!(done.status.code(), Some(0), "{}", all_output(&done));
    let written = std::fs::read(&log).unwrap();
    assert!(written.starts_with(old), "old bytes untouched");
    let entry = String::from_utf8(written[old.len()..].to_vec()).unwrap();
    assert!(
        entry.starts_with("\r\n## 2025-11-25 — notes\r\n"),
        "{entry:?}"
    );
    assert_eq!(entry.matches("## ").count(), 1, "one entry: {entry:?}");
    assert!(
        !entry.replace("\r\n", "").contains('\n'),
        "CRLF kept: {entry:?}"
    );
    let leftovers: Vec<_> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary files: {leftovers:?}");
    assert!(Path::new(&log).exists());
}

#[test]
fn slow_introspection_shows_progress_on_a_terminal_only() {
    let db = testing::database();
    // A check is printed with its table open, so the lock makes that wait.
    db.execute("CREATE TABLE busy (id int PRIMARY KEY, n int CHECK (n > 0))");
    let holder = db.connect();
    holder
        .batch_execute("BEGIN; LOCK TABLE busy IN ACCESS EXCLUSIVE MODE")
        .unwrap();
    let dir = project("");
    let vars = [
        ("DATABASE_URL", db.url().expose()),
        ("PGDRIFT_QUERY_TIMEOUT", "2"),
    ];
    let piped = schema_check(dir.path(), &["snapshot"], &vars);
    assert!(
        !stderr(&piped).contains("reading the schema…") && !stderr(&piped).contains('\r'),
        "no progress line in a pipe: {}",
        stderr(&piped)
    );
    // A pseudo-terminal from util-linux's `script`: stderr is a terminal.
    let on_terminal = std::process::Command::new("script")
        .args([
            "-qec",
            &format!("{} snapshot", env!("CARGO_BIN_EXE_schema-check")),
            "/dev/null",
        ])
        .current_dir(dir.path())
        .envs(vars)
        .output()
        .expect("`script` (util-linux) runs");
    let seen = String::from_utf8_lossy(&on_terminal.stdout);
    assert!(seen.contains("reading the schema…"), "{seen}");
    assert!(
        seen.contains("another session holds a lock on busy"),
        "{seen}"
    );
    holder.batch_execute("ROLLBACK").unwrap();
}
