//! Findings placed in their source file: line, column and bytes from their
//! spans, and their fix as edits of the file's bytes.

use std::path::Path;

use super::{Edit, Fix, TextEdit};
use crate::finding::{Finding, Place};

/// `finding` placed in `file` (relative to the project root): its line and
/// column from its span and, when `text` (the file's text) is at hand, the
/// bytes it covers and its fix as byte edits.
pub fn place(mut finding: Finding, file: &Path, text: Option<&str>) -> Finding {
    let mut place = Place::new(file.to_string_lossy(), None);
    if let Some(span) = finding.span {
        let start = span.start();
        place.line = Some(start.line);
        place.col = Some(start.column + 1);
        if let Some(text) = text {
            place.bytes = Some(span_range(span, finding.end, text));
        }
    }
    if let Some((fix, text)) = finding.fix.as_ref().zip(text) {
        place.edits = resolve_fix(fix, text);
    }
    finding.place = Some(place);
    finding
}

/// A fix's edits as byte ranges of `source`, the file its spans were
/// parsed from, in file order. Inserted lines take the indentation of
/// their model line and the file's line ending.
pub fn resolve_fix(fix: &Fix, source: &str) -> Vec<TextEdit> {
    let skipped = unparsed_prefix(source);
    let start = |span: &proc_macro2::Span| span.byte_range().start + skipped;
    let end = |span: &proc_macro2::Span| span.byte_range().end + skipped;
    let insert = |at: usize, text: &str| TextEdit {
        start: at,
        end: at,
        replacement: text.to_owned(),
    };
    let mut edits: Vec<TextEdit> = fix
        .edits
        .iter()
        .map(|edit| match edit {
            Edit::Replace { first, last, text } => TextEdit {
                start: start(first),
                end: end(last),
                replacement: text.clone(),
            },
            Edit::Before { at, text } => insert(start(at), text),
            Edit::After { at, text } => insert(end(at), text),
            Edit::Lines {
                at,
                indent_like,
                lines,
            } => {
                let model_line = line_start(source, start(indent_like));
                let indent: String = source[model_line..]
                    .chars()
                    .take_while(|c| *c == ' ' || *c == '\t')
                    .collect();
                let newline = match source[model_line..].find('\n') {
                    Some(i) if source[..model_line + i].ends_with('\r') => "\r\n",
                    _ => "\n",
                };
                let text: String = lines
                    .iter()
                    .map(|l| format!("{indent}{l}{newline}"))
                    .collect();
                insert(line_start(source, start(at)), &text)
            }
        })
        .collect();
    edits.sort_by_key(|e| (e.start, e.end));
    edits
}

/// The bytes of `source` that a finding's span covers, from `span` through
/// `end` when it covers several tokens.
pub fn span_range(
    span: proc_macro2::Span,
    end: Option<proc_macro2::Span>,
    source: &str,
) -> std::ops::Range<usize> {
    let skipped = unparsed_prefix(source);
    let start = span.byte_range().start + skipped;
    let end = end.unwrap_or(span).byte_range().end + skipped;
    start..end.max(start)
}

/// The bytes parsing skips before the spans' byte offsets start: a byte
/// order mark (a `#!` line is blanked, not removed).
fn unparsed_prefix(source: &str) -> usize {
    if source.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    }
}

/// The byte offset where the line holding `offset` starts.
fn line_start(source: &str, offset: usize) -> usize {
    source[..offset.min(source.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1)
}
