//! The three-way workflow: models against the database, docs against both,
//! reports and the change log.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use clap::ValueEnum;
use schema_check::cfg::Cfg;
use schema_check::discover::{discover_with, Discovered};
use schema_check::docs::{self, Section};
use schema_check::report::{self, Report};
use schema_check::{changelog as log, escape, files, generate, snapshot, Catalog, Error};
use schema_check::{compare, Comparison, Finding};

use crate::{print, Context, DecimalArg, Deny, Outcome, TimeArg};

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Json,
    Md,
    Sarif,
}

impl Context {
    /// Every model, or an error when a model file cannot be read (docs and
    /// reports from a partial set of models would be wrong).
    fn models(&self) -> Result<Discovered, Error> {
        let found = self.models_readable_or_not()?;
        found.require_readable()?;
        Ok(found)
    }

    /// Every model of the files that can be read, as a default build of the
    /// package compiles them (plus `--features`); the others are listed in
    /// `unreadable`. With `--verbose`, says on stderr what it left out.
    fn models_readable_or_not(&self) -> Result<Discovered, Error> {
        let cfg = Cfg::for_package(&self.root, &self.features)?;
        let found = crate::progress::with_progress("reading the models", || {
            discover_with(&self.root, &self.project.models, &cfg)
        })?;
        if self.verbose {
            let mut text = String::new();
            for skipped in &found.skipped {
                let place = match skipped.line {
                    0 => skipped.file.display().to_string(),
                    line => format!("{}:{line}", skipped.file.display()),
                };
                text.push_str(&format!(
                    "skipped {} at {place}: {} does not hold in a default build\n",
                    skipped.what, skipped.cfg
                ));
            }
            eprint!("{}", schema_check::escape::terminal(&text));
        }
        Ok(found)
    }

    fn docs_path(&self) -> PathBuf {
        self.root.join(&self.project.docs)
    }

    /// A path as the user sees it: relative to the root.
    fn shown<'a>(&self, path: &'a Path) -> std::path::Display<'a> {
        path.strip_prefix(&self.root).unwrap_or(path).display()
    }

    /// `SOURCE_DATE_EPOCH` (for reproducible output), else now.
    fn now(&self) -> Result<SystemTime, Error> {
        match self.env.get("SOURCE_DATE_EPOCH") {
            None => Ok(SystemTime::now()),
            Some(value) => value
                .trim()
                .parse::<u64>()
                .map(|secs| SystemTime::UNIX_EPOCH + Duration::from_secs(secs))
                .map_err(|_| {
                    Error::Config(format!(
                        "SOURCE_DATE_EPOCH={value:?} is not a number of seconds"
                    ))
                }),
        }
    }
}

/// Every docs section: the diagram (unless `diagram = false`), then the
/// schema's relations and types.
fn sections(ctx: &Context, catalog: &Catalog, found: &Discovered) -> Vec<Section> {
    let mut out = if ctx.project.diagram {
        schema_check::diagram::sections(catalog)
    } else {
        Vec::new()
    };
    out.extend(docs::sections(
        catalog,
        &docs::models_by_table(found.models.iter().map(|m| &m.model)),
    ));
    out
}

/// Source texts by the path issues name them with.
type Sources<'a> = std::collections::HashMap<String, &'a str>;

/// The model files' texts, for showing the lines issues are about.
fn model_sources(found: &Discovered) -> Sources<'_> {
    found
        .sources
        .iter()
        .map(|(path, text)| (path.to_string_lossy().into_owned(), text.as_str()))
        .collect()
}

/// How many of `issues` are errors and how many warnings.
/// The errors and the warnings among `issues`; notes are neither, and
/// never fail a command.
fn counts(issues: &[Finding]) -> (usize, usize) {
    let count = |level| issues.iter().filter(|i| i.level == level).count();
    (
        count(schema_check::Level::Error),
        count(schema_check::Level::Warning),
    )
}

/// `; warnings denied by --deny warnings` when `deny` turns the warnings
/// into a failure, else nothing.
fn denied_note(warnings: usize, deny: Option<Deny>) -> &'static str {
    if deny == Some(Deny::Warnings) && warnings > 0 {
        "; warnings denied by --deny warnings"
    } else {
        ""
    }
}

