//! `changelog`: appends the changes since the snapshot to the change log
//! and updates the snapshot.

use schema_check::{changelog as log, files, snapshot, Error};

use crate::context::Context;
use crate::render::{print, Outcome};

/// Appends what changed since the snapshot to the change log, then
/// updates the snapshot; findings when nothing changed.
pub(crate) fn changelog(ctx: &Context, message: Option<&str>) -> Result<Outcome, Error> {
    let snapshot_path = ctx.snapshot_target();
    if !snapshot_path.exists() {
        return Err(Error::Snapshot(format!(
            "changelog compares the database with the snapshot {}, which does not exist: run `schema-check snapshot` first",
            ctx.shown(&snapshot_path)
        )));
    }
    let old = snapshot::load(&snapshot_path)?;
    let new = ctx.live_catalog("changelog")?;
    let changes = schema_check::diff(&old, &new);
    if changes.is_empty() {
        print(&format!("no changes since {}\n", ctx.shown(&snapshot_path)))?;
        return Ok(Outcome::Findings);
    }
    let date = humantime::format_rfc3339_seconds(ctx.now()?).to_string();
    let entry = log::entry(&date[..10], message, &changes);
    let path = ctx.root.join(&ctx.project.changelog);
    let existing = files::read_if_exists(&path)?;
    // The log is staged first and put in place last: if the snapshot cannot
    // be written, the log stays as it was and a rerun records the change once.
    let log = files::Staged::write(&path, &log::append(existing.as_deref(), &entry))?;
    snapshot::save(&snapshot_path, &new)?;
    log.commit()?;
    print(&format!(
        "appended to {} and updated {}:\n\n{entry}",
        ctx.shown(&path),
        ctx.shown(&snapshot_path)
    ))?;
    Ok(Outcome::Clean)
}
