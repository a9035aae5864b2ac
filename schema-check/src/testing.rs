//! A real PostgreSQL for tests — ours and yours (feature `testing`).
//!
//! [`database()`] gives each test a fresh, empty database on a shared server:
//! the one `TEST_DATABASE_URL` names (its role must be allowed to create
//! databases), or else a throwaway cluster this process starts once
//! (`initdb` into a temporary directory, 127.0.0.1 on a free port, fsync
//! off; run as the `postgres` user when we are root). A watchdog process
//! stops the cluster and deletes its directory when the test process exits,
//! however it exits. [`Cluster::start`] starts a dedicated cluster for tests
//! that need a particular server setup (TLS, password authentication,
//! statement logging). `PGDRIFT_TEST_PGBIN=DIR` (or
//! [`ClusterOptions::bin_dir`]) runs the server binaries of `DIR` instead of
//! the installed ones, e.g. another PostgreSQL version.
//!
//! ```no_run
//! let db = schema_check::testing::database();
//! db.execute("CREATE TABLE users (id bigint PRIMARY KEY)");
//! let catalog = schema_check::introspect(&db.connect(), None).unwrap();
//! assert_eq!(catalog.relations().count(), 1);
//! ```

use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use crate::live::{ConnectOptions, Connection};
use crate::url::DatabaseUrl;

/// A fresh database on the shared test server, dropped when this value is.
pub fn database() -> TestDatabase {
    server().create_database()
}

/// The shared test server: `TEST_DATABASE_URL`, or a cluster started once per
/// test process.
pub fn server() -> &'static Server {
    static SERVER: OnceLock<Server> = OnceLock::new();
    SERVER.get_or_init(|| match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => Server {
            admin: DatabaseUrl::new(url),
            cluster: None,
        },
        _ => {
            let cluster =
                Cluster::start(&ClusterOptions::default()).unwrap_or_else(|e| panic!("{e}"));
            Server {
                admin: cluster.admin_url(),
                cluster: Some(cluster),
            }
        }
    })
}

/// A server tests may create databases on.
pub struct Server {
    admin: DatabaseUrl,
    cluster: Option<Cluster>,
}

impl Server {
    /// A URL of a role allowed to create databases.
    pub fn admin_url(&self) -> &DatabaseUrl {
        &self.admin
    }

    /// The cluster, when this process started it (not with `TEST_DATABASE_URL`).
    pub fn cluster(&self) -> Option<&Cluster> {
        self.cluster.as_ref()
    }

    pub fn create_database(&self) -> TestDatabase {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let name = format!(
            "pgdrift_test_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        self.create_named_database(&name)
    }

    /// A database of the given name (a plain identifier), e.g. a Citus
    /// worker's twin of the coordinator's.
    fn create_named_database(&self, name: &str) -> TestDatabase {
        execute_on(&self.admin, &format!("CREATE DATABASE {name}"));
        TestDatabase {
            url: self.admin.with_database(name),
            admin: self.admin.clone(),
            name: name.to_owned(),
        }
    }
}

fn connect(url: &DatabaseUrl) -> Connection {
    Connection::open(url, &ConnectOptions::default())
        .unwrap_or_else(|e| panic!("test database: {e}"))
}

fn execute_on(url: &DatabaseUrl, sql: &str) {
    connect(url)
        .batch_execute(sql)
        .unwrap_or_else(|e| panic!("test database: {e}"));
}

/// A database of its own for one test.
pub struct TestDatabase {
    url: DatabaseUrl,
    admin: DatabaseUrl,
    name: String,
}

impl TestDatabase {
    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// This database as another role (`password` may be empty).
    pub fn url_as(&self, user: &str, password: &str) -> DatabaseUrl {
        self.url.with_user(user, password)
    }

    pub fn connect(&self) -> Connection {
        connect(&self.url)
    }

    /// Runs SQL statements; panics with the server's message on failure.
    pub fn execute(&self, sql: &str) {
        execute_on(&self.url, sql);
    }

    /// The server's `server_version_num`, e.g. `180004` for 18.4.
    pub fn server_version_num(&self) -> u32 {
        self.query("SHOW server_version_num")
            .first()
            .cloned()
            .flatten()
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("test database: no server_version_num"))
    }

