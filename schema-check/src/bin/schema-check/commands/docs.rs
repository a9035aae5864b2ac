//! `generate-docs` writes the docs file; `validate` says whether it is
//! what `generate-docs` would write.

use std::path::{Path, PathBuf};

use schema_check::docs::{self, Section};
use schema_check::{compare, files, Error};

use crate::context::Context;
use crate::render::{print, print_issues, printable, Outcome, Sources};

/// Writes the docs file (or `output`), from the schema and the models or
/// from the build's `fragments`.
pub(crate) fn generate_docs(
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
        None => {
            let catalog = ctx.catalog()?;
            let found = ctx.models()?;
            let models = found.models.iter().map(|m| &m.model);
            schema_check::diagram::document_sections(&catalog, models, ctx.project.diagram)
        }
    };
    let text = docs::render_document(existing.as_deref(), &ctx.relative(&path), &sections)?;
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

/// Findings, with a diff per stale section, unless the docs file is what
/// `generate-docs` would write.
pub(crate) fn validate(ctx: &Context) -> Result<Outcome, Error> {
    let catalog = ctx.catalog()?;
    let found = ctx.models()?;
    let (path, text) = ctx.read_docs()?;
    let models = found.models.iter().map(|m| &m.model);
    let wanted = schema_check::diagram::document_sections(&catalog, models, ctx.project.diagram);
    let issues = compare::docs_db(text.as_deref(), &ctx.relative(&path), &wanted)?;
    if issues.is_empty() {
        print(&format!("{} is up to date\n", ctx.shown(&path)))?;
        return Ok(Outcome::Clean);
    }
    if let Some(text) = &text {
        print(&stale_section_diffs(text, &ctx.relative(&path), &wanted)?)?;
    }
    let shown = ctx.relative(&path).to_string_lossy().into_owned();
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
