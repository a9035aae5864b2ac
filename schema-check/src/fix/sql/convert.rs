//! How a drafted `ALTER COLUMN … TYPE` converts the values already in the
//! column. A plain cast is right for most pairs of types, but some casts
//! change data without failing: `bytea::text` writes the bytes as `\x…` hex
//! text, `text::bytea` reads backslashes as escapes, and an explicit cast to
//! `varchar(n)` cuts longer values to `n` characters. Those are converted
//! another way; conversions that round or shift values say so to the person
//! who approves the draft.

use crate::types::canonical_sql_name;

/// The `TYPE … [USING …]` clause of a change from `old` to `new` (both as
/// the draft writes types), and what the reviewer must know about the values.
pub(super) struct Conversion {
    pub clause: String,
    pub risk: &'static str,
}

impl Conversion {
    /// A plain cast, which fails rather than change a value.
    pub fn is_plain(&self) -> bool {
        self.risk == PLAIN
    }
}

const PLAIN: &str = "fails if a value does not convert, or if PostgreSQL has no cast between the types (then write the USING expression)";

/// The conversion of column `name` (an SQL identifier) from `old` to `new`.
pub(super) fn conversion(name: &str, old: &str, new: &str) -> Conversion {
    let cast = |risk| Conversion {
        clause: format!("TYPE {new} USING {name}::{new}"),
        risk,
    };
    let using = |expression: String, risk| Conversion {
        clause: format!("TYPE {new} USING {expression}"),
        risk,
    };
    let (from, to) = (canonical_sql_name(old), canonical_sql_name(new));
    let text = |t: &str| matches!(t, "text" | "varchar" | "bpchar");
    let integer = |t: &str| matches!(t, "int2" | "int4" | "int8");
    let fractional = |t: &str| matches!(t, "numeric" | "float4" | "float8");
    let limited = new.contains('(');
    match (from.as_str(), to.as_str()) {
        ("bytea", t) if text(t) => using(
            format!("convert_from({name}, 'UTF8')"),
            "decodes the bytes as UTF-8 and fails on a value that is not UTF-8 (a plain cast would write the bytes as \\x hex text instead)",
        ),
        (f, "bytea") if text(f) => using(
            format!("convert_to({name}, 'UTF8')"),
            "stores each text's UTF-8 bytes (a plain cast would read backslashes in the text as escapes)",
        ),
        (f, t) if text(f) && text(t) && limited => Conversion {
            clause: format!("TYPE {new}"),
            risk: "fails if a value is longer than the new length (a cast in USING would cut it short instead)",
        },
        (f, t) if fractional(f) && integer(t) => cast(
            "rounds each value to the nearest integer; fails if a value is out of range",
        ),
        (f, "numeric") if fractional(f) && limited => cast(
            "rounds each value to the new scale; fails if a value has more digits before the point than the new precision allows",
        ),
        ("float8", "float4") => cast(
            "keeps about 6 significant digits of each value; fails if a value is out of range",
        ),
        ("timestamptz", "timestamp" | "date" | "time") => cast(
            "converts each value to the session's time zone (SET TIME ZONE first if it is not the one the values mean)",
        ),
        ("timestamp" | "date", "timestamptz") => cast(
            "reads each value as a time in the session's time zone (SET TIME ZONE first if it is not the one the values mean)",
        ),
        ("timestamp", "date") => cast("drops the time of day of each value"),
        _ => cast(PLAIN),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clause(old: &str, new: &str) -> String {
        conversion("c", old, new).clause
    }

    #[test]
    fn bytes_and_text_convert_as_utf8_not_by_cast() {
        assert_eq!(
            clause("bytea", "text"),
            "TYPE text USING convert_from(c, 'UTF8')"
        );
        assert_eq!(
            clause("character varying(40)", "bytea"),
            "TYPE bytea USING convert_to(c, 'UTF8')"
        );
    }

    #[test]
    fn a_shorter_text_type_fails_on_long_values_instead_of_cutting_them() {
        assert_eq!(clause("text", "varchar(40)"), "TYPE varchar(40)");
        assert_eq!(
            clause("character varying(64)", "bpchar(2)"),
            "TYPE bpchar(2)"
        );
        assert_eq!(
            clause("character varying(64)", "text"),
            "TYPE text USING c::text"
        );
    }

    #[test]
    fn rounding_and_time_zones_are_said() {
        assert!(conversion("c", "numeric(10,2)", "int8")
            .risk
            .contains("rounds"));
        assert!(conversion("c", "timestamp with time zone", "timestamp")
            .risk
            .contains("time zone"));
        assert_eq!(conversion("c", "text", "int8").risk, PLAIN);
        assert_eq!(clause("text", "int8"), "TYPE int8 USING c::int8");
    }
}
