//! `report`: every comparison at once, written as JSON, Markdown and SARIF
//! reports.

use std::path::Path;

use clap::ValueEnum;
use schema_check::report::Report;
use schema_check::{compare, files, Comparison, Error};

use crate::context::Context;
use crate::render::{denied_note, print, Deny, Outcome};

/// `--format`: a kind of report file.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportFormat {
    Json,
    Md,
    Sarif,
}

/// Runs every comparison and writes the reports in `formats`.
pub(crate) fn report(
    ctx: &Context,
    out: Option<&Path>,
    formats: &[ReportFormat],
    deny: Option<Deny>,
) -> Result<Outcome, Error> {
    let (source, catalog) = ctx.sourced_catalog()?;
    let found = ctx.models()?;
    let (docs_path, docs_text) = ctx.read_docs()?;
    let docs_shown = ctx.relative(&docs_path);
    let mut issues = compare::db_models(&catalog, &found);
    if let Some(text) = &docs_text {
        issues.extend(compare::models_docs(&found.models, text, &docs_shown)?);
    }
    issues.extend(compare::docs_db(
        docs_text.as_deref(),
        &docs_shown,
        &schema_check::diagram::document_sections(
            &catalog,
            found.models.iter().map(|m| &m.model),
            ctx.project.diagram,
        ),
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
