//! The one Rust type to write for a column's type: the fitting type in the
//! time and decimal crates a project uses (what `generate-models` writes
//! and what a sure fix puts in a model).

use crate::config::{DecimalCrate, TimeCrate};

use super::SqlType;

/// The time and decimal crates a project writes its types in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Crates {
    /// The crate of dates and times.
    pub time: TimeCrate,
    /// The crate of `numeric`.
    pub decimal: DecimalCrate,
}

/// The Rust type for values of `sql` that needs no type of the user's
/// (enums need one): `None` when the type table has none.
pub fn plain_type_for(sql: &SqlType, crates: Crates) -> Option<String> {
    match sql {
        SqlType::Mapped(name) => rust_type_for(name, crates),
        SqlType::Array(element) => Some(format!("Vec<{}>", plain_type_for(element, crates)?)),
        SqlType::Extension(_) => super::rust_types_for(sql)
            .into_iter()
            .find(|t| !t.contains('&') && !t.contains("<T") && !t.contains(' ')),
        SqlType::Enum(_) | SqlType::Unmapped(_) => None,
    }
}

/// The time and decimal crates that `types` (a model's field types) use.
pub fn families_of<'a>(types: impl IntoIterator<Item = &'a syn::Type>) -> Crates {
    let mut crates = Crates::default();
    for ty in types {
        let text = super::type_text(ty);
        if text.contains("jiff::") {
            crates.time = TimeCrate::Jiff;
        } else if text.starts_with("time::")
            || text.contains("<time::")
            || text.contains("OffsetDateTime")
            || text.contains("PrimitiveDateTime")
        {
            crates.time = TimeCrate::Time;
        }
        if text.contains("BigDecimal") {
            crates.decimal = DecimalCrate::Bigdecimal;
        }
    }
    crates
}

/// The type `generate-models` writes for a `pg_type` name: the chosen time
/// and decimal crates, else the first plain type the type table lists; for
/// a range type, sqlx's `PgRange` over its element's type.
pub fn rust_type_for(pg_name: &str, crates: Crates) -> Option<String> {
    if let Some(element) = super::range_element(pg_name) {
        let element = rust_type_for(element, crates)?;
        return Some(format!("sqlx::postgres::types::PgRange<{element}>"));
    }
    single_type_for(pg_name, crates).map(str::to_owned)
}

fn single_type_for(pg_name: &str, crates: Crates) -> Option<&'static str> {
    use DecimalCrate::*;
    use TimeCrate::*;
    let chosen = match (pg_name, crates.time, crates.decimal) {
        ("numeric", _, RustDecimal) => "rust_decimal::Decimal",
        ("numeric", _, Bigdecimal) => "bigdecimal::BigDecimal",
        ("timestamptz", Chrono, _) => "chrono::DateTime<chrono::Utc>",
        ("timestamptz", Time, _) => "time::OffsetDateTime",
        ("timestamptz", Jiff, _) => "jiff::Timestamp",
        ("timestamp", Chrono, _) => "chrono::NaiveDateTime",
        ("timestamp", Time, _) => "time::PrimitiveDateTime",
        ("timestamp", Jiff, _) => "jiff::civil::DateTime",
        ("date", Chrono, _) => "chrono::NaiveDate",
        ("date", Time, _) => "time::Date",
        ("date", Jiff, _) => "jiff::civil::Date",
        ("time", Chrono, _) => "chrono::NaiveTime",
        ("time", Time, _) => "time::Time",
        ("time", Jiff, _) => "jiff::civil::Time",
        ("cidr", _, _) => "ipnetwork::IpNetwork",
        ("bytea", _, _) => "Vec<u8>",
        _ => {
            return super::rust_types_listed(pg_name)
                .iter()
                .copied()
                .find(|t| !t.contains(['<', '&']));
        }
    };
    Some(chosen)
}

/// The first segments of the paths in `code`: each identifier followed by
/// `::` that does not follow another segment.
pub fn path_roots(code: &str) -> impl Iterator<Item = &str> {
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    code.match_indices("::").filter_map(move |(at, _)| {
        let before = &code[..at];
        let start = before.rfind(|c: char| !ident(c)).map_or(0, |i| i + 1);
        let name = &before[start..];
        // After `a::` or `<T as X>::` a segment is not a root; after a
        // leading `::` (a global path) it is.
        let qualified = before[..start]
            .strip_suffix("::")
            .is_some_and(|p| p.ends_with(|c: char| ident(c) || c == '>'));
        (!name.is_empty() && !qualified).then(|| name.trim_start_matches("r#"))
    })
}

/// Whether every path in the Rust type `ty` starts in one of `crates`.
pub fn nameable_in(ty: &str, crates: &std::collections::BTreeSet<String>) -> bool {
    path_roots(ty).all(|root| crates.contains(root))
}

/// [`plain_type_for`], but of the types the type table lists for `sql`,
/// the first whose paths all start in `crates` (the package's dependencies)
/// when the first choice names another crate: `String` for `ltree` in a
/// crate without sqlx. The first choice when none is nameable.
pub fn plain_type_within(
    sql: &SqlType,
    crates: Crates,
    nameable: &std::collections::BTreeSet<String>,
) -> Option<String> {
    let first = plain_type_for(sql, crates)?;
    if nameable_in(&first, nameable) {
        return Some(first);
    }
    let plain = |t: &String| !t.contains(['&', ' ']) && !t.contains("<T");
    let other = match sql {
        SqlType::Extension(_) | SqlType::Mapped(_) => super::rust_types_for(sql)
            .into_iter()
            .filter(plain)
            .find(|t| nameable_in(t, nameable)),
        _ => None,
    };
    Some(other.unwrap_or(first))
}
