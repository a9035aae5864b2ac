//! `watch`: keeps the watch file current with the live database, for
//! `pgdrift::build`.

use std::time::Duration;

use schema_check::{files, Error};

use crate::context::Context;
use crate::render::{print, Outcome};

/// Polls the database's fingerprint every `interval` seconds and rewrites
/// the watch file when the schema changes, until Ctrl-C.
pub(crate) fn watch(ctx: &Context, interval: f64) -> Result<Outcome, Error> {
    let interval = schema_check::config::parse_seconds(&interval.to_string())
        .map_err(|why| Error::Config(format!("--interval {interval} {why}")))?;
    let source = schema_check::schema_source::resolve(
        &ctx.lookup(),
        &ctx.request,
        schema_check::schema_source::Door::Live("watch"),
    )?;
    let schema_check::SchemaSource::Live(url) = source else {
        unreachable!("a live-only door resolves to the database")
    };
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = stop.clone();
    ctrlc::set_handler(move || flag.store(true, std::sync::atomic::Ordering::SeqCst))
        .map_err(|e| Error::Config(format!("cannot handle Ctrl-C: {e}")))?;
    let dir = ctx.root.join(schema_check::schema_source::WATCH_DIR);
    let schema_path = dir.join("schema.json");
    let info_path = dir.join("watcher.json");
    let options = ctx.connect_options()?;
    print(&format!(
        "watching {url} every {} s; builds using pgdrift::build read {}\n",
        interval.as_secs_f64(),
        ctx.shown(&schema_path)
    ))?;
    let mut connection = None;
    let mut kept = schema_check::schema_source::KeptSchema::in_memory(schema_path.clone());
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
            // The watcher writes the schema file: it needs every text.
            let polled = kept
                .poll(
                    c,
                    ctx.project.schema_filter(),
                    schema_check::introspect::OnLocked::Wait,
                )
                .and_then(|fresh| match fresh {
                    Some(fresh) => {
                        if fresh.written {
                            print(&format!(
                                "schema written: {} relations\n",
                                fresh.read.catalog.relations().count()
                            ))?;
                        }
                        kept.keep(&fresh.read)
                    }
                    None => Ok(()),
                });
            match polled {
                Ok(()) if !announced => {
                    let info = schema_check::schema_source::WatcherInfo::of_this_process(
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
