//! How a draft writes names, strings and comments in SQL: identifiers
//! quoted only where PostgreSQL needs it (by the catalog's one
//! `quote_ident`), string literals with `'` doubled, and comments that no
//! text can end early.

use crate::catalog::{quote_ident, Column, TypeName};
use crate::escape;
use crate::sql_name;

/// An identifier as SQL writes it: `users`, `"user"`, `"Order Items"`.
pub(super) fn ident(name: &str) -> String {
    quote_ident(name).into_owned()
}

/// A table as SQL names it: `users` in `public`, `app.orders` elsewhere.
pub(super) fn table(schema: &str, name: &str) -> String {
    match schema {
        "public" => ident(name),
        _ => format!("{}.{}", ident(schema), ident(name)),
    }
}

/// A table as a person reads it in a comment: `users`, `app.orders`
/// (unquoted; comments escape what a line cannot hold).
pub(super) fn shown_table(schema: &str, name: &str) -> String {
    match schema {
        "public" => name.to_owned(),
        _ => format!("{schema}.{name}"),
    }
}

/// A string literal: `'it''s'`, and for a text with a backslash an escape
/// string with the backslashes doubled (`E'C:\\temp'`), which means the
/// same whatever the server's `standard_conforming_strings` (where it is
/// off, a backslash in a plain literal escapes the next character, and one
/// at the end would swallow the closing quote). A NUL, which no PostgreSQL text
/// holds, is left out.
pub(super) fn literal(text: &str) -> String {
    let quoted = text.replace('\0', "").replace('\'', "''");
    match quoted.contains('\\') {
        false => format!("'{quoted}'"),
        true => format!("E'{}'", quoted.replace('\\', "\\\\")),
    }
}

/// A type as SQL writes it: a user-defined one quoted where needed and
/// qualified outside `public`, a built-in one by its name.
pub(super) fn type_name(name: &TypeName) -> String {
    sql_name::spell(name)
}

/// The type a column has now, as SQL writes it (to give it back).
pub(super) fn column_type(column: &Column) -> String {
    match (&column.element, column.udt.schema.as_str()) {
        (None, "pg_catalog") => column.data_type.to_string(),
        (None, _) => type_name(&column.udt),
        (Some(element), "pg_catalog") if element.schema == "pg_catalog" => {
            column.data_type.to_string()
        }
        (Some(element), _) => format!("{}[]", type_name(element)),
    }
}

/// One comment line: `-- ` and the text, with every line break and control
/// character written as an escape, so the comment ends where the line does.
pub(super) fn comment(text: &str) -> String {
    format!("-- {}", escape::one_line(text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_quoted_only_where_needed() {
        assert_eq!(table("public", "users"), "users");
        assert_eq!(table("public", "user"), "\"user\"");
        assert_eq!(table("App", "Order Items"), "\"App\".\"Order Items\"");
        assert_eq!(ident("select"), "\"select\"");
        assert_eq!(ident("größe"), "\"größe\"");
        assert_eq!(ident("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn strings_double_their_quotes_and_escape_backslashes() {
        assert_eq!(literal("it's \"x\""), "'it''s \"x\"'");
        assert_eq!(literal("it's \\n \"x\""), "E'it''s \\\\n \"x\"'");
        assert_eq!(literal("C:\\"), "E'C:\\\\'");
        assert_eq!(literal("a\0b"), "'ab'");
    }

    #[test]
    fn a_comment_is_one_line_whatever_it_says() {
        assert_eq!(
            comment("a\nDROP TABLE users;\r--"),
            "-- a\\nDROP TABLE users;\\u{d}--"
        );
    }
}