    /// The first column of each row of `sql`, as text.
    pub fn query(&self, sql: &str) -> Vec<Option<String>> {
        self.connect()
            .query_strings(sql)
            .unwrap_or_else(|e| panic!("test database: {e}"))
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Ok(admin) = Connection::open(&self.admin, &ConnectOptions::default()) {
            let name = &self.name;
            // `WITH (FORCE)` is PostgreSQL 13 and newer; before, end the
            // database's sessions first.
            if admin
                .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .is_err()
            {
                let _ = admin.batch_execute(&format!(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}';
                     DROP DATABASE IF EXISTS {name}"
                ));
            }
        }
    }
}

/// How to set up a dedicated cluster.
#[derive(Debug, Clone, Default)]
pub struct ClusterOptions {
    /// Serve TLS with this certificate and key (PEM).
    pub tls: Option<(String, String)>,
    /// Require a password (SCRAM) from every role but `postgres`.
    pub password_auth: bool,
    /// Extra `postgresql.conf` settings, e.g. `("log_statement", "all")`.
    pub settings: Vec<(String, String)>,
    /// The directory with the server binaries to run (`initdb`, `postgres`);
    /// default: [`bin_dir()`].
    pub bin_dir: Option<PathBuf>,
}

/// A PostgreSQL cluster this process started; stopped and deleted on drop
/// (or by its watchdog when the process exits).
pub struct Cluster {
    dir: PathBuf,
    port: u16,
    bin: PathBuf,
    postgres: Child,
}

impl Cluster {
    /// initdb, configure and start a cluster; wait until it accepts connections.
    pub fn start(options: &ClusterOptions) -> Result<Cluster, String> {
        let bin = match &options.bin_dir {
            Some(dir) => dir.clone(),
            None => bin_dir()?,
        };
        let user = RunAs::detect()?;
        let dir = tempfile::Builder::new()
            .prefix("pgdrift-pg-")
            .tempdir()
            .map_err(|e| format!("cannot create a temporary directory: {e}"))?
            .keep();
        user.own(&dir)?;
        let data = dir.join("data");
        if let Err(e) = initdb(&bin, &data, &user) {
            let _ = fs::remove_dir_all(&dir);
            return Err(e);
        }
        let port = free_port()?;
        configure(options, &dir, &data, &user, port)?;
        let log = fs::File::create(dir.join("postgres.log")).map_err(|e| e.to_string())?;
        let mut postgres = Command::new(bin.join("postgres"));
        postgres
            .arg("-D")
            .arg(&data)
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(|e| e.to_string())?)
            .stderr(log);
        user.apply(&mut postgres);
        let child = postgres
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", bin.join("postgres").display()))?;
        let mut cluster = Cluster {
            dir,
            port,
            bin,
            postgres: child,
        };
        cluster.spawn_watchdog()?;
        cluster
            .wait_ready()
            .map_err(|e| format!("the test PostgreSQL did not start: {e}"))?;
        Ok(cluster)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// The superuser `postgres`, database `postgres`.
    pub fn admin_url(&self) -> DatabaseUrl {
        DatabaseUrl::new(format!(
            "postgres://postgres@127.0.0.1:{}/postgres?sslmode=disable",
            self.port
        ))
    }

    /// The server's log (stderr), e.g. for `log_statement` counts.
    pub fn log_path(&self) -> PathBuf {
        self.dir.join("postgres.log")
    }

    /// The directory with this cluster's PostgreSQL binaries.
    pub fn bin_dir(&self) -> &Path {
        &self.bin
    }

    /// A fresh database on this cluster.
    pub fn create_database(&self) -> TestDatabase {
        Server {
            admin: self.admin_url(),
            cluster: None,
        }
        .create_database()
    }

    fn spawn_watchdog(&self) -> Result<(), String> {
        // Stops postgres and deletes the directory once this process is gone.
        const SCRIPT: &str = r#"trap '' INT HUP
while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 0.2; done
kill -INT "$2" 2>/dev/null
i=0; while kill -0 "$2" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
kill -KILL "$2" 2>/dev/null
rm -rf "$3""#;
        Command::new("sh")
            .args(["-c", SCRIPT, "pgdrift-watchdog"])
            .arg(std::process::id().to_string())
            .arg(self.postgres.id().to_string())
            .arg(&self.dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map(drop)
            .map_err(|e| format!("cannot start the cluster's watchdog: {e}"))
    }

    fn wait_ready(&mut self) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(60);
        let options = ConnectOptions {
            timeout: Duration::from_secs(2),
            ..ConnectOptions::default()
        };
        loop {
            if let Ok(Some(status)) = self.postgres.try_wait() {
                return Err(format!("postgres exited ({status}): {}", self.log_tail()));
            }
            match Connection::open(&self.admin_url(), &options) {
                Ok(_) => return Ok(()),
                Err(e) if Instant::now() > deadline => {
                    return Err(format!("{e}; log: {}", self.log_tail()))
                }
                Err(_) => std::thread::sleep(Duration::from_millis(50)),
            }
        }
    }