/// Prints issues as rustc prints diagnostics (header, the source line with
/// the span underlined, help) and a summary; findings when any is an
/// error, or a warning under `--deny warnings`.
fn print_issues(
    ctx: &Context,
    issues: &[Finding],
    summary_tail: &str,
    sources: &Sources,
    deny: Option<Deny>,
) -> Result<Outcome, Error> {
    let renderer = if ctx.color() {
        annotate_snippets::Renderer::styled()
    } else {
        annotate_snippets::Renderer::plain()
    };
    let mut text = String::new();
    for issue in issues {
        text.push_str(&render_issue(&renderer, issue, sources));
        text.push_str("\n\n");
    }
    let (errors, warnings) = counts(issues);
    let notes = match issues.len() - errors - warnings {
        0 => String::new(),
        1 => ", 1 note".to_owned(),
        n => format!(", {n} notes"),
    };
    text.push_str(&format!(
        "{} {}, {} {}{notes}{}{}\n",
        errors,
        if errors == 1 { "error" } else { "errors" },
        warnings,
        if warnings == 1 { "warning" } else { "warnings" },
        escape::terminal(summary_tail),
        denied_note(warnings, deny),
    ));
    crate::print_styled(&text)?;
    Ok(Outcome::of(errors, warnings, deny))
}

/// One issue: `error[check]: message`, then where (with the source line
/// and its span underlined when the file is at hand), then `help:`.
fn render_issue(
    renderer: &annotate_snippets::Renderer,
    issue: &Finding,
    sources: &Sources,
) -> String {
    use annotate_snippets::{AnnotationKind, Group, Level, Origin, Snippet};
    let level = match issue.level {
        schema_check::Level::Error => Level::ERROR,
        schema_check::Level::Warning => Level::WARNING,
        schema_check::Level::Note => Level::NOTE,
    };
    let message = escape::terminal(&issue.message);
    let title = level.primary_title(message.as_ref()).id(issue.check.code());
    let place = issue.place.as_ref();
    let (line, col) = (place.and_then(|p| p.line), place.and_then(|p| p.col));
    let file = place.map(|p| escape::terminal(&p.file));
    let source = place
        .and_then(|p| sources.get(p.file.as_str()))
        .map(|text| shown_source(text));
    let range = match (&source, place.and_then(|p| p.bytes.as_ref()), line) {
        (Some(_), Some(bytes), _) => Some(bytes.clone()),
        (Some(text), None, Some(line)) => line_range(text, line, col),
        _ => None,
    };
    let mut group = match (&file, &source, range) {
        (Some(file), Some(text), Some(range)) => title.element(
            Snippet::source(text.as_str())
                .path(file.as_ref())
                .fold(true)
                .annotation(AnnotationKind::Primary.span(range)),
        ),
        (Some(file), _, _) => {
            let mut origin = Origin::path(file.as_ref());
            if let Some(line) = line {
                origin = origin.line(line);
            }
            if let Some(col) = col {
                origin = origin.char_column(col.saturating_sub(1));
            }
            title.element(origin)
        }
        _ => Group::with_title(title),
    };
    let help = issue.help.as_deref().map(escape::terminal);
    if let Some(help) = &help {
        group = group.element(Level::HELP.message(help.as_ref()));
    }
    renderer.render(&[group])
}

