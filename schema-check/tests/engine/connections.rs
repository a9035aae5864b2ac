//! A server with too many clients: a refused connection (SQLSTATE 53300) is
//! asked again until the connect timeout, so parallel builds on a small
//! database wait for a free connection instead of failing.

use std::process::Stdio;
use std::time::{Duration, Instant};

use schema_check::testing::{Cluster, ClusterOptions, TestDatabase};
use schema_check::Connection;

use crate::{schema_check, schema_check_command, stderr, stdout};

/// A cluster that takes five connections, superusers' included.
fn small_cluster() -> Cluster {
    Cluster::start(&ClusterOptions {
        settings: vec![
            ("max_connections".to_owned(), "5".to_owned()),
            ("superuser_reserved_connections".to_owned(), "0".to_owned()),
        ],
        ..ClusterOptions::default()
    })
    .unwrap()
}

/// `count` open sessions to `db`, taking that many of the server's
/// connections until dropped.
fn hold(db: &TestDatabase, count: usize) -> Vec<Connection> {
    (0..count).map(|_| db.connect()).collect()
}

#[test]
fn parallel_introspects_on_a_small_server_wait_for_a_free_connection() {
    let cluster = small_cluster();
    let db = cluster.create_database();
    db.execute("CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL)");
    let root = tempfile::tempdir().unwrap();
    let url = db.url().expose().to_owned();
    // Four of the five connections are taken until the server has refused
    // one of the eight; then they share the five.
    let held = hold(&db, 4);
    let vars = [
        ("DATABASE_URL", url.as_str()),
        ("PGDRIFT_CONNECT_TIMEOUT", "60"),
    ];
    let children: Vec<_> = (0..8)
        .map(|_| {
            schema_check_command(root.path(), &["introspect"], &vars)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("schema-check starts")
        })
        .collect();
    let refused = || {
        std::fs::read_to_string(cluster.log_path())
            .unwrap_or_default()
            .contains("too many clients")
    };
    let started = Instant::now();
    while !refused() && started.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(held);
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert!(stdout(&out).contains("users"), "{}", stdout(&out));
    }
    assert!(refused(), "the server refused none of them");
}

#[test]
fn a_server_full_for_longer_than_the_connect_timeout_is_an_error() {
    let cluster = small_cluster();
    let db = cluster.create_database();
    let root = tempfile::tempdir().unwrap();
    let url = db.url().expose().to_owned();
    let held = hold(&db, 5);
    let started = Instant::now();
    let out = schema_check(
        root.path(),
        &["introspect"],
        &[
            ("DATABASE_URL", url.as_str()),
            ("PGDRIFT_CONNECT_TIMEOUT", "3"),
        ],
    );
    let took = started.elapsed();
    drop(held);
    assert_eq!(out.status.code(), Some(2), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains("sorry, too many clients already; the server had no free connection within 3 seconds (PGDRIFT_CONNECT_TIMEOUT)"),
        "{err}"
    );
    assert!(
        took >= Duration::from_secs(2) && took < Duration::from_secs(5),
        "gave up after {took:?}"
    );
}
