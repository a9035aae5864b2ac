//! `watch`: keeps the watch file current with the live database, for
//! `pgdrift::build`.

use std::time::Duration;

use schema_check::{files, snapshot, Error};

use crate::context::Context;
use crate::render::{print, Outcome};

/// Polls the database's fingerprint every `interval` seconds and rewrites
/// the watch file when the schema changes, until Ctrl-C.
pub(crate) fn watch(ctx: &Context, interval: f64) -> Result<Outcome, Error> {
    let interval = schema_check::config::parse_seconds(&interval.to_string())
        .map_err(|why| Error::Config(format!("--interval {interval} {why}")))?;
    let url = schema_check::config::live_url(&ctx.env, &ctx.request)?.ok_or_else(|| {
        Error::Config("`watch` needs a database: set DATABASE_URL (in the environment or a .env file) or pass --database-url".to_owned())
    })?;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = stop.clone();
    ctrlc::set_handler(move || flag.store(true, std::sync::atomic::Ordering::SeqCst))
        .map_err(|e| Error::Config(format!("cannot handle Ctrl-C: {e}")))?;
    let dir = ctx.root.join(schema_check::crate_schema::WATCH_DIR);
    let schema_path = dir.join("schema.json");
    let info_path = dir.join("watcher.json");
    let options = ctx.connect_options()?;
    print(&format!(
        "watching {url} every {} s; builds using pgdrift::build read {}\n",
        interval.as_secs_f64(),
        ctx.shown(&schema_path)
    ))?;
    let mut connection = None;
    let mut last_fingerprint = None;
    let mut announced = false;
    while !stop.load(std::sync::atomic::Ordering::SeqCst) {
        if connection.is_none() {
            match schema_check::Connection::open(&url, &options) {
                Ok(c) => connection = Some(c),
                Err(e) => eprintln!(
                    "warning: {}",
                    schema_check::escape::terminal(&e.to_string())
                ),
            }
        }
        if let Some(c) = &connection {
            let polled = schema_check::introspect::introspect_if_changed(
                c,
                ctx.project.schema_filter(),
                last_fingerprint.as_deref(),
                // The watcher writes the schema file: it needs every text.
                schema_check::introspect::OnLocked::Wait,
            )
            .and_then(|(fingerprint, read)| {
                if let Some(catalog) = read.map(|read| read.catalog) {
                    let bytes = snapshot::to_bytes(&catalog);
                    if files::read_if_exists(&schema_path)?.as_deref() != Some(bytes.as_slice()) {
                        files::write_atomic(&schema_path, &bytes)?;
                        print(&format!(
                            "schema written: {} relations\n",
                            catalog.relations().count()
                        ))?;
                    }
                }
                last_fingerprint = Some(fingerprint);
                Ok(())
            });
            match polled {
                Ok(()) if !announced => {
                    let info = schema_check::crate_schema::WatcherInfo::of_this_process(
                        url.redacted(),
                        interval.as_secs_f64(),
                    );
                    let mut json = serde_json::to_vec(&info).expect("watcher info serialises");
                    json.push(b'\n');
                    files::write_atomic(&info_path, &json)?;
                    announced = true;
                }
                Ok(()) => {}
                Err(e) => {
                    eprintln!(
                        "warning: {}",
                        schema_check::escape::terminal(&e.to_string())
                    );
                    connection = None;
                }
            }
        }
        let until = std::time::Instant::now() + interval;
        while std::time::Instant::now() < until && !stop.load(std::sync::atomic::Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(50).min(interval));
        }
    }
    let _ = std::fs::remove_file(&info_path);
    let _ = std::fs::remove_file(&schema_path);
    print("stopped; builds go back to introspecting on every build\n")?;
    Ok(Outcome::Clean)
}