    fn log_tail(&self) -> String {
        let log = fs::read_to_string(self.log_path()).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(10)..].join("\n")
    }

    fn stop_postgres(&mut self) {
        let _ = Command::new("kill")
            .args(["-INT", &self.postgres.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.postgres.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.postgres.kill();
        let _ = self.postgres.wait();
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop_postgres();
        let _ = fs::remove_dir_all(&self.dir);
    }
}

/// `initdb` into `data` as `user`: superuser `postgres`, trust, UTF-8, C locale.
fn initdb(bin: &Path, data: &Path, user: &RunAs) -> Result<(), String> {
    let mut initdb = Command::new(bin.join("initdb"));
    initdb
        .args(["-D"])
        .arg(data)
        .args([
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        ])
        .env("LC_ALL", "C");
    user.apply(&mut initdb);
    let output = initdb
        .output()
        .map_err(|e| format!("cannot run {}: {e}", bin.join("initdb").display()))?;
    if !output.status.success() {
        return Err(format!(
            "initdb failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(())
}

/// Writes the cluster's settings (`postgresql.auto.conf`, TLS files,
/// `pg_hba.conf`) for `options`, listening on 127.0.0.1:`port`.
fn configure(
    options: &ClusterOptions,
    dir: &Path,
    data: &Path,
    user: &RunAs,
    port: u16,
) -> Result<(), String> {
    let others = if options.password_auth {
        "scram-sha-256"
    } else {
        "trust"
    };
    let mut conf = String::from(
        "listen_addresses = '127.0.0.1'\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 100\nshared_buffers = 32MB\n",
    );
    conf.push_str(&format!("unix_socket_directories = '{}'\n", dir.display()));
    if let Some((cert, key)) = &options.tls {
        fs::write(data.join("server.crt"), cert).map_err(|e| e.to_string())?;
        fs::write(data.join("server.key"), key).map_err(|e| e.to_string())?;
        owner_only(&data.join("server.key"))?;
        user.own(&data.join("server.crt"))?;
        user.own(&data.join("server.key"))?;
        conf.push_str("ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n");
    }
    if options.password_auth {
        // PostgreSQL 12 and 13 store new passwords as md5 by default,
        // which scram-sha-256 authentication cannot check.
        conf.push_str("password_encryption = 'scram-sha-256'\n");
    }
    for (key, value) in &options.settings {
        conf.push_str(&format!("{key} = '{}'\n", value.replace('\'', "''")));
    }
    let hba = format!(
        "local all all trust\nhost all postgres 127.0.0.1/32 trust\nhost all all 127.0.0.1/32 {others}\n"
    );
    fs::write(data.join("pg_hba.conf"), &hba).map_err(|e| e.to_string())?;
    fs::write(
        data.join("postgresql.auto.conf"),
        format!("{conf}port = {port}\n"),
    )
    .map_err(|e| e.to_string())?;
    Ok(())
}

fn free_port() -> Result<u16, String> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("cannot find a free port: {e}"))
}

/// Makes a file readable by its owner only (PostgreSQL refuses a private key
/// others can read). Elsewhere than Unix, file modes do not exist.
fn owner_only(path: &Path) -> Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600)).map_err(|e| e.to_string())
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(())
    }
}

/// The user the server runs as: ourselves, or `postgres` when we are root
/// on Unix (PostgreSQL refuses to run as root). Elsewhere always ourselves.
struct RunAs(Option<(u32, u32)>);

impl RunAs {
    #[cfg(not(unix))]
    fn detect() -> Result<RunAs, String> {
        Ok(RunAs(None))
    }

