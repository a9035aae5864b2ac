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

/// `existing` (or a new log) with `entry` appended after a blank line. The
/// bytes already there stay exactly as they are (whatever their encoding);
/// the entry takes the log's line endings.
pub fn append(existing: Option<&[u8]>, entry: &str) -> Vec<u8> {
    let mut out = existing.unwrap_or(HEADER.as_bytes()).to_vec();
    let crlf = {
        let lines = out.iter().filter(|&&b| b == b'\n').count();
        let crlf = out.windows(2).filter(|w| w == b"\r\n").count();
        crlf > 0 && crlf * 2 >= lines
    };
    let newline: &[u8] = if crlf { b"\r\n" } else { b"\n" };
    if !out.is_empty() && !out.ends_with(b"\n") {
        out.extend_from_slice(newline);
    }
    out.extend_from_slice(newline);
    if crlf {
        out.extend_from_slice(entry.replace('\n', "\r\n").as_bytes());
    } else {
        out.extend_from_slice(entry.as_bytes());
    }
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
            String::from_utf8(first.clone()).unwrap(),
            format!("{HEADER}\n## 2026-11-25 — nicknames\n\n- column public.users.nickname added: text NULL\n")
        );
        let second = append(Some(&first), &entry("2026-11-26", None, &changes));
        assert!(second.starts_with(&first));
        assert!(second
            .ends_with(b"\n\n## 2026-11-26\n\n- column public.users.nickname added: text NULL\n"));
    }

    #[test]
    fn bytes_already_there_are_kept_and_crlf_logs_stay_crlf() {
        let latin1 = b"# Log\n\ncaf\xe9 \xff\n".to_vec();
        let appended = append(Some(&latin1), "## d\n\n- x\n");
        assert!(appended.starts_with(&latin1));
        assert_eq!(&appended[latin1.len()..], b"\n## d\n\n- x\n");
        let crlf = b"# Log\r\n\r\nold\r\n".to_vec();
        let appended = append(Some(&crlf), "## d\n\n- x\n");
        assert_eq!(&appended[crlf.len()..], b"\r\n## d\r\n\r\n- x\r\n");
    }
}
