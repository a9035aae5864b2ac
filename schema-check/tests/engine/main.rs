//! The engine against a real PostgreSQL: introspection, snapshots, the CLI's
//! `introspect` and `snapshot`, connection failures and TLS.

mod build;
mod citus;
mod cli;
mod connections;
mod derive;
mod diagram;
mod draft;
mod extensions;
mod fix;
mod generate;
mod hardening;
mod introspection;
mod krate;
mod locks;
mod tls;
mod verify;
mod workflow;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use schema_check::testing::TestDatabase;

pub const FIXTURE: &str = include_str!("../fixtures/catalog.sql");
/// What PostgreSQL 18 added; loads on 18 and newer only.
pub const FIXTURE_18: &str = include_str!("../fixtures/catalog-18.sql");

/// A project directory with `src/models.rs`, whose commands run against a
/// database.
pub struct Project {
    pub dir: tempfile::TempDir,
    /// The `DATABASE_URL` its commands get.
    pub url: String,
}

impl Project {
    pub fn new(db: &TestDatabase, models: &str) -> Project {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("src")).unwrap();
        std::fs::write(dir.path().join("src/models.rs"), models).unwrap();
        Project {
            dir,
            url: db.url().expose().to_owned(),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, path: &str) -> PathBuf {
        self.root().join(path)
    }

    /// `schema-check` in the project with `DATABASE_URL` and a fixed
    /// `SOURCE_DATE_EPOCH` (2025-11-25).
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_with(args, &[])
    }

    /// [`Project::run`] with more variables.
    pub fn run_with(&self, args: &[&str], vars: &[(&str, &str)]) -> Output {
        let mut all = vec![
            ("DATABASE_URL", self.url.as_str()),
            ("SOURCE_DATE_EPOCH", "1764028800"),
        ];
        all.extend_from_slice(vars);
        schema_check(self.root(), args, &all)
    }

    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.path(path)).unwrap()
    }

    pub fn models(&self) -> String {
        self.read("src/models.rs")
    }
}

/// Runs `schema-check` in `root` with only the given variables set.
pub fn schema_check(root: &Path, args: &[&str], vars: &[(&str, &str)]) -> Output {
    schema_check_command(root, args, vars)
        .output()
        .expect("schema-check runs")
}

/// `schema-check` to run in `root` with only the given variables set.
pub fn schema_check_command(root: &Path, args: &[&str], vars: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_schema-check"));
    command.current_dir(root).args(args);
    for var in [
        "DATABASE_URL",
        "TEST_DATABASE_URL",
        "PGDRIFT_OFFLINE",
        "PGDRIFT_SNAPSHOT",
        "PGDRIFT_CONNECT_TIMEOUT",
    ] {
        command.env_remove(var);
    }
    for (key, value) in vars {
        command.env(key, value);
    }
    command
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Everything a run printed, for "never shows X" assertions.
pub fn all_output(output: &Output) -> String {
    format!("{}{}", stdout(output), stderr(output))
}

/// A file the tests need that we did not write, installed from its package
/// registry into `target/test-assets` by `.ci/test-assets` (run here when
/// the file is missing).
pub fn test_asset(name: &str) -> String {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let path = workspace.join("target/test-assets").join(name);
    if !path.exists() {
        let script = workspace.join(".ci/test-assets");
        let out = Command::new("bash").arg(&script).output();
        if let Ok(out) = &out {
            eprint!("{}", String::from_utf8_lossy(&out.stderr));
        }
    }
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; install it with `.ci/test-assets` (it needs npm and the npm registry)",
            path.display()
        )
    })
}
