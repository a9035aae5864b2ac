//! Connecting to PostgreSQL: the one module (with [`mod@crate::introspect`]) that
//! talks to a server.
//!
//! The connect timeout bounds the whole startup (TCP, TLS, authentication),
//! not only the socket connect, so a server that accepts the connection and
//! never answers cannot hang a build. TLS (the `sslmode` settings, the
//! certificates) is in the `tls` submodule; trying statements inside a
//! transaction that is always rolled back (verifying a draft) in `trial`.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use rustls::ClientConfig;
use tokio_postgres::config::SslMode as DriverSslMode;
use tokio_postgres::error::SqlState;

use crate::error::{Error, Result};
use crate::url::{query_options, DatabaseUrl};

mod retry;
mod tls;
// Trying statements serves verifying drafts (`discover`) and tests only.
#[cfg(any(feature = "discover", feature = "testing"))]
mod trial;

pub use tls::SslMode;
use tls::TlsSettings;
#[cfg(any(feature = "discover", feature = "testing"))]
pub(crate) use trial::Trial;

/// The end of a connection or query error: what to do when the database
/// cannot be read.
pub(crate) const OFFLINE_HINT: &str =
    "; to check against the committed snapshot instead, set PGDRIFT_OFFLINE=true";

/// Options for [`Connection::open`].
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    /// Bounds the whole connection startup (`PGDRIFT_CONNECT_TIMEOUT`).
    pub timeout: Duration,
    /// Bounds every query once connected, and every wait behind another
    /// session's lock (`PGDRIFT_QUERY_TIMEOUT`).
    pub query_timeout: Duration,
    /// Relative `sslrootcert`, `sslcert` and `sslkey` paths resolve here
    /// (the project root), not against the current directory.
    pub base_dir: PathBuf,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        ConnectOptions {
            timeout: crate::config::DEFAULT_CONNECT_TIMEOUT,
            query_timeout: crate::config::DEFAULT_QUERY_TIMEOUT,
            base_dir: PathBuf::from("."),
        }
    }
}

impl ConnectOptions {
    /// The timeouts `env` sets (`PGDRIFT_CONNECT_TIMEOUT`,
    /// `PGDRIFT_QUERY_TIMEOUT`), relative paths resolved in `base_dir`.
    pub fn from_env(env: &crate::config::Env, base_dir: &Path) -> Result<ConnectOptions> {
        Ok(ConnectOptions {
            timeout: env.connect_timeout()?,
            query_timeout: env.query_timeout()?,
            base_dir: base_dir.to_path_buf(),
        })
    }
}

/// A live, read-only session with a database.
pub struct Connection {
    runtime: tokio::runtime::Runtime,
    client: tokio_postgres::Client,
    url: DatabaseUrl,
    target: Target,
    timeout: Duration,
    query_timeout: Duration,
}

/// What [`Connection::open`] connected to, to open a sibling session.
#[derive(Clone)]
struct Target {
    config: tokio_postgres::Config,
    tls: Option<ClientConfig>,
    /// `sslmode=prefer`: a failed TLS handshake is retried without TLS, as
    /// libpq does (a server without TLS at all is handled by the driver).
    plain_fallback: bool,
}

impl Target {
    async fn connect(&self) -> std::result::Result<tokio_postgres::Client, tokio_postgres::Error> {
        Ok(match &self.tls {
            None => {
                let (client, connection) = self.config.connect(tokio_postgres::NoTls).await?;
                tokio::spawn(connection);
                client
            }
            Some(tls) => {
                let connector = tokio_postgres_rustls::MakeRustlsConnect::new(tls.clone());
                match self.config.connect(connector).await {
                    Ok((client, connection)) => {
                        tokio::spawn(connection);
                        client
                    }
                    Err(e)
                        if self.plain_fallback
                            && e.to_string().starts_with("error performing TLS handshake") =>
                    {
                        let mut plain = self.config.clone();
                        plain.ssl_mode(DriverSslMode::Disable);
                        let (client, connection) = plain.connect(tokio_postgres::NoTls).await?;
                        tokio::spawn(connection);
                        client
                    }
                    Err(e) => return Err(e),
                }
            }
        })
    }
}

