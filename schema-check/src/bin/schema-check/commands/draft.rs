//! `draft`: the SQL that would make the database fit the models, written
//! for review as plain SQL files or in the layout of the team's migration
//! tool. It reads the schema as `compare-db-models` does and runs nothing.

use std::path::{Component, Path, PathBuf};
use std::time::SystemTime;

use clap::ValueEnum;
use schema_check::discover::Discovered;
use schema_check::fix::sql::{draft as draft_sql, Draft};
use schema_check::fix::verify::{self, Verified};
use schema_check::live::same_database;
use schema_check::schema_source::SchemaSource;
use schema_check::{escape, files, Catalog, Connection, DatabaseUrl, Error};

use crate::context::Context;
use crate::progress;
use crate::render::{model_sources, print, print_issues, Outcome};

/// `--format`: the file layout of the draft.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DraftFormat {
    /// `<timestamp>_<name>.sql` and `.down.sql` in the drafts directory.
    Sql,
    /// sqlx: `migrations/<timestamp>_<name>.up.sql` and `.down.sql`.
    Sqlx,
    /// diesel: `migrations/<date-time>_<name>/up.sql` and `down.sql`.
    Diesel,
    /// refinery: `migrations/V<n>__<name>.sql` (no down part).
    Refinery,
}

/// Drafts the change, prints it and writes its files; findings (exit 1)
/// when there is a draft, clean when the models need nothing.
pub(crate) fn draft(
    ctx: &Context,
    name: &str,
    format: DraftFormat,
    out: Option<&Path>,
    verify: bool,
) -> Result<Outcome, Error> {
    check_name(name)?;
    let dir = match out {
        Some(dir) => inside_root(dir, "--out")?,
        None if format == DraftFormat::Sql => inside_root(&ctx.project.drafts, "drafts")?,
        None => PathBuf::from("migrations"),
    };
    // The draft is written to a file: it waits for a migration's lock
    // (bounded) rather than draft from a schema with texts left out.
    let (source, catalog) = ctx.sourced_catalog()?;
    let found = ctx.models()?;
    let drafted = draft_sql(&catalog, &found);
    if drafted.is_empty() {
        print("the models need no database change\n")?;
        return Ok(Outcome::Clean);
    }
    // Verified before anything is written: a test database that cannot be
    // used is an error that leaves no files behind.
    let verified = match verify {
        true => Some(verify_draft(ctx, &source, &catalog, &found, &drafted)?),
        false => None,
    };
    let files = layout(ctx, format, &dir, &stamp(ctx.now()?), name, &drafted)?;
    for (path, _) in &files {
        if path.exists() {
            return Err(Error::Config(format!(
                "{} exists already: give the draft another name with -m",
                ctx.shown(path)
            )));
        }
    }
    for (path, text) in &files {
        files::write_atomic(path, text.as_bytes())?;
    }
    print(&report(ctx, format, &drafted, &files))?;
    if let Some((test_url, verified)) = verified {
        print_verified(ctx, &test_url, verified, &found)?;
    }
    Ok(Outcome::Findings)
}

/// Runs the draft on the test database in a transaction that is rolled
/// back, and checks the models against the schema it leaves there.
fn verify_draft(
    ctx: &Context,
    source: &SchemaSource,
    catalog: &Catalog,
    found: &Discovered,
    drafted: &Draft,
) -> Result<(DatabaseUrl, Verified), Error> {
    let test_url = test_database(ctx)?;
    if let SchemaSource::Live(url) = source {
        refuse_the_same_database(ctx, url, &test_url)?;
    }
    let verified = progress::with_progress("trying the draft on the test database", || {
        verify::verify(
            &test_url,
            catalog,
            &drafted.up_statements(),
            found,
            &ctx.connect_options()?,
            ctx.project.schema_filter(),
        )
    })?;
    Ok((test_url, verified))
}

/// `TEST_DATABASE_URL`, which must not name the database `DATABASE_URL`
/// (or `--database-url`) names: a draft never runs there, not even in a
/// transaction that is rolled back.
fn test_database(ctx: &Context) -> Result<DatabaseUrl, Error> {
    let test = ctx
        .env
        .get("TEST_DATABASE_URL")
        .filter(|url| !url.trim().is_empty())
        .map(DatabaseUrl::new)
        .ok_or_else(|| {
            Error::Config(
                "--verify tries the draft on a test database: set TEST_DATABASE_URL (in the environment or a .env file) to a database with the schema the draft was made from".to_owned(),
            )
        })?;
    let production = ctx
        .request
        .database_url
        .clone()
        .or_else(|| ctx.env.get("DATABASE_URL"))
        .map(DatabaseUrl::new);
    if production.is_some_and(|url| same_database(&url, &test)) {
        return Err(Error::Config(format!(
            "TEST_DATABASE_URL ({test}) names the database DATABASE_URL names: --verify tries a draft only on a test database"
        )));
    }
    Ok(test)
}

/// An error when the test database is the database the draft was read
/// from, however differently their URLs name it: both are asked who they
/// are (a read that changes nothing).
fn refuse_the_same_database(
    ctx: &Context,
    url: &DatabaseUrl,
    test_url: &DatabaseUrl,
) -> Result<(), Error> {
    let options = ctx.connect_options()?;
    let identity = |url: &DatabaseUrl| Connection::open(url, &options)?.database_identity();
    if identity(url)? == identity(test_url)? {
        return Err(Error::Config(format!(
            "TEST_DATABASE_URL ({test_url}) reaches the database the draft was read from ({url}): --verify tries a draft only on a test database"
        )));
    }
    Ok(())
}