/// A source text safe to show, byte for byte as long as the original (so
/// spans stay right): each character that could steer a terminal becomes
/// as many `?` as it has bytes.
fn shown_source(text: &str) -> String {
    if !text.chars().any(escape::is_unsafe_for_terminal) {
        return text.to_owned();
    }
    text.chars()
        .map(|c| {
            if escape::is_unsafe_for_terminal(c) {
                "?".repeat(c.len_utf8())
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The bytes of line `line` (1-based) of `text` from column `col` (1-based,
/// in characters; the line's start when `None`), without its line end.
fn line_range(text: &str, line: usize, col: Option<usize>) -> Option<std::ops::Range<usize>> {
    let mut start = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let content = l.trim_end_matches(['\n', '\r']);
            let skip: usize = content
                .chars()
                .take(col.unwrap_or(1).saturating_sub(1))
                .map(char::len_utf8)
                .sum();
            return Some(start + skip..start + content.len());
        }
        start += l.len();
    }
    None
}

/// The models of every readable file are checked and printed; a file that
/// cannot be read is an error (exit 2) after them.
pub fn compare_db_models(ctx: &Context, json: bool, deny: Option<Deny>) -> Result<Outcome, Error> {
    let catalog = ctx.catalog_around_locks()?;
    let found = ctx.models_readable_or_not()?;
    let issues = compare::db_models_noting(&catalog, &found, ctx.verbose);
    let outcome = if json {
        print(&report::findings_json(&issues))?;
        let (errors, warnings) = counts(&issues);
        Outcome::of(errors, warnings, deny)
    } else {
        let tail = format!(" in {} models ({} files)", found.models.len(), found.files);
        print_issues(ctx, &issues, &tail, &model_sources(&found), deny)?
    };
    found.require_readable()?;
    Ok(outcome)
}

pub fn generate_docs(
    ctx: &Context,
    output: Option<&Path>,
    fragments: Option<&Path>,
) -> Result<Outcome, Error> {
    let path = output.map_or_else(|| ctx.docs_path(), |p| ctx.root.join(p));
    let existing = files::read_if_exists(&path)?
        .map(|bytes| {
            String::from_utf8(bytes)
                .map_err(|_| Error::Config(format!("{} is not UTF-8", ctx.shown(&path))))
        })
        .transpose()?;
    let sections = match fragments {
        Some(dir) => read_fragments(&ctx.root.join(dir))?,
        None => sections(ctx, &ctx.catalog()?, &ctx.models()?),
    };
    let text = docs::render_document(existing.as_deref(), &relative(ctx, &path), &sections)?;
    if existing.as_deref() == Some(text.as_str()) {
        print(&format!(
            "{} is up to date ({} sections)\n",
            ctx.shown(&path),
            sections.len()
        ))?;
    } else {
        files::write_atomic(&path, text.as_bytes())?;
        print(&format!(
            "wrote {} ({} sections)\n",
            ctx.shown(&path),
            sections.len()
        ))?;
    }
    Ok(Outcome::Clean)
}

/// The sections `pgdrift::build` wrote, one `<schema>.<name>.md` file each,
/// in catalog order (schema, then relations before types, by name).
fn read_fragments(dir: &Path) -> Result<Vec<Section>, Error> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Error::Config(format!(
            "cannot read the doc fragments in {}: {e} (pgdrift::build writes them to OUT_DIR/pgdrift-docs)",
            dir.display()
        ))
    })?;
    let mut sections = Vec::new();
    let mut files: Vec<PathBuf> = Vec::new();
    for entry in entries.flatten() {
        match std::fs::read_dir(entry.path()) {
            Ok(inner) => files.extend(inner.flatten().map(|e| e.path())),
            Err(_) => files.push(entry.path()),
        }
    }
    for path in files {
        let relative = path.strip_prefix(dir).unwrap_or(&path);
        if let Some(key) = docs::fragment_key(relative) {
            let body = std::fs::read_to_string(&path)
                .map_err(|e| Error::Config(format!("cannot read {}: {e}", path.display())))?;
            sections.push(Section { key, body });
        }
    }
    if sections.is_empty() {
        return Err(Error::Config(format!(
            "{} holds no doc fragments",
            dir.display()
        )));
    }
    docs::sort_like_catalog(&mut sections);
    Ok(sections)
}

fn read_docs(ctx: &Context) -> Result<(PathBuf, Option<String>), Error> {
    let path = ctx.docs_path();
    let text = files::read_if_exists(&path)?
        .map(|bytes| {
            String::from_utf8(bytes)
                .map_err(|_| Error::Config(format!("{} is not UTF-8", ctx.shown(&path))))
        })
        .transpose()?;
    Ok((path, text))
}

fn relative(ctx: &Context, path: &Path) -> PathBuf {
    path.strip_prefix(&ctx.root).unwrap_or(path).to_path_buf()
}

pub fn validate(ctx: &Context) -> Result<Outcome, Error> {
    let catalog = ctx.catalog()?;
    let found = ctx.models()?;
    let (path, text) = read_docs(ctx)?;
    let wanted = sections(ctx, &catalog, &found);
    let issues = compare::docs_db(text.as_deref(), &relative(ctx, &path), &wanted)?;
    if issues.is_empty() {
        print(&format!("{} is up to date\n", ctx.shown(&path)))?;
        return Ok(Outcome::Clean);
    }
    if let Some(text) = &text {
        print(&stale_section_diffs(text, &relative(ctx, &path), &wanted)?)?;
    }
    let shown = relative(ctx, &path).to_string_lossy().into_owned();
    let sources: Sources = text.iter().map(|t| (shown.clone(), t.as_str())).collect();
    print_issues(
        ctx,
        &issues,
        &format!(" in {}", ctx.shown(&path)),
        &sources,
        None,
    )
}