impl Connection {
    /// Connects, giving up after `options.timeout`; a server with too many
    /// clients is asked again until then.
    pub fn open(url: &DatabaseUrl, options: &ConnectOptions) -> Result<Connection> {
        let (mut config, tls) = parse(url, &options.base_dir)?;
        let plain_fallback = config.get_ssl_mode() == DriverSslMode::Prefer;
        if config.get_application_name().is_none() {
            config.application_name("pgdrift");
        }
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::Connect(format!("cannot start the network runtime: {e}")))?;
        let fail = |reason: String| {
            Error::Connect(format!("cannot connect to {url}: {reason}{OFFLINE_HINT}",))
        };
        let target = Target {
            config,
            tls,
            plain_fallback,
        };
        let connecting = target.connect_when_room(options.timeout);
        let client = runtime
            .block_on(async { tokio::time::timeout(options.timeout, connecting).await })
            .map_err(|_| {
                fail(format!(
                    "no answer within {} (PGDRIFT_CONNECT_TIMEOUT)",
                    seconds(options.timeout)
                ))
            })?
            .map_err(|e| {
                let mut reason = url.scrub(&describe(&e));
                if retry::too_many_clients(&e) {
                    reason.push_str(&format!(
                        "; the server had no free connection within {} (PGDRIFT_CONNECT_TIMEOUT)",
                        seconds(options.timeout)
                    ));
                }
                fail(reason)
            })?;
        Ok(Connection {
            runtime,
            client,
            url: url.clone(),
            target,
            timeout: options.timeout,
            query_timeout: options.query_timeout,
        })
    }

    /// The URL this connection was opened with (displayed redacted).
    pub fn url(&self) -> &DatabaseUrl {
        &self.url
    }

    /// Opens a second session to the same database (for work in parallel),
    /// or `None` when that fails or takes longer than the connect timeout.
    /// A full server is not asked again: the work goes on in one session.
    pub(crate) async fn sibling(&self) -> Option<tokio_postgres::Client> {
        tokio::time::timeout(self.timeout, self.target.connect())
            .await
            .ok()?
            .ok()
    }

    /// How long a query may run or wait for a lock.
    pub fn query_timeout(&self) -> Duration {
        self.query_timeout
    }

    /// Runs `work` on the driver client, bounded by the query timeout (with
    /// a second's grace, so that the server's own `statement_timeout` and
    /// `lock_timeout`, which say more, come first).
    pub(crate) fn run<T>(
        &self,
        work: impl AsyncFnOnce(&tokio_postgres::Client) -> std::result::Result<T, tokio_postgres::Error>,
    ) -> Result<T> {
        let client = &self.client;
        let limit = self.query_timeout + Duration::from_millis(1500);
        let offline = OFFLINE_HINT;
        let outcome = self
            .runtime
            .block_on(async { tokio::time::timeout(limit, work(client)).await })
            .map_err(|_| {
                Error::Query(format!(
                    "{}: no answer within {} (PGDRIFT_QUERY_TIMEOUT){offline}",
                    self.url,
                    seconds(self.query_timeout)
                ))
            })?;
        outcome.map_err(|e| {
            let code = e.code();
            if code == Some(&SqlState::LOCK_NOT_AVAILABLE) {
                let held = self.exclusive_locks().unwrap_or_default();
                let which = if held.is_empty() {
                    "a table".to_owned()
                } else {
                    held.join(", ")
                };
                Error::Query(self.url.scrub(&format!(
                    "{}: another session holds a lock on {which}, and reading the schema waited for it {} (PGDRIFT_QUERY_TIMEOUT){offline}",
                    self.url,
                    seconds(self.query_timeout)
                )))
            } else if code == Some(&SqlState::QUERY_CANCELED) {
                Error::Query(format!(
                    "{}: the catalog query ran longer than {} (PGDRIFT_QUERY_TIMEOUT){offline}",
                    self.url,
                    seconds(self.query_timeout)
                ))
            } else {
                Error::Query(format!("{}: {}", self.url, self.url.scrub(&describe(&e))))
            }
        })
    }

    /// Runs `work` on the driver client for at most `limit`, its error left
    /// as the driver's: `None` when the time ran out. The work is then
    /// dropped, perhaps mid-query, and the server asked to cancel it.
    #[cfg(any(feature = "discover", feature = "testing"))]
    fn within<T>(
        &self,
        limit: Duration,
        work: impl AsyncFnOnce(&tokio_postgres::Client) -> std::result::Result<T, tokio_postgres::Error>,
    ) -> Option<std::result::Result<T, tokio_postgres::Error>> {
        let client = &self.client;
        let outcome = self
            .runtime
            .block_on(async { tokio::time::timeout(limit, work(client)).await })
            .ok();
        if outcome.is_none() {
            self.cancel();
        }
        outcome
    }

    /// Asks the server to cancel what this session runs, waiting at most
    /// the connect timeout; a cancel that fails changes nothing.
    #[cfg(any(feature = "discover", feature = "testing"))]
    fn cancel(&self) {
        let token = self.client.cancel_token();
        let cancel = async {
            match &self.target.tls {
                None => token.cancel_query(tokio_postgres::NoTls).await,
                Some(tls) => {
                    let connector = tokio_postgres_rustls::MakeRustlsConnect::new(tls.clone());
                    token.cancel_query(connector).await
                }
            }
        };
        let _ = self
            .runtime
            .block_on(async { tokio::time::timeout(self.timeout, cancel).await });
    }

    /// The relations other sessions hold or request exclusive locks on,
    /// each with the session, for an error that says which one a read
    /// waited for and who holds it.
    fn exclusive_locks(&self) -> Option<Vec<String>> {
        let sql = concat!(
            "ROLLBACK; SELECT l.relation::regclass::text AS relation, l.pid::text AS pid, \
             l.application_name, l.since FROM (",
            exclusive_locks!(),
            ") l ORDER BY 1"
        );
        let client = &self.client;
        let messages = self
            .runtime
            .block_on(async {
                tokio::time::timeout(Duration::from_secs(5), client.simple_query(sql)).await
            })
            .ok()?
            .ok()?;
        Some(
            messages
                .into_iter()
                .filter_map(|m| match m {
                    tokio_postgres::SimpleQueryMessage::Row(row) => {
                        let holder = LockHolder {
                            pid: row.get("pid").and_then(|pid| pid.parse().ok()),
                            application: row.get("application_name").map(str::to_owned),
                            since: row.get("since").map(str::to_owned),
                        };
                        let name = row.get("relation")?;
                        Some(crate::escape::one_line(&format!("{name} ({holder})")).into_owned())
                    }
                    _ => None,
                })
                .collect(),
        )
    }

    /// What tells this database from every other one, whatever URL reached
    /// it: its server's start time and its own oid. Two URLs that name one
    /// database (`localhost` and `127.0.0.1`, a pooler and the server behind
    /// it) give the same identity; two servers started at the same
    /// microsecond would be needed to give two databases the same one.
    /// Readable by every role; changes nothing.
    pub fn database_identity(&self) -> Result<String> {
        const IDENTITY: &str =
            "SELECT pg_catalog.pg_postmaster_start_time()::text || ' ' || d.oid::text \
             FROM pg_catalog.pg_database d WHERE d.datname = pg_catalog.current_database()";
        let messages = self.run(async |client| client.simple_query(IDENTITY).await)?;
        let identity = messages.into_iter().find_map(|m| match m {
            tokio_postgres::SimpleQueryMessage::Row(row) => row.get(0).map(str::to_owned),
            _ => None,
        });
        Ok(identity.unwrap_or_default())
    }

    /// Runs SQL statements (tests and the harness only: pgdrift itself never
    /// writes to a database).
    #[cfg(feature = "testing")]
    pub fn batch_execute(&self, sql: &str) -> Result<()> {
        self.run(async |client| client.batch_execute(sql).await)
    }

    /// Runs a query and returns the first column of every row as text.
    #[cfg(feature = "testing")]
    pub fn query_strings(&self, sql: &str) -> Result<Vec<Option<String>>> {
        let messages = self.run(async |client| client.simple_query(sql).await)?;
        Ok(messages
            .into_iter()
            .filter_map(|m| match m {
                tokio_postgres::SimpleQueryMessage::Row(row) => Some(row.get(0).map(str::to_owned)),
                _ => None,
            })
            .collect())
    }
}

