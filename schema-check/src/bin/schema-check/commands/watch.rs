//! `watch`: keeps the watch file current with the live database, for
//! `pgdrift::build`.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use schema_check::schema_source::{self, Door, KeptSchema, WatcherInfo};
use schema_check::{files, ConnectOptions, Connection, DatabaseUrl, Error, SchemaSource};

use crate::context::Context;
use crate::render::{print, Outcome};

/// Polls the database's fingerprint every `interval` seconds and rewrites
/// the watch file when the schema changes, until Ctrl-C.
pub(crate) fn watch(ctx: &Context, interval: f64) -> Result<Outcome, Error> {
    let interval = schema_check::config::parse_seconds(&interval.to_string())
        .map_err(|why| Error::Config(format!("--interval {interval} {why}")))?;
    let source = schema_source::resolve(&ctx.lookup(), &ctx.request, Door::Live("watch"))?;
    let SchemaSource::Live(url) = source else {
        unreachable!("a live-only door resolves to the database")
    };
    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst))
        .map_err(|e| Error::Config(format!("cannot handle Ctrl-C: {e}")))?;
    let dir = ctx.root.join(schema_source::WATCH_DIR);
    let schema_path = dir.join("schema.json");
    let info_path = dir.join("watcher.json");
    let options = ctx.connect_options()?;
    print(&format!(
        "watching {url} every {} s; builds using pgdrift::build read {}\n",
        interval.as_secs_f64(),
        ctx.shown(&schema_path)
    ))?;
    let mut watcher = Watcher {
        ctx,
        url: &url,
        options,
        interval,
        info_path: &info_path,
        connection: None,
        kept: KeptSchema::in_memory(schema_path.clone()),
        announced: false,
    };
    while !stop.load(Ordering::SeqCst) {
        watcher.round()?;
        let until = Instant::now() + interval;
        while Instant::now() < until && !stop.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(50).min(interval));
        }
    }
    let _ = std::fs::remove_file(&info_path);
    let _ = std::fs::remove_file(&schema_path);
    print("stopped; builds go back to introspecting on every build\n")?;
    Ok(Outcome::Clean)
}

/// What `watch` keeps between its rounds.
struct Watcher<'a> {
    ctx: &'a Context,
    url: &'a DatabaseUrl,
    options: ConnectOptions,
    interval: Duration,
    info_path: &'a Path,
    connection: Option<Connection>,
    kept: KeptSchema,
    announced: bool,
}

impl Watcher<'_> {
    /// One round: connect when not connected, poll the fingerprint and
    /// rewrite the schema file if it moved, and announce the watcher once
    /// its first poll succeeded. A failed poll is a warning; the next round
    /// connects again.
    fn round(&mut self) -> Result<(), Error> {
        if self.connection.is_none() {
            match Connection::open(self.url, &self.options) {
                Ok(c) => self.connection = Some(c),
                Err(e) => warn(&e),
            }
        }
        let Some(connection) = &self.connection else {
            return Ok(());
        };
        match poll(&mut self.kept, self.ctx, connection) {
            Ok(()) if !self.announced => {
                let info =
                    WatcherInfo::of_this_process(self.url.redacted(), self.interval.as_secs_f64());
                let mut json = serde_json::to_vec(&info).expect("watcher info serialises");
                json.push(b'\n');
                files::write_atomic(self.info_path, &json)?;
                self.announced = true;
            }
            Ok(()) => {}
            Err(e) => {
                warn(&e);
                self.connection = None;
            }
        }
        Ok(())
    }
}

/// Reads the schema when the fingerprint moved, writing the file when its
/// bytes changed. The watcher writes the schema file: it needs every text,
/// so it waits behind locks.
fn poll(kept: &mut KeptSchema, ctx: &Context, connection: &Connection) -> Result<(), Error> {
    let schemas = ctx.project.schema_filter();
    let Some(fresh) = kept.poll(
        connection,
        schemas,
        schema_check::introspect::OnLocked::Wait,
    )?
    else {
        return Ok(());
    };
    if fresh.written {
        print(&format!(
            "schema written: {} relations\n",
            fresh.read.catalog.relations().count()
        ))?;
    }
    kept.keep(&fresh.read)
}

fn warn(error: &Error) {
    eprintln!(
        "warning: {}",
        schema_check::escape::terminal(&error.to_string())
    );
}