/// A unified diff of each section whose text differs from what
/// `generate-docs` would write now.
fn stale_section_diffs(text: &str, path: &Path, wanted: &[Section]) -> Result<String, Error> {
    let have: std::collections::HashMap<String, String> = docs::parse_document(text, path)?
        .into_iter()
        .filter_map(|segment| match segment {
            docs::Segment::Section { key, body, .. } => Some((key, body)),
            docs::Segment::Text(_) => None,
        })
        .collect();
    let mut out = String::new();
    for section in wanted {
        let Some(body) = have.get(&section.key) else {
            continue;
        };
        if *body == section.body {
            continue;
        }
        let shown = path.display();
        let diff = similar::TextDiff::from_lines(body.as_str(), section.body.as_str())
            .unified_diff()
            .context_radius(2)
            .header(
                &format!("{shown} (section {}, as it is)", section.key),
                &format!(
                    "{shown} (section {}, as generate-docs writes it)",
                    section.key
                ),
            )
            .to_string();
        out.push_str(&printable(&diff));
        out.push('\n');
    }
    Ok(out)
}

pub fn compare_models_doc(ctx: &Context) -> Result<Outcome, Error> {
    let found = ctx.models()?;
    let (path, text) = read_docs(ctx)?;
    let Some(text) = text else {
        print(&format!(
            "{} does not exist: run `schema-check generate-docs` to create it\n",
            ctx.shown(&path)
        ))?;
        return Ok(Outcome::Findings);
    };
    let issues = compare::models_docs(&found.models, &text, &relative(ctx, &path))?;
    let mut sources = model_sources(&found);
    sources.insert(relative(ctx, &path).to_string_lossy().into_owned(), &text);
    print_issues(
        ctx,
        &issues,
        &format!(
            " between {} models and {}",
            found.models.len(),
            ctx.shown(&path)
        ),
        &sources,
        None,
    )
}

pub fn report(
    ctx: &Context,
    out: Option<&Path>,
    formats: &[ReportFormat],
    deny: Option<Deny>,
) -> Result<Outcome, Error> {
    let (source, catalog) = ctx.sourced_catalog()?;
    let found = ctx.models()?;
    let (docs_path, docs_text) = read_docs(ctx)?;
    let docs_shown = relative(ctx, &docs_path);
    let mut issues = compare::db_models(&catalog, &found);
    if let Some(text) = &docs_text {
        issues.extend(compare::models_docs(&found.models, text, &docs_shown)?);
    }
    issues.extend(compare::docs_db(
        docs_text.as_deref(),
        &docs_shown,
        &sections(ctx, &catalog, &found),
    )?);
    let generated_at = humantime::format_rfc3339_seconds(ctx.now()?).to_string();
    let report = Report::new(
        generated_at,
        source.to_string(),
        found.models.len(),
        catalog.relations().count(),
        vec![
            Comparison::DbModels,
            Comparison::ModelsDoc,
            Comparison::DbDoc,
        ],
        issues,
    );
    let dir = out.map_or_else(|| ctx.root.join(&ctx.project.reports), |p| ctx.root.join(p));
    let mut written = Vec::new();
    for format in formats {
        let (name, text) = match format {
            ReportFormat::Json => ("schema-report.json", report.to_json()),
            ReportFormat::Md => ("schema-report.md", report.to_markdown()),
            ReportFormat::Sarif => ("schema-report.sarif", report.to_sarif()),
        };
        let path = dir.join(name);
        files::write_atomic(&path, text.as_bytes())?;
        written.push(ctx.shown(&path).to_string());
    }
    let (errors, warnings) = (report.summary.errors, report.summary.warnings);
    print(&format!(
        "wrote {}: {errors} errors, {warnings} warnings{}\n",
        written.join(", "),
        denied_note(warnings, deny),
    ))?;
    Ok(Outcome::of(errors, warnings, deny))
}