fn seconds(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs == 1.0 {
        "1 second".to_owned()
    } else {
        format!("{secs} seconds")
    }
}

/// The driver's error in one line, with the server's message when there is one.
fn describe(err: &tokio_postgres::Error) -> String {
    if let Some(db) = err.as_db_error() {
        return match db.hint() {
            Some(hint) => format!("{} ({hint})", db.message()),
            None => db.message().to_owned(),
        };
    }
    // rustls words every error a verifier reports in its own words as
    // "unexpected"; ours are expected and say themselves what they are.
    let mut text = err
        .to_string()
        .replace("unexpected error: sslmode=", "sslmode=");
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        let cause_text = cause
            .to_string()
            .replace("unexpected error: sslmode=", "sslmode=");
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// Whether `a` and `b` name the same database, as far as their text tells:
/// the same hosts, ports (5432 when none is given) and database name (the
/// user's name when none is given). Host names are compared as written, so
/// `localhost` and `127.0.0.1` differ; a URL that does not parse names no
/// database here.
pub fn same_database(a: &DatabaseUrl, b: &DatabaseUrl) -> bool {
    let here = Path::new(".");
    let target = |url: &DatabaseUrl| {
        let (config, _) = parse(url, here).ok()?;
        let mut ports = config.get_ports().to_vec();
        if ports.is_empty() {
            ports.push(5432);
        }
        let database = config.get_dbname().or(config.get_user())?.to_owned();
        Some((format!("{:?}", config.get_hosts()), ports, database))
    };
    matches!((target(a), target(b)), (Some(x), Some(y)) if x == y)
}

/// Splits the TLS settings off the URL, then lets tokio-postgres parse the rest.
fn parse(
    url: &DatabaseUrl,
    base_dir: &Path,
) -> Result<(tokio_postgres::Config, Option<ClientConfig>)> {
    let raw = url.expose();
    let invalid = |reason: String| {
        let reason = crate::url::redact_text(&url.scrub(&reason));
        Error::Config(format!("invalid database URL {url}: {reason}"))
    };
    let mut tls = TlsSettings {
        mode: SslMode::Prefer,
        root_cert: None,
        cert: None,
        key: None,
    };
    let driver_text = if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
        let (base, query) = raw.split_once('?').unwrap_or((raw, ""));
        let mut kept = Vec::new();
        for option in query_options(query) {
            let decoded = || option.value().map_err(|e| invalid(e.to_string()));
            match &*option.name() {
                "sslmode" => {
                    tls.mode = decoded()?.parse().map_err(|()| {
                        invalid(format!(
                            "sslmode={} is not one of disable, allow, prefer, require, verify-ca, verify-full",
                            option.raw_value.unwrap_or_default()
                        ))
                    })?
                }
                "sslrootcert" => tls.root_cert = Some(base_dir.join(decoded()?)),
                "sslcert" => tls.cert = Some(base_dir.join(decoded()?)),
                "sslkey" => tls.key = Some(base_dir.join(decoded()?)),
                _ => kept.push(option.text),
            }
        }
        if kept.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{}", kept.join("&"))
        }
    } else if raw.contains("://") {
        return Err(invalid(
            "the scheme must be postgres:// or postgresql://".to_owned(),
        ));
    } else {
        if raw.contains("verify-ca") || raw.contains("verify-full") || raw.contains("sslrootcert") {
            return Err(invalid(
                "certificate verification needs the URL form, e.g. postgres://user@host/db?sslmode=verify-full&sslrootcert=ca.pem".to_owned(),
            ));
        }
        raw.to_owned()
    };
    let mut config = tokio_postgres::Config::from_str(&driver_text)
        .map_err(|e| invalid(url.scrub(&describe(&e))))?;
    if config.get_hosts().is_empty() {
        return Err(invalid("it names no host".to_owned()));
    }
    if !raw.contains("://") {
        tls.mode = match config.get_ssl_mode() {
            DriverSslMode::Disable => SslMode::Disable,
            DriverSslMode::Require => SslMode::Require,
            _ => SslMode::Prefer,
        };
    }
    config.ssl_mode(match tls.mode {
        SslMode::Disable => DriverSslMode::Disable,
        SslMode::Prefer => DriverSslMode::Prefer,
        SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => DriverSslMode::Require,
    });
    let client_config = match tls.mode {
        SslMode::Disable => None,
        _ => Some(tls::client_config(&tls)?),
    };
    Ok((config, client_config))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(url: &str) -> (tokio_postgres::Config, Option<ClientConfig>) {
        parse(&DatabaseUrl::new(url), Path::new("/project")).unwrap()
    }

    #[test]
    fn same_database_compares_host_port_and_database_not_credentials() {
        let same = |a: &str, b: &str| same_database(&DatabaseUrl::new(a), &DatabaseUrl::new(b));
        assert!(same(
            "postgres://app:secret@db:5432/shop?sslmode=require",
            "postgres://tester@db/shop"
        ));
        assert!(same("postgres://shop@db", "host=db port=5432 dbname=shop"));
        assert!(!same("postgres://u@db/shop", "postgres://u@db/shop_test"));
        assert!(!same("postgres://u@db/shop", "postgres://u@db:5433/shop"));
        assert!(!same("postgres://u@db/shop", "postgres://u@other/shop"));
        assert!(!same("postgres://u@db/shop", "not a url"));
    }

    proptest::proptest! {
        #[test]
        fn any_url_parses_or_says_why_without_its_password(
            scheme in "(postgres|postgresql|mysql|)(://)?",
            user in "[^\u{0}@/:]{0,8}",
            host in "[^\u{0}@/]{0,12}",
            rest in "[^\u{0}]{0,30}",
            secret in "[A-Za-z0-9]{10}",
        ) {
            let raw = format!("{scheme}{user}:{secret}@{host}/{rest}");
            if let Err(e) = parse(&DatabaseUrl::new(raw.as_str()), Path::new("/project")) {
                let message = e.to_string();
                proptest::prop_assert!(message.starts_with("invalid database URL"), "{}", message);
                proptest::prop_assert!(!message.contains(&secret), "{}", message);
            }
            let key_values = format!("host={host} password={secret} {rest}");
            if let Err(e) = parse(&DatabaseUrl::new(key_values.as_str()), Path::new("/p")) {
                proptest::prop_assert!(!e.to_string().contains(&secret), "{}", e);
            }
        }
    }

    fn parse_err(url: &str) -> String {
        parse(&DatabaseUrl::new(url), Path::new("/project"))
            .map(|_| ())
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn ssl_settings_are_taken_out_before_the_driver_parses() {
        let (config, tls) = parse_ok("postgres://u:pw@h:5433/db?sslmode=disable&connect_timeout=3");
        assert_eq!(config.get_ssl_mode(), DriverSslMode::Disable);
        assert_eq!(config.get_ports(), &[5433]);
        assert_eq!(config.get_connect_timeout(), Some(&Duration::from_secs(3)));
        assert!(tls.is_none());
        let (config, tls) = parse_ok("postgres://h/db?sslmode=require");
        assert_eq!(config.get_ssl_mode(), DriverSslMode::Require);
        assert!(tls.is_some());
        let (_, tls) = parse_ok("postgres://h/db");
        assert!(tls.is_some(), "prefer is the default and needs a connector");
    }

    #[test]
    fn verify_modes_need_a_root_certificate_and_read_it_from_the_project() {
        let message =
            parse_err("postgres://u:pw@h/db?sslmode=verify-full&sslrootcert=certs/ca.pem");
        assert!(
            message.starts_with("cannot read certificates from /project/certs/ca.pem"),
            "{message}"
        );
        assert!(!message.contains("pw@"), "{message}");
    }

    #[test]
    fn bad_urls_are_clear_and_redacted() {
        let message = parse_err("postgres://u:secret@h:notaport/db");
        assert!(
            message.starts_with("invalid database URL postgres://u:***@h:notaport/db: "),
            "{message}"
        );
        assert!(!message.contains("secret"), "{message}");
        assert!(parse_err("postgres://h/db?sslmode=sometimes")
            .contains("sslmode=sometimes is not one of"));
        assert!(parse_err("mysql://h/db").contains("the scheme must be postgres://"));
        assert!(parse_err("host=h sslmode=verify-full").contains("needs the URL form"));
    }
}