    #[cfg(unix)]
    fn detect() -> Result<RunAs, String> {
        let uid = Command::new("id")
            .arg("-u")
            .output()
            .map_err(|e| format!("cannot run `id -u`: {e}"))?;
        if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
            return Ok(RunAs(None));
        }
        let passwd = fs::read_to_string("/etc/passwd").map_err(|e| e.to_string())?;
        passwd
            .lines()
            .find_map(|line| {
                let fields: Vec<&str> = line.split(':').collect();
                (fields.len() > 3 && fields[0] == "postgres")
                    .then(|| Some((fields[2].parse().ok()?, fields[3].parse().ok()?)))
                    .flatten()
            })
            .map(|ids| RunAs(Some(ids)))
            .ok_or_else(|| {
                "running as root, PostgreSQL needs an unprivileged `postgres` user to run the test cluster as: create one (installing Debian's postgresql package does)".to_owned()
            })
    }

    fn apply(&self, command: &mut Command) {
        #[cfg(unix)]
        if let Some((uid, gid)) = self.0 {
            use std::os::unix::process::CommandExt;
            command.uid(uid).gid(gid).env("HOME", "/tmp");
        }
        #[cfg(not(unix))]
        let _ = command;
    }

    fn own(&self, path: &Path) -> Result<(), String> {
        match self.0 {
            #[cfg(unix)]
            Some((uid, gid)) => std::os::unix::fs::chown(path, Some(uid), Some(gid))
                .map_err(|e| format!("cannot chown {}: {e}", path.display())),
            _ => Ok(()),
        }
    }
}

/// The directory with PostgreSQL's server binaries: `PGDRIFT_TEST_PGBIN`
/// (or its older name `PGDRIFT_PG_BIN`), the directory of `initdb` on `PATH`,
/// `pg_config --bindir`, or the newest `/usr/lib/postgresql/*/bin`. Setting
/// the variable runs the tests against another PostgreSQL version.
pub fn bin_dir() -> Result<PathBuf, String> {
    static DIR: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    DIR.get_or_init(find_bin_dir).clone()
}

fn find_bin_dir() -> Result<PathBuf, String> {
    let has_server = |dir: &Path| dir.join("initdb").is_file() && dir.join("postgres").is_file();
    for var in ["PGDRIFT_TEST_PGBIN", "PGDRIFT_PG_BIN"] {
        if let Some(dir) = std::env::var_os(var).filter(|d| !d.is_empty()) {
            let dir = PathBuf::from(dir);
            return if has_server(&dir) {
                Ok(dir)
            } else {
                Err(format!(
                    "{var}={}: no initdb and postgres there",
                    dir.display()
                ))
            };
        }
    }
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let initdb = dir.join("initdb");
            if initdb.is_file() {
                let real = fs::canonicalize(&initdb).unwrap_or(initdb);
                if let Some(real_dir) = real.parent().filter(|d| has_server(d)) {
                    return Ok(real_dir.to_path_buf());
                }
            }
        }
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if out.status.success() && has_server(&dir) {
            return Ok(dir);
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_string_lossy().parse::<u32>().ok()?;
            let dir = entry.path().join("bin");
            has_server(&dir).then_some((version, dir))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, dir)| dir).ok_or_else(|| {
        "no PostgreSQL server binaries (initdb, postgres) on PATH, via `pg_config --bindir`, or under /usr/lib/postgresql/*/bin: install them (Debian/Ubuntu: `apt-get install postgresql`; macOS: `brew install postgresql`), or set TEST_DATABASE_URL to a server whose role may create databases".to_owned()
    })
}

/// A PostgreSQL client program (`pg_dump`, `psql`) matching the server
/// binaries when there are some, else from `PATH`.
pub fn program(name: &str) -> PathBuf {
    bin_dir()
        .map(|dir| dir.join(name))
        .ok()
        .filter(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from(name))
}

/// Citus for tests: a coordinator started with `shared_preload_libraries =
/// 'citus'`, and workers on loopback that the coordinator distributes to.
/// Tests that need it call [`citus_missing`] first and skip, saying so,
/// where Citus is not installed for the server binaries they run.
pub struct CitusCluster {
    coordinator: Cluster,
    workers: Vec<Cluster>,
}

/// Why Citus cannot be run here (`None` when it can): it must be installed
/// into the server binaries' library directory.
pub fn citus_missing() -> Option<String> {
    let bin = match bin_dir() {
        Ok(bin) => bin,
        Err(e) => return Some(e),
    };
    let lib = bin.parent().map(|dir| dir.join("lib").join("citus.so"));
    match lib {
        Some(lib) if lib.is_file() => None,
        _ => Some(format!(
            "Citus is not installed for the PostgreSQL in {} (no lib/citus.so beside it)",
            bin.display()
        )),
    }
}

