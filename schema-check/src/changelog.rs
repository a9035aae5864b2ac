//! The change log (`docs/pgdb_changes.md`): one dated entry per recorded
//! schema change, appended, never rewritten.

use std::fmt::Write;

use crate::diff::Change;

/// The start of a new change log.
pub const HEADER: &str = "# Database changes

Recorded by `schema-check changelog`, oldest first. Each entry lists what
changed in the database since the previous snapshot.
";

/// One entry: `## DATE — message` and a line per change.
pub fn entry(date: &str, message: Option<&str>, changes: &[Change]) -> String {
    let mut out = format!("## {date}");
    if let Some(message) = message.map(str::trim).filter(|m| !m.is_empty()) {
        let _ = write!(out, " — {}", message.replace('\n', " "));
    }
    out.push_str("\n\n");
    for change in changes {
        let _ = writeln!(out, "- {change}");
    }
    out
}

/// `existing` (or a new log) with `entry` appended after a blank line.
pub fn append(existing: Option<&str>, entry: &str) -> String {
    let mut out = existing.unwrap_or(HEADER).to_owned();
    if !out.is_empty() && !out.ends_with('\n') {
        out.push('\n');
    }
    out.push('\n');
    out.push_str(entry);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::ChangeKind;

    #[test]
    fn entries_are_appended_to_what_is_there() {
        let changes = [Change {
            object: "column public.users.nickname".into(),
            kind: ChangeKind::Added,
            detail: "text NULL".into(),
        }];
        let first = append(None, &entry("2026-11-25", Some("nicknames"), &changes));
        assert_eq!(
            first,
            format!("{HEADER}\n## 2026-11-25 — nicknames\n\n- column public.users.nickname added: text NULL\n")
        );
        let second = append(Some(&first), &entry("2026-11-26", None, &changes));
        assert!(second.starts_with(&first));
        assert!(second
            .ends_with("\n\n## 2026-11-26\n\n- column public.users.nickname added: text NULL\n"));
    }
}