/// Polls the database's fingerprint every `interval` seconds and rewrites
/// the watch file when the schema changes, until Ctrl-C.
pub fn watch(ctx: &Context, interval: f64) -> Result<Outcome, Error> {
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

pub fn changelog(ctx: &Context, message: Option<&str>) -> Result<Outcome, Error> {
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

/// The relations `generate-models` is asked for.
pub struct Selection<'a> {
    /// `name` or `schema.name`; empty: all.
    pub tables: &'a [String],
    /// Empty: all.
    pub schemas: &'a [String],
}

pub fn generate_options(
    ctx: &Context,
    derives: &[String],
    time: Option<TimeArg>,
    decimal: Option<DecimalArg>,
    insert: bool,
) -> Result<generate::Options, Error> {
    for derive in derives {
        if syn::parse_str::<syn::Path>(derive).is_err() {
            return Err(Error::Config(format!(
                "--derive {derive:?} is not a path to a derive macro (like `sqlx::FromRow`)"
            )));
        }
    }
    Ok(generate::Options {
        derives: derives.to_vec(),
        time: match time {
            None => ctx.project.time,
            Some(TimeArg::Chrono) => generate::TimeCrate::Chrono,
            Some(TimeArg::Time) => generate::TimeCrate::Time,
            Some(TimeArg::Jiff) => generate::TimeCrate::Jiff,
        },
        decimal: match decimal {
            None => ctx.project.decimal,
            Some(DecimalArg::RustDecimal) => generate::DecimalCrate::RustDecimal,
            Some(DecimalArg::Bigdecimal) => generate::DecimalCrate::Bigdecimal,
        },
        insert,
    })
}

pub fn generate_models(
    ctx: &Context,
    selection: &Selection,
    output: Option<&Path>,
    options: generate::Options,
) -> Result<Outcome, Error> {
    let catalog = ctx.catalog()?;
    let relations = select_relations(&catalog, selection)?;
    let text = generate::generate(&catalog, &relations, &options);
    match output {
        None => print(&text)?,
        Some(path) => {
            let path = ctx.root.join(path);
            files::write_atomic(&path, text.as_bytes())?;
            print(&format!(
                "wrote {} ({} relations)\n",
                ctx.shown(&path),
                relations.len()
            ))?;
        }
    }
    Ok(Outcome::Clean)
}

/// The relations named by `selection`, in catalog order; an unknown or
/// ambiguous name is an error.
fn select_relations<'a>(
    catalog: &'a Catalog,
    selection: &Selection,
) -> Result<Vec<(&'a str, &'a schema_check::catalog::Relation)>, Error> {
    for schema in selection.schemas {
        if catalog.schema(schema).is_none() {
            return Err(Error::Config(format!(
                "--schema {schema}: the database has no such schema (or it is not introspected)"
            )));
        }
    }
    let in_schemas = |schema: &str| {
        selection.schemas.is_empty() || selection.schemas.iter().any(|s| s == schema)
    };
    let mut wanted = std::collections::HashSet::new();
    for name in selection.tables {
        wanted.insert(crate::find_relation(catalog, name, in_schemas)?);
    }
    // Unless named, what an extension owns is not the user's schema.
    Ok(catalog
        .relations()
        .filter(|(s, r)| {
            in_schemas(s)
                && if selection.tables.is_empty() {
                    !schema_check::diagram::owned_by_extension(catalog, s, r)
                } else {
                    wanted.contains(&(*s, r.name.as_str()))
                }
        })
        .collect())
}

pub fn fix(ctx: &Context, dry_run: bool) -> Result<Outcome, Error> {
    let catalog = ctx.catalog()?;
    let schema_check::fix::apply::Fixed {
        original,
        texts,
        applied,
        findings: issues,
        models,
    } = schema_check::fix::apply::fix_models(
        &catalog,
        &ctx.root,
        &ctx.project.models,
        &ctx.features,
    )?;
    let mut out = String::new();
    let mut files_changed = 0;
    for (file, text) in &texts {
        let before = &original[file];
        if before == text {
            continue;
        }
        files_changed += 1;
        let shown = file.to_string_lossy();
        let diff = similar::TextDiff::from_lines(before.as_str(), text.as_str())
            .unified_diff()
            .context_radius(3)
            .header(&format!("a/{shown}"), &format!("b/{shown}"))
            .to_string();
        out.push_str(&printable(&diff));
        if !dry_run {
            files::write_atomic(&ctx.root.join(file), text.as_bytes())?;
        }
    }
    let verb = if dry_run { "would fix" } else { "fixed" };
    out.push_str(&format!(
        "{verb} {applied} {} in {files_changed} {}\n",
        if applied == 1 { "finding" } else { "findings" },
        if files_changed == 1 { "file" } else { "files" },
    ));
    if issues.is_empty() {
        print(&out)?;
        return Ok(Outcome::Clean);
    }
    out.push_str("\nfindings without a sure fix:\n\n");
    print(&out)?;
    let sources: Sources = texts
        .iter()
        .map(|(path, text)| (path.to_string_lossy().into_owned(), text.as_str()))
        .collect();
    print_issues(
        ctx,
        &issues,
        &format!(" left in {models} models"),
        &sources,
        None,
    )?;
    Ok(Outcome::Findings)
}

/// Diff text safe for a terminal: CRLF line ends shown as LF, every other
/// control character escaped.
fn printable(text: &str) -> String {
    escape::terminal(&text.replace("\r\n", "\n")).into_owned()
}