/// Creates the `citus` extension and waits until the server serves TLS.
/// The first `CREATE EXTENSION citus` on a server writes a certificate,
/// turns `ssl` on and asks the postmaster to reload its configuration,
/// which it does later, on its own; the coordinator connects to its nodes
/// with `sslmode=require`, so a node must serve TLS before it is added.
/// What is waited for is that: a TLS session opening. A reload that read
/// the certificate half-written loads no TLS, so each failed attempt asks
/// for a reload again. Creations take turns within the process, so one
/// database's certificate is never written while another's reload reads
/// it. A server built without TLS (`ssl_ciphers` is `none`) is never
/// waited for.
fn create_citus_extension(db: &TestDatabase) {
    static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|p| p.into_inner());
    db.execute("CREATE EXTENSION citus");
    if db.query("SELECT current_setting('ssl_ciphers') = 'none'") == [Some("t".to_owned())] {
        return;
    }
    let plain = db.url().expose();
    assert!(plain.contains("sslmode=disable"), "{}", db.url());
    let tls = DatabaseUrl::new(plain.replace("sslmode=disable", "sslmode=require"));
    let deadline = Instant::now() + Duration::from_secs(30);
    while let Err(e) = Connection::open(&tls, &ConnectOptions::default()) {
        assert!(
            Instant::now() < deadline,
            "Citus turned TLS on, yet the server does not serve it after 30 s: {e}"
        );
        db.execute("SELECT pg_reload_conf()");
        std::thread::sleep(Duration::from_millis(50));
    }
}

impl CitusCluster {
    /// A coordinator and `workers` workers, each a cluster of its own with
    /// Citus preloaded.
    pub fn start(workers: usize) -> Result<CitusCluster, String> {
        let options = ClusterOptions {
            settings: vec![("shared_preload_libraries".into(), "citus".into())],
            ..ClusterOptions::default()
        };
        let coordinator = Cluster::start(&options)?;
        let workers = (0..workers)
            .map(|_| Cluster::start(&options))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(CitusCluster {
            coordinator,
            workers,
        })
    }

    /// The coordinator, where tables are created and distributed.
    pub fn coordinator(&self) -> &Cluster {
        &self.coordinator
    }

    /// The workers, which hold the shards.
    pub fn workers(&self) -> &[Cluster] {
        &self.workers
    }

    /// A fresh database of the same name on the coordinator and on every
    /// worker, with the `citus` extension in each, the coordinator in
    /// Citus's node list (so that, alone, it holds the shards) and the
    /// workers added to it.
    pub fn create_database(&self) -> CitusDatabase {
        let coordinator = self.coordinator.create_database();
        let workers: Vec<TestDatabase> = self
            .workers
            .iter()
            .map(|worker| {
                let db = Server {
                    admin: worker.admin_url(),
                    cluster: None,
                }
                .create_named_database(coordinator.name());
                create_citus_extension(&db);
                db
            })
            .collect();
        create_citus_extension(&coordinator);
        coordinator.execute(&format!(
            "SELECT citus_set_coordinator_host('127.0.0.1', {})",
            self.coordinator.port()
        ));
        for worker in &self.workers {
            coordinator.execute(&format!(
                "SELECT citus_add_node('127.0.0.1', {})",
                worker.port()
            ));
        }
        if self.workers.is_empty() {
            // A coordinator alone holds the shards itself.
            coordinator.execute(
                "SELECT citus_set_node_property(nodename, nodeport, 'shouldhaveshards', true) \
                 FROM pg_dist_node WHERE groupid = 0",
            );
        }
        CitusDatabase {
            coordinator,
            workers,
        }
    }
}

/// A database on a Citus cluster: the coordinator's, and the same-named one
/// on each worker. Dropped everywhere when this value is.
pub struct CitusDatabase {
    coordinator: TestDatabase,
    workers: Vec<TestDatabase>,
}

impl CitusDatabase {
    /// The workers' databases, which hold the shards.
    pub fn workers(&self) -> &[TestDatabase] {
        &self.workers
    }
}

impl std::ops::Deref for CitusDatabase {
    type Target = TestDatabase;

    /// The coordinator's database.
    fn deref(&self) -> &TestDatabase {
        &self.coordinator
    }
}
