//! What the commands print: text on standard output, findings rendered as
//! rustc renders diagnostics with a summary, and the outcome they make.

use std::io::Write;

use clap::ValueEnum;
use schema_check::discover::Discovered;
use schema_check::{escape, Error, Finding};

use crate::context::Context;

/// What fails a command besides errors: `--deny warnings`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Deny {
    /// Warnings fail the command too.
    Warnings,
}

/// A command's outcome: success, or findings (exit 1).
pub(crate) enum Outcome {
    Clean,
    Findings,
}

impl Outcome {
    /// The outcome of a check that found `errors` and `warnings`: findings
    /// when there is an error, or a warning under `--deny warnings`.
    pub(crate) fn of(errors: usize, warnings: usize, deny: Option<Deny>) -> Outcome {
        let denied = deny == Some(Deny::Warnings) && warnings > 0;
        if errors > 0 || denied {
            Outcome::Findings
        } else {
            Outcome::Clean
        }
    }
}

/// Prints text for a person: control characters from the database, a file
/// or a variable are shown escaped, never sent to the terminal.
pub(crate) fn print(text: &str) -> Result<(), Error> {
    write_stdout(|out| out.write_all(schema_check::escape::terminal(text).as_bytes()))
}

/// Prints text whose outside parts (database text, file contents, paths)
/// were escaped already, keeping the colour codes pgdrift itself wrote.
pub(crate) fn print_styled(text: &str) -> Result<(), Error> {
    write_stdout(|out| out.write_all(text.as_bytes()))
}

/// Writes to standard output through a buffer; a closed pipe (`| head`) is
/// not an error.
pub(crate) fn write_stdout(
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), Error> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::Io(format!("cannot write to standard output: {e}")))
        }
        _ => Ok(()),
    }
}

/// Source texts by the path issues name them with.
pub(crate) type Sources<'a> = std::collections::HashMap<String, &'a str>;

/// The model files' texts, for showing the lines issues are about.
pub(crate) fn model_sources(found: &Discovered) -> Sources<'_> {
    found
        .sources
        .iter()
        .map(|(path, text)| (path.to_string_lossy().into_owned(), text.as_str()))
        .collect()
}

/// How many of `issues` are errors and how many warnings.
/// The errors and the warnings among `issues`; notes are neither, and
/// never fail a command.
pub(crate) fn counts(issues: &[Finding]) -> (usize, usize) {
    let count = |level| issues.iter().filter(|i| i.level == level).count();
    (
        count(schema_check::Level::Error),
        count(schema_check::Level::Warning),
    )
}

/// `; warnings denied by --deny warnings` when `deny` turns the warnings
/// into a failure, else nothing.
pub(crate) fn denied_note(warnings: usize, deny: Option<Deny>) -> &'static str {
    if deny == Some(Deny::Warnings) && warnings > 0 {
        "; warnings denied by --deny warnings"
    } else {
        ""
    }
}

/// Prints issues as rustc prints diagnostics (header, the source line with
/// the span underlined, help) and a summary; findings when any is an
/// error, or a warning under `--deny warnings`.
pub(crate) fn print_issues(
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
    print_styled(&text)?;
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

/// Diff text safe for a terminal: CRLF line ends shown as LF, every other
/// control character escaped.
pub(crate) fn printable(text: &str) -> String {
    escape::terminal(&text.replace("\r\n", "\n")).into_owned()
}
