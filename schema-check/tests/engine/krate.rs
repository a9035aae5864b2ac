//! A throwaway cargo project depending on this workspace's `pgdrift`, built
//! in trybuild's target directory so dependencies compile once for all tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn workspace() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

pub fn target_dir() -> PathBuf {
    workspace().join("target/tests/trybuild")
}

pub struct TestCrate {
    dir: tempfile::TempDir,
    name: String,
}

impl TestCrate {
    /// A binary crate with `src/main.rs` and, when given, a `build.rs` using
    /// `pgdrift::build`.
    pub fn new(name: &str, main_rs: &str, build_rs: Option<&str>) -> TestCrate {
        TestCrate::with_features(name, main_rs, build_rs, &[])
    }

    /// A binary crate whose derive connects to `DATABASE_URL` itself
    /// (pgdrift's feature `live`), without a build script.
    pub fn live(name: &str, main_rs: &str) -> TestCrate {
        TestCrate::with_features(name, main_rs, None, &["live"])
    }

    fn with_features(
        name: &str,
        main_rs: &str,
        build_rs: Option<&str>,
        features: &[&str],
    ) -> TestCrate {
        let dir = tempfile::Builder::new()
            .prefix(&format!("{name}."))
            .tempdir()
            .unwrap();
        let pgdrift = format!(
            "{{ path = {:?}, features = {features:?} }}",
            workspace().display().to_string()
        );
        let build_deps = match build_rs {
            Some(_) => format!(
                "\n[build-dependencies]\npgdrift = {{ path = {:?}, features = [\"build\"] }}\n",
                workspace().display().to_string()
            ),
            None => String::new(),
        };
        std::fs::write(
            dir.path().join("Cargo.toml"),
            format!(
                "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
                 [dependencies]\npgdrift = {pgdrift}\n\
                 chrono = {{ version = \"0.4\", default-features = false, features = [\"std\"] }}\n{build_deps}\n[workspace]\n"
            ),
        )
        .unwrap();
        std::fs::copy(
            workspace().join("Cargo.lock"),
            dir.path().join("Cargo.lock"),
        )
        .unwrap();
        std::fs::create_dir(dir.path().join("src")).unwrap();
        std::fs::write(dir.path().join("src/main.rs"), main_rs).unwrap();
        if let Some(build_rs) = build_rs {
            std::fs::write(dir.path().join("build.rs"), build_rs).unwrap();
        }
        TestCrate {
            dir,
            name: name.to_owned(),
        }
    }

    /// A crate whose `src/lib.rs` is `lib_rs` (public items raise no
    /// dead-code warnings in a library), depending on pgdrift, chrono and
    /// serde_json.
    pub fn library(name: &str, lib_rs: &str) -> TestCrate {
        let krate = TestCrate::new(name, "fn main() {}\n", None);
        let manifest = krate.path().join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest).unwrap();
        let text = text.replacen(
            "[dependencies]\n",
            "[dependencies]\nserde_json = \"1\"\n",
            1,
        );
        std::fs::write(&manifest, text).unwrap();
        std::fs::write(krate.path().join("src/lib.rs"), lib_rs).unwrap();
        krate
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Rewrites `src/main.rs` unchanged, so cargo recompiles the crate.
    pub fn touch(&self) {
        let main = self.path().join("src/main.rs");
        std::fs::write(&main, std::fs::read(&main).unwrap()).unwrap();
    }

    /// `cargo <args> --offline` with only the given pgdrift variables set.
    pub fn cargo(&self, args: &[&str], vars: &[(&str, &str)]) -> Output {
        let mut command = Command::new(env!("CARGO"));
        command
            .args(args)
            .args(["--offline", "--color=never"])
            .current_dir(self.path())
            .env("CARGO_TARGET_DIR", target_dir());
        for var in [
            "DATABASE_URL",
            "PGDRIFT_OFFLINE",
            "PGDRIFT_SNAPSHOT",
            "PGDRIFT_LOG_LOADS",
            "PGDRIFT_BUILD_SCHEMA",
            "RUSTFLAGS",
        ] {
            command.env_remove(var);
        }
        command.envs(vars.iter().copied()).output().unwrap()
    }

    /// Touches the models, then `cargo build`.
    pub fn build(&self, vars: &[(&str, &str)]) -> Output {
        self.touch();
        self.cargo(&["build", "--quiet"], vars)
    }

    /// Runs the built binary.
    pub fn run_binary(&self) -> String {
        let binary = target_dir().join("debug").join(&self.name);
        let out = Command::new(&binary)
            .output()
            .unwrap_or_else(|e| panic!("{}: {e}", binary.display()));
        String::from_utf8(out.stdout).unwrap()
    }
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The `error: …` lines of a build, for comparing verdicts.
pub fn errors(output: &Output) -> Vec<String> {
    stderr(output)
        .lines()
        .filter(|l| l.starts_with("error: ") && !l.starts_with("error: could not compile"))
        .map(str::to_owned)
        .collect()
}