/// What the trial on the test database showed.
fn print_verified(
    ctx: &Context,
    test_url: &DatabaseUrl,
    verified: Verified,
    found: &Discovered,
) -> Result<(), Error> {
    let tried =
        format!("\ntried on the test database {test_url} in a transaction that was rolled back: ");
    match verified {
        Verified::Fit => print(&format!("{tried}the models fit after this draft\n")),
        Verified::Failed { statement, message } => print(&escape::terminal(&format!(
            "{tried}the draft failed at\n\n{statement}\n\n{message}\n"
        ))),
        Verified::Remaining(findings) => {
            print(&format!(
                "{tried}these findings remain after this draft\n\n"
            ))?;
            print_issues(
                ctx,
                &findings,
                " after this draft",
                &model_sources(found),
                None,
            )
            .map(|_| ())
        }
    }
}

/// A draft's name: letters, digits, `_` and `-`, as file names take them.
fn check_name(name: &str) -> Result<(), Error> {
    let fine = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    if !name.is_empty() && name.chars().all(fine) {
        return Ok(());
    }
    Err(Error::Config(format!(
        "-m {:?} is not a draft name: use letters, digits, `_` and `-`",
        schema_check::escape::one_line(name)
    )))
}

/// `dir` (without its `.` parts) when it stays inside the root: relative,
/// without `..`.
fn inside_root(dir: &Path, what: &str) -> Result<PathBuf, Error> {
    let inside = dir
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    match inside && !dir.as_os_str().is_empty() {
        true => Ok(dir.components().filter(|c| *c != Component::CurDir).collect()),
        false => Err(Error::Config(format!(
            "{what} {} is not a directory inside the project root: give a relative path without `..`",
            dir.display()
        ))),
    }
}

/// The time in UTC as `YYYYMMDDHHMMSS`.
fn stamp(now: SystemTime) -> String {
    humantime::format_rfc3339_seconds(now)
        .to_string()
        .chars()
        .filter(char::is_ascii_digit)
        .collect()
}

/// The files of the draft in `format`'s layout under `dir` (relative to
/// the root), with their texts.
fn layout(
    ctx: &Context,
    format: DraftFormat,
    dir: &Path,
    stamp: &str,
    name: &str,
    drafted: &Draft,
) -> Result<Vec<(PathBuf, String)>, Error> {
    let dir = ctx.root.join(dir);
    let (up, down) = texts(format, drafted);
    Ok(match format {
        DraftFormat::Sql => vec![
            (dir.join(format!("{stamp}_{name}.sql")), up),
            (dir.join(format!("{stamp}_{name}.down.sql")), down),
        ],
        DraftFormat::Sqlx => vec![
            (dir.join(format!("{stamp}_{name}.up.sql")), up),
            (dir.join(format!("{stamp}_{name}.down.sql")), down),
        ],
        DraftFormat::Diesel => {
            let (date, time) = stamp.split_at(8);
            let folder = dir.join(format!(
                "{}-{}-{}-{time}_{name}",
                &date[..4],
                &date[4..6],
                &date[6..]
            ));
            vec![(folder.join("up.sql"), up), (folder.join("down.sql"), down)]
        }
        DraftFormat::Refinery => {
            let version = next_refinery_version(&dir)?;
            vec![(dir.join(format!("V{version}__{name}.sql")), up)]
        }
    })
}

/// The up and down files' texts: one transaction each as plain SQL; for
/// a migration tool, which runs each file in a transaction of its own,
/// the statements alone.
fn texts(format: DraftFormat, drafted: &Draft) -> (String, String) {
    let tool = match format {
        DraftFormat::Sql => return (drafted.up(), drafted.down()),
        DraftFormat::Sqlx => "sqlx",
        DraftFormat::Diesel => "diesel",
        DraftFormat::Refinery => "refinery",
    };
    (drafted.up_for_tool(tool), drafted.down_for_tool(tool))
}

/// One more than the highest version of the refinery migrations in `dir`
/// (`V3__x.sql`, `U4__y.sql`), 1 when there are none.
fn next_refinery_version(dir: &Path) -> Result<u64, Error> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(1),
        Err(e) => {
            return Err(Error::Io(format!("cannot read {}: {e}", dir.display())));
        }
    };
    let highest = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let rest = name.strip_prefix('V').or_else(|| name.strip_prefix('U'))?;
            let (version, _) = rest.split_once("__")?;
            version.parse::<u64>().ok()
        })
        .max()
        .unwrap_or(0);
    Ok(highest + 1)
}

/// What `draft` prints: the up part, the down part where the layout has no
/// file for it, and the files written.
fn report(
    ctx: &Context,
    format: DraftFormat,
    drafted: &Draft,
    files: &[(PathBuf, String)],
) -> String {
    let (up, down) = texts(format, drafted);
    let mut out = up;
    if format == DraftFormat::Refinery {
        out.push_str("\n-- refinery has no down migrations, so this down part is not written:\n\n");
        out.push_str(&down);
    }
    let written: Vec<String> = files
        .iter()
        .map(|(path, _)| ctx.shown(path).to_string())
        .collect();
    out.push_str(&format!(
        "\nwrote {} for review: nothing has run against the database\n",
        written.join(" and ")
    ));
    out
}