/// The session that holds or requests an exclusive lock.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LockHolder {
    /// Its process id; `None` for a prepared transaction.
    pub pid: Option<i32>,
    /// Its `application_name`, when set and visible to us.
    pub application: Option<String>,
    /// When its transaction (else its statement) started, in UTC; `None`
    /// when our role may not see it.
    pub since: Option<String>,
}

impl std::fmt::Display for LockHolder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.pid {
            Some(pid) => write!(f, "pid {pid}")?,
            None => f.write_str("a prepared transaction")?,
        }
        if let Some(application) = self.application.as_deref().filter(|a| !a.is_empty()) {
            write!(f, ", application {application:?}")?;
        }
        if let Some(since) = &self.since {
            write!(f, ", since {since}")?;
        }
        Ok(())
    }
}

/// The relations of this database other sessions hold or request in
/// `ACCESS EXCLUSIVE` mode (a waiting request queues every later one behind
/// it), one row each: `relation`, and the session's `pid` (NULL for a
/// prepared transaction), `application_name` and `since`.
macro_rules! exclusive_locks {
    () => {
        "SELECT DISTINCT ON (l.relation) l.relation, l.pid, a.application_name,
                to_char(coalesce(a.xact_start, a.query_start) AT TIME ZONE 'UTC',
                        'YYYY-MM-DD HH24:MI:SS \"UTC\"') AS since
         FROM pg_locks l
         LEFT JOIN pg_stat_activity a ON a.pid = l.pid
         WHERE l.locktype = 'relation' AND l.mode = 'AccessExclusiveLock'
           AND l.pid IS DISTINCT FROM pg_backend_pid()
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
         ORDER BY l.relation, l.granted DESC, l.pid"
    };
}
pub(crate) use exclusive_locks;
