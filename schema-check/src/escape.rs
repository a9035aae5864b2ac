//! Making text from the database, a file or a variable safe where pgdrift
//! puts it: a terminal, a marker in the docs, a file name.
//!
//! Every escape here is injective (two different inputs never give the same
//! output) and its output never contains the characters it guards against.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether a character could steer a terminal or hide text from a reader:
/// C0 and C1 control characters (ESC starts screen-clearing and
/// title-setting sequences, BEL rings), DEL, and the bidirectional
/// overrides and isolates that reorder what is shown. Newline and tab are
/// layout, not control.
pub fn is_unsafe_for_terminal(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
}

/// `text` with every character [`is_unsafe_for_terminal`] written as a
/// visible `\u{…}` escape; borrowed when there is none.
pub fn terminal(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_for_terminal) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_unsafe_for_terminal(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Like [`terminal`], and a newline or tab is escaped too: for a name or a
/// value shown inside one line of output.
pub fn one_line(text: &str) -> Cow<'_, str> {
    if !text
        .chars()
        .any(|c| is_unsafe_for_terminal(c) || c == '\n' || c == '\t')
    {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if is_unsafe_for_terminal(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Appends `%XX` for each UTF-8 byte of `c`.
fn percent(out: &mut String, c: char) {
    let mut buf = [0u8; 4];
    for byte in c.encode_utf8(&mut buf).bytes() {
        let _ = write!(out, "%{byte:02X}");
    }
}

/// One identifier as it is written in a docs marker (`<!-- pgdrift:begin
/// schema.name -->`): letters and digits of any script, `_` and `$` as they
/// are; every other character (the `.` separator, spaces, `-` and `>` that
/// could end the HTML comment, `%` itself, quotes, controls) as `%XX` per
/// UTF-8 byte. Ordinary names read as themselves.
pub fn marker_component(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_alphanumeric() || c == '_' || c == '$' {
            out.push(c);
        } else {
            percent(&mut out, c);
        }
    }
    out
}

/// The marker key of `schema.name`.
pub fn marker_key(schema: &str, name: &str) -> String {
    format!("{}.{}", marker_component(schema), marker_component(name))
}

/// Reverses [`marker_component`]; `None` for text it cannot have written.
pub fn parse_marker_component(text: &str) -> Option<String> {
    let decoded = percent_decode(text, |c| c.is_alphanumeric() || c == '_' || c == '$')?;
    (marker_component(&decoded) == text).then_some(decoded)
}

/// One identifier as part of a file name: ASCII lower-case letters, digits
/// and `_` as they are; every other character — upper case included, so
/// that names differing only in case stay apart on case-insensitive file
/// systems, and `.`, `/`, `\` and `%` — as `%XX` per UTF-8 byte. The result
/// never names a parent directory or leaves the directory it is joined to.
pub fn file_component(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' {
            out.push(c);
        } else {
            percent(&mut out, c);
        }
    }
    if out.is_empty() {
        // The empty identifier cannot exist in PostgreSQL; keep it nameable.
        out.push('%');
    }
    out
}

/// Reverses [`file_component`]; `None` for text it cannot have written.
pub fn parse_file_component(text: &str) -> Option<String> {
    let decoded = percent_decode(text, |c| {
        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'
    })?;
    (file_component(&decoded) == text).then_some(decoded)
}

fn percent_decode(text: &str, plain: impl Fn(char) -> bool) -> Option<String> {
    let mut bytes = Vec::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '%' {
            let hex = rest.get(1..3)?;
            bytes.push(u8::from_str_radix(hex, 16).ok()?);
            rest = &rest[3..];
        } else if plain(c) {
            let mut buf = [0u8; 4];
            bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            rest = &rest[c.len_utf8()..];
        } else {
            return None;
        }
    }
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn terminal_escapes_controls_and_bidi_but_keeps_layout() {
        assert_eq!(terminal("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(terminal("a\x1b[2Jb\x07"), "a\\u{1b}[2Jb\\u{7}");
        assert_eq!(terminal("\u{202e}evil\u{9b}"), "\\u{202e}evil\\u{9b}");
        assert_eq!(one_line("two\nlines\r"), "two\\nlines\\u{d}");
    }

    #[test]
    fn ordinary_names_read_as_themselves_in_markers() {
        assert_eq!(marker_key("public", "users"), "public.users");
        assert_eq!(marker_key("Médias", "Order Items"), "Médias.Order%20Items");
        assert_eq!(marker_key("x.y", "z"), "x%2Ey.z");
        assert_eq!(marker_key("x", "y.z"), "x.y%2Ez");
        assert_eq!(marker_component("a-->b"), "a%2D%2D%3Eb");
    }

    #[test]
    fn file_names_never_climb_out() {
        assert_eq!(file_component("users"), "users");
        assert_eq!(
            file_component("x/../../tmp/pwn"),
            "x%2F%2E%2E%2F%2E%2E%2Ftmp%2Fpwn"
        );
        assert_eq!(file_component("Users"), "%55sers");
        assert_eq!(file_component(".."), "%2E%2E");
        assert_eq!(file_component(""), "%");
    }

    proptest! {
        #[test]
        fn marker_components_round_trip_and_hold_no_separator(name in "\\PC*|[\\x00-\\x7f]*") {
            let encoded = marker_component(&name);
            prop_assert!(!encoded.contains(['.', ' ', '-', '>', '<', '\n', '\r']));
            prop_assert_eq!(parse_marker_component(&encoded), Some(name));
        }

        #[test]
        fn file_components_round_trip_and_are_safe(name in "\\PC*|[\\x00-\\x7f]*") {
            let encoded = file_component(&name);
            prop_assert!(encoded.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '%'));
            if !name.is_empty() {
                prop_assert_eq!(parse_file_component(&encoded), Some(name));
            }
        }

        #[test]
        fn terminal_output_holds_no_control_character(text in "\\PC*|[\\x00-\\x7f\\u{80}-\\u{9f}\\u{202a}-\\u{202e}]*") {
            prop_assert!(!terminal(&text).chars().any(is_unsafe_for_terminal));
            prop_assert!(!one_line(&text).chars().any(|c| c.is_control()));
        }

        #[test]
        fn decoding_never_panics(text in "\\PC*|[%0-9A-Fa-z]*") {
            let _ = parse_marker_component(&text);
            let _ = parse_file_component(&text);
        }
    }
}
