//! Which Rust types fit which PostgreSQL column types.
//!
//! Rust types are matched by path: the last segment and its generic
//! arguments, so `chrono::DateTime<Utc>` and an imported `DateTime<Utc>` are
//! the same type. A type whose last segment we do not know (a newtype, an
//! alias, a Rust enum) cannot be checked.
//!
//! The mappings are the ones the established clients decode each column
//! type into: sqlx's PostgreSQL driver (`sqlx-postgres`, including its
//! re-exports under `sqlx::types` and `sqlx::postgres::types`),
//! `postgres-types` (tokio-postgres and postgres) and diesel's PostgreSQL
//! backend. `xml` is left unchecked: none of them decodes it.

use crate::catalog::{Catalog, Column, TypeName};

mod extensions;
// The one type to write for a column: for generated models and fixes.
#[cfg(feature = "workflow")]
mod fitting;

#[cfg(feature = "workflow")]
pub use fitting::{
    families_of, nameable_in, path_roots, plain_type_for, plain_type_within, rust_type_for, Crates,
};

/// A column's type with domains resolved to their base type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqlType {
    /// A type with a known Rust mapping, by its `pg_type` name (`int8`).
    Mapped(&'static str),
    Array(Box<SqlType>),
    Enum(TypeName),
    /// A type an extension defines, by its `pg_type` name (`geometry`), in
    /// whatever schema (see the `extensions` module).
    Extension(&'static str),
    /// A type pgdrift has no Rust mapping for (`interval`, a composite, …).
    Unmapped(TypeName),
}

/// Whether a Rust type fits a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fit {
    Yes,
    No,
    /// The Rust type (or the column type) is one pgdrift cannot check.
    Unknown,
}

/// PostgreSQL type names with a Rust mapping, and the Rust types that fit.
const MAPPINGS: &[(&[&str], Kind, &[&str])] = &[
    (&["bool"], Kind::Bool, &["bool"]),
    (&["int2"], Kind::I16, &["i16"]),
    (&["int4"], Kind::I32, &["i32"]),
    (&["int8"], Kind::I64, &["i64"]),
    (&["oid"], Kind::U32, &["u32"]),
    (&["float4"], Kind::F32, &["f32"]),
    (&["float8"], Kind::F64, &["f64"]),
    (
        &["numeric"],
        Kind::Decimal,
        &["rust_decimal::Decimal", "bigdecimal::BigDecimal"],
    ),
    (
        &["text", "varchar", "bpchar", "name", "citext"],
        Kind::Text,
        &["String", "&str", "Box<str>", "Cow<str>"],
    ),
    (&["bytea"], Kind::Bytes, &["Vec<u8>", "&[u8]", "Box<[u8]>"]),
    (&["uuid"], Kind::Uuid, &["uuid::Uuid"]),
    (
        &["timestamptz"],
        Kind::TimestampTz,
        &[
            "chrono::DateTime<Utc>",
            "chrono::DateTime<FixedOffset>",
            "chrono::DateTime<Local>",
            "time::OffsetDateTime",
        ],
    ),
    (
        &["timestamp"],
        Kind::Timestamp,
        &["chrono::NaiveDateTime", "time::PrimitiveDateTime"],
    ),
    (&["date"], Kind::Date, &["chrono::NaiveDate", "time::Date"]),
    (&["time"], Kind::Time, &["chrono::NaiveTime", "time::Time"]),
    (
        &["json", "jsonb"],
        Kind::Json,
        &["serde_json::Value", "Json<T>"],
    ),
    (
        &["inet", "cidr"],
        Kind::Inet,
        &[
            "std::net::IpAddr",
            "ipnetwork::IpNetwork",
            "ipnet::IpNet",
            "cidr::IpInet",
            "cidr::IpCidr",
        ],
    ),
    // The types below: sqlx (`PgInterval`, `PgMoney`, `PgTimeTz`,
    // `PgHstore`, `mac_address`, `bit_vec`), postgres-types (`HashMap` for
    // hstore, `eui48`, `bit_vec`), diesel (`PgInterval`, `PgMoney`, `[u8; 6]`
    // for macaddr), diesel_full_text_search (`TsVector`).
    (
        &["interval"],
        Kind::Interval,
        &[
            "sqlx::postgres::types::PgInterval",
            "chrono::Duration",
            "time::Duration",
        ],
    ),
    (&["money"], Kind::Money, &["sqlx::postgres::types::PgMoney"]),
    (
        &["timetz"],
        Kind::TimeTz,
        &["sqlx::postgres::types::PgTimeTz"],
    ),
    (
        &["macaddr"],
        Kind::MacAddr,
        &["mac_address::MacAddress", "eui48::MacAddress", "[u8; 6]"],
    ),
    (&["bit", "varbit"], Kind::Bits, &["bit_vec::BitVec"]),
    (
        &["hstore"],
        Kind::Hstore,
        &[
            "sqlx::postgres::types::PgHstore",
            "HashMap<String, Option<String>>",
        ],
    ),
    (
        &["tsvector"],
        Kind::TsVector,
        &["diesel_full_text_search::TsVector"],
    ),
];

/// Range types and their element types: sqlx's `PgRange<T>` and diesel's
/// `(Bound<T>, Bound<T>)` over the element's Rust type.
const RANGES: &[(&str, &str)] = &[
    ("int4range", "int4"),
    ("int8range", "int8"),
    ("numrange", "numeric"),
    ("tsrange", "timestamp"),
    ("tstzrange", "timestamptz"),
    ("daterange", "date"),
];

/// What a Rust type is, as far as column types are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bool,
    I16,
    I32,
    I64,
    U32,
    F32,
    F64,
    Decimal,
    Text,
    Bytes,
    Uuid,
    TimestampTz,
    Timestamp,
    Date,
    Time,
    Json,
    Inet,
    Interval,
    Money,
    TimeTz,
    MacAddr,
    Bits,
    Hstore,
    TsVector,
    /// A known Rust type that fits no column type (`u64`, `char`, `HashMap`).
    Unfit,
}

/// Resolves domains (and domains over arrays) down to a [`SqlType`].
pub fn resolve(catalog: &Catalog, column: &Column) -> SqlType {
    resolve_name(catalog, &column.udt, column.element.as_ref(), 0)
}

fn resolve_name(
    catalog: &Catalog,
    udt: &TypeName,
    element: Option<&TypeName>,
    depth: usize,
) -> SqlType {
    if depth < 16 {
        if let Some(domain) = catalog.domain(udt) {
            return resolve_name(catalog, &domain.base, domain.element.as_ref(), depth + 1);
        }
        if let Some(element) = element {
            return SqlType::Array(Box::new(resolve_name(catalog, element, None, depth + 1)));
        }
    }
    if catalog.enum_type(udt).is_some() {
        return SqlType::Enum(udt.clone());
    }
    if let Some(known) = extensions::lookup(&udt.name) {
        if let Some(name) = known.names.iter().find(|n| **n == udt.name) {
            return SqlType::Extension(name);
        }
    }
    // citext and hstore are extensions, installed in any schema.
    let builtin = udt.schema == "pg_catalog" || udt.name == "citext" || udt.name == "hstore";
    MAPPINGS
        .iter()
        .flat_map(|(names, _, _)| names.iter())
        .chain(RANGES.iter().map(|(range, _)| range))
        .find(|name| builtin && **name == udt.name)
        .map_or_else(
            || SqlType::Unmapped(udt.clone()),
            |name| SqlType::Mapped(name),
        )
}

/// The Rust types that fit `sql`, for messages.
pub fn rust_types_for(sql: &SqlType) -> Vec<String> {
    match sql {
        SqlType::Mapped(name) => match range_element(name) {
            Some(element) => {
                let first = rust_types_for(&SqlType::Mapped(element))
                    .into_iter()
                    .next()
                    .unwrap_or_default();
                vec![
                    format!("sqlx::postgres::types::PgRange<{first}>"),
                    format!("(Bound<{first}>, Bound<{first}>)"),
                ]
            }
            None => mapping(name)
                .map(|(_, _, rust)| rust.iter().map(|r| r.to_string()).collect())
                .unwrap_or_default(),
        },
        SqlType::Array(element) => {
            let owned: Vec<String> = rust_types_for(element)
                .into_iter()
                .filter(|r| !r.starts_with('&'))
                .collect();
            let Some(first) = owned.first().cloned() else {
                return Vec::new();
            };
            let mut out: Vec<String> = owned.iter().map(|r| format!("Vec<{r}>")).collect();
            out.push(format!("Vec<Option<{first}>>"));
            out.push(format!("&[{first}]"));
            out.push(format!("Box<[{first}]>"));
            out
        }
        SqlType::Enum(name) => vec![format!("a Rust enum with the labels of `{}`", name.name)],
        SqlType::Extension(name) => extensions::lookup(name)
            .map(|t| t.shown.iter().map(|r| r.to_string()).collect())
            .unwrap_or_default(),
        SqlType::Unmapped(_) => Vec::new(),
    }
}

/// The element type of a range type, by `pg_type` name.
pub fn range_element(name: &str) -> Option<&'static str> {
    RANGES
        .iter()
        .find(|(range, _)| *range == name)
        .map(|(_, element)| *element)
}

/// How many array levels wrap `sql`, and the element's `pg_type` name.
pub fn element_name(sql: &SqlType) -> (usize, String) {
    match sql {
        SqlType::Mapped(name) | SqlType::Extension(name) => (0, (*name).to_owned()),
        SqlType::Array(element) => {
            let (dimensions, name) = element_name(element);
            (dimensions + 1, name)
        }
        SqlType::Enum(name) | SqlType::Unmapped(name) => (0, name.name.to_string()),
    }
}

/// Every `pg_type` name the type table maps: the built-in types, the range
/// types and the extensions' types, in table order.
pub fn mapped_type_names() -> Vec<&'static str> {
    let builtin = MAPPINGS.iter().flat_map(|(names, _, _)| names.iter());
    let ranges = RANGES.iter().map(|(range, _)| range);
    let extensions = extensions::EXTENSION_TYPES.iter().flat_map(|t| t.names);
    builtin.chain(ranges).chain(extensions).copied().collect()
}

/// The Rust types the type table lists for a `pg_type` name, preferred
/// first; empty when it has none.
pub fn rust_types_listed(pg_name: &str) -> &'static [&'static str] {
    mapping(pg_name).map_or(&[], |(_, _, rust)| rust)
}

fn mapping(
    name: &str,
) -> Option<&'static (&'static [&'static str], Kind, &'static [&'static str])> {
    MAPPINGS.iter().find(|(names, _, _)| names.contains(&name))
}

/// Whether the Rust type `ty` (with any `Option` already removed) fits `sql`.
pub fn fits(sql: &SqlType, ty: &syn::Type) -> Fit {
    if let SqlType::Extension(name) = sql {
        return extensions::fits(name, ty);
    }
    let Some(shape) = classify(ty) else {
        // An extension's Rust type (`pgvector::Vector`) fits no other column.
        let known = !matches!(sql, SqlType::Unmapped(_));
        return if known && extensions::is_extension_rust_type(ty) {
            Fit::No
        } else {
            Fit::Unknown
        };
    };
    match (sql, shape) {
        (SqlType::Unmapped(_), _) => Fit::Unknown,
        (SqlType::Extension(name), _) => extensions::fits(name, ty),
        (SqlType::Enum(_), _) => Fit::No,
        (SqlType::Array(element), Shape::Vec(inner)) => {
            // Array elements may be NULL: `Vec<Option<U>>` fits as `Vec<U>` does.
            fits(element, option_inner(inner).unwrap_or(inner))
        }
        (SqlType::Array(_), _) => Fit::No,
        (SqlType::Mapped(name), Shape::Range(inner)) => match range_element(name) {
            Some(element) => fits(&SqlType::Mapped(element), inner),
            None => Fit::No,
        },
        (SqlType::Mapped(_), Shape::Kind(_)) if range_element_of(sql).is_some() => Fit::No,
        (SqlType::Mapped(name), Shape::Kind(kind)) => {
            if mapping(name).is_some_and(|(_, expected, _)| *expected == kind) {
                Fit::Yes
            } else {
                Fit::No
            }
        }
        (SqlType::Mapped(_), Shape::Vec(_)) => Fit::No,
    }
}

fn range_element_of(sql: &SqlType) -> Option<&'static str> {
    match sql {
        SqlType::Mapped(name) => range_element(name),
        _ => None,
    }
}

/// `Some(T)` when `ty` is `Option<T>` (by its last path segment). The
/// arguments are looked at before the name: a name's text is asked of the
/// compiler, and most field types have no arguments.
pub fn option_inner(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(path) = strip(ty) else {
        return None;
    };
    let segment = path.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(angled) = &segment.arguments else {
        return None;
    };
    let mut inner = None;
    for arg in &angled.args {
        if let syn::GenericArgument::Type(t) = arg {
            if inner.replace(t).is_some() {
                return None;
            }
        }
    }
    inner.filter(|_| segment.ident == "Option")
}

enum Shape<'a> {
    Kind(Kind),
    /// An array's Rust form over `T`: `Vec<T>`, `&[T]`, `Box<[T]>` (other
    /// than over `u8`, which is `bytea`).
    Vec(&'a syn::Type),
    /// A range over `T`: `PgRange<T>`, `(Bound<T>, Bound<T>)`.
    Range(&'a syn::Type),
}

fn strip(ty: &syn::Type) -> &syn::Type {
    match ty {
        syn::Type::Group(g) => strip(&g.elem),
        syn::Type::Paren(p) => strip(&p.elem),
        other => other,
    }
}

/// The last path segment's name and its type arguments.
fn last_segment(ty: &syn::Type) -> Option<(String, Vec<&syn::Type>)> {
    let syn::Type::Path(path) = strip(ty) else {
        return None;
    };
    let segment = path.path.segments.last()?;
    let args = match &segment.arguments {
        syn::PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|arg| match arg {
                syn::GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Some((segment.ident.to_string(), args))
}

fn is(ty: &syn::Type, name: &str) -> bool {
    last_segment(ty).is_some_and(|(n, args)| n == name && args.is_empty())
}

fn is_slice_of_u8(ty: &syn::Type) -> bool {
    matches!(strip(ty), syn::Type::Slice(s) if is(&s.elem, "u8"))
}

/// Whether `ty`'s path names one of `modules` before its last segment
/// (`jiff::Timestamp`, `civil::DateTime`).
fn in_module(ty: &syn::Type, modules: &[&str]) -> bool {
    let syn::Type::Path(path) = strip(ty) else {
        return false;
    };
    let segments = &path.path.segments;
    segments
        .iter()
        .take(segments.len().saturating_sub(1))
        .any(|s| modules.iter().any(|m| s.ident == m))
}

/// The element type of a slice, `[T]`.
fn slice_element(ty: &syn::Type) -> Option<&syn::Type> {
    match strip(ty) {
        syn::Type::Slice(s) => Some(&s.elem),
        _ => None,
    }
}

/// `[u8; 6]`, diesel's form of `macaddr`.
fn is_mac_bytes(ty: &syn::Type) -> bool {
    match strip(ty) {
        syn::Type::Array(a) => {
            is(&a.elem, "u8")
                && matches!(&a.len, syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Int(n), .. }) if n.base10_digits() == "6")
        }
        _ => false,
    }
}

/// `(Bound<T>, Bound<T>)`: diesel's range.
fn bound_pair(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Tuple(tuple) = strip(ty) else {
        return None;
    };
    let mut elements = tuple.elems.iter().map(|t| match last_segment(t) {
        Some((name, args)) if name == "Bound" && args.len() == 1 => Some(args[0]),
        _ => None,
    });
    match (elements.next()??, elements.next()??, elements.next()) {
        (first, _, None) => Some(first),
        _ => None,
    }
}

/// What a Rust type is, or `None` when pgdrift does not know it.
fn classify(ty: &syn::Type) -> Option<Shape<'_>> {
    match strip(ty) {
        syn::Type::Reference(r) => classify_reference(&r.elem),
        syn::Type::Path(_) => classify_path(ty),
        syn::Type::Array(_) if is_mac_bytes(ty) => Some(Shape::Kind(Kind::MacAddr)),
        syn::Type::Tuple(_) => match bound_pair(ty) {
            Some(element) => Some(Shape::Range(element)),
            None => Some(Shape::Kind(Kind::Unfit)),
        },
        syn::Type::Slice(_) | syn::Type::Array(_) => Some(Shape::Kind(Kind::Unfit)),
        _ => None,
    }
}

/// What `&T` is, `T` being `referenced`.
fn classify_reference(referenced: &syn::Type) -> Option<Shape<'_>> {
    let inner = strip(referenced);
    if is(inner, "str") {
        Some(Shape::Kind(Kind::Text))
    } else if is_slice_of_u8(inner) {
        Some(Shape::Kind(Kind::Bytes))
    } else if let Some(element) = slice_element(inner) {
        Some(Shape::Vec(element))
    } else {
        classify(inner)
    }
}

/// What a type named by a path is: by its last segment's name, and for
/// some names by their arguments or module.
fn classify_path(ty: &syn::Type) -> Option<Shape<'_>> {
    use Kind::*;
    let kind = |k| Some(Shape::Kind(k));
    let (name, args) = last_segment(ty)?;
    if let Some(k) = kind_by_name(&name) {
        return kind(k);
    }
    let arg = |i: usize| args.get(i).copied();
    match name.as_str() {
        // `Text<T>`: sqlx's value stored as text through `Display`/`FromStr`.
        "Text" if args.len() == 1 => kind(Text),
        "Box" | "Cow" | "Arc" | "Rc" => match arg(0) {
            Some(t) if is(t, "str") => kind(Text),
            Some(t) if is_slice_of_u8(t) => kind(Bytes),
            Some(t) if name != "Arc" && name != "Rc" => slice_element(t)
                .map(Shape::Vec)
                .or(Some(Shape::Kind(Unfit))),
            _ => kind(Unfit),
        },
        "Vec" => match arg(0) {
            Some(t) if is(t, "u8") => kind(Bytes),
            Some(t) => Some(Shape::Vec(t)),
            None => kind(Unfit),
        },
        "DateTime" => match arg(0) {
            Some(tz) if ["Utc", "FixedOffset", "Local"].iter().any(|n| is(tz, n)) => {
                kind(TimestampTz)
            }
            // jiff's `civil::DateTime` takes no arguments; a bare
            // `DateTime` is more likely a project's own alias.
            None if in_module(ty, &["jiff", "civil"]) => kind(Timestamp),
            None => None,
            _ => kind(Unfit),
        },
        "Timestamp" if in_module(ty, &["jiff"]) => kind(TimestampTz),
        "PgRange" => arg(0).map(Shape::Range),
        "HashMap" | "BTreeMap" => match (arg(0), arg(1)) {
            (Some(k), Some(v))
                if name == "HashMap"
                    && is(k, "String")
                    && option_inner(v).is_some_and(|v| is(v, "String")) =>
            {
                kind(Hstore)
            }
            _ => kind(Unfit),
        },
        _ => None,
    }
}

/// The kind of a type whose name alone tells it, whatever its arguments
/// and module.
fn kind_by_name(name: &str) -> Option<Kind> {
    use Kind::*;
    Some(match name {
        "bool" => Bool,
        "i16" => I16,
        "i32" => I32,
        "i64" => I64,
        "u32" | "Oid" => U32,
        "f32" => F32,
        "f64" => F64,
        "Decimal" | "BigDecimal" => Decimal,
        "String" | "PgCiText" => Text,
        "Uuid" => Uuid,
        "OffsetDateTime" | "SystemTime" => TimestampTz,
        "NaiveDateTime" | "PrimitiveDateTime" => Timestamp,
        "NaiveDate" | "Date" => Date,
        "NaiveTime" | "Time" => Time,
        "Value" | "JsonValue" | "Json" => Json,
        "IpAddr" | "IpNetwork" | "IpNet" | "IpInet" | "IpCidr" => Inet,
        "PgInterval" | "Duration" | "TimeDelta" => Interval,
        "PgMoney" => Money,
        "PgTimeTz" => TimeTz,
        "MacAddress" => MacAddr,
        "BitVec" => Bits,
        "PgHstore" => Hstore,
        "TsVector" => TsVector,
        "i8" | "u8" | "u16" | "u64" | "i128" | "u128" | "usize" | "isize" | "char" | "str"
        | "Option" | "HashSet" | "BTreeSet" => Unfit,
        _ => return None,
    })
}

/// Canonical `pg_type` names for a type as users write it in `sql_type`.
/// A name with quoted parts keeps them as PostgreSQL reads them.
pub fn canonical_sql_name(written: &str) -> String {
    if written.contains('"') {
        if let Ok(name) = crate::sql_name::parse_type_name(written) {
            let spelt = crate::sql_name::spell(&name.folded());
            return format!("{spelt}{}", "[]".repeat(name.dimensions));
        }
    }
    let lower = written.trim().to_lowercase();
    let base = match lower.find('(') {
        Some(i) => {
            let close = lower.rfind(')').unwrap_or(lower.len() - 1);
            format!("{}{}", lower[..i].trim_end(), &lower[close + 1..])
        }
        None => lower,
    };
    let (base, array) = match base.strip_suffix("[]") {
        Some(b) => (b.trim_end().to_owned(), "[]"),
        None => (base, ""),
    };
    let name = match base.as_str() {
        "bigint" | "int8" | "bigserial" | "serial8" => "int8",
        "integer" | "int" | "int4" | "serial" | "serial4" => "int4",
        "smallint" | "int2" | "smallserial" | "serial2" => "int2",
        "boolean" | "bool" => "bool",
        "real" | "float4" => "float4",
        "double precision" | "float8" | "float" => "float8",
        "decimal" | "numeric" => "numeric",
        "character varying" | "varchar" => "varchar",
        "character" | "char" | "bpchar" => "bpchar",
        "timestamp with time zone" | "timestamptz" => "timestamptz",
        "timestamp without time zone" | "timestamp" => "timestamp",
        "time without time zone" | "time" => "time",
        "time with time zone" | "timetz" => "timetz",
        other => other,
    };
    format!("{name}{array}")
}

/// Whether a declared `sql_type` names the column's type (its own type, a
/// domain's base type, or with `[]` an array of them).
pub fn sql_type_matches(catalog: &Catalog, column: &Column, declared: &str) -> bool {
    names_user_type(catalog, column, declared) || names_builtin(catalog, column, declared)
}

/// Whether `declared` names, by the identifier rules of
/// [`crate::sql_name`], the column's own user-defined type, a domain it
/// goes through, or (with `[]`) its element type.
fn names_user_type(catalog: &Catalog, column: &Column, declared: &str) -> bool {
    let Ok(written) = crate::sql_name::parse_type_name(declared) else {
        return false;
    };
    let Some(named) = written.resolve(catalog) else {
        return false;
    };
    let mut udt = column.udt.clone();
    let mut element = column.element.clone();
    for _ in 0..16 {
        let matched = match written.dimensions {
            0 => udt == named,
            _ => element.as_ref() == Some(&named),
        };
        if matched {
            return true;
        }
        let Some(domain) = catalog.domain(&udt) else {
            break;
        };
        udt = domain.base.clone();
        element = domain.element.clone();
    }
    false
}

/// Whether `declared`, canonicalised, is one of the column's type names.
fn names_builtin(catalog: &Catalog, column: &Column, declared: &str) -> bool {
    let declared = canonical_sql_name(declared);
    let mut candidates = vec![
        canonical_sql_name(&column.data_type),
        column.udt.name.to_string(),
        format!("{}.{}", column.udt.schema, column.udt.name),
    ];
    if let Some(element) = &column.element {
        candidates.push(format!("{}[]", element.name));
        candidates.push(format!("{}.{}[]", element.schema, element.name));
    }
    let mut udt = column.udt.clone();
    for _ in 0..16 {
        let Some(domain) = catalog.domain(&udt) else {
            break;
        };
        candidates.push(canonical_sql_name(&domain.data_type));
        candidates.push(domain.base.name.to_string());
        if let Some(element) = &domain.element {
            candidates.push(format!("{}[]", element.name));
        }
        udt = domain.base.clone();
    }
    candidates.contains(&declared)
}

/// The SQL type the type table gives a Rust type (`i32` → `int4`, `String`
/// → `text`, `Vec<i64>` → `int8[]`), or `None` when it gives none.
pub fn sql_name_for(ty: &syn::Type) -> Option<String> {
    match classify(ty)? {
        Shape::Kind(kind) => MAPPINGS
            .iter()
            .find(|(_, k, _)| *k == kind)
            .map(|(names, _, _)| names[0].to_owned()),
        Shape::Vec(element) => sql_name_for(element).map(|name| format!("{name}[]")),
        // Which range type depends on the column: give the newtype `sql_type`.
        Shape::Range(_) => None,
    }
}

/// The name of the type a field holds, after one `Option` and the element
/// of a `Vec`: `Option<Vec<Email>>` → `Email`.
pub fn last_segment_name(ty: &syn::Type) -> Option<String> {
    let ty = referent(option_inner(ty).unwrap_or(ty));
    if let syn::Type::Slice(slice) = ty {
        return last_segment(referent(&slice.elem)).map(|(name, _)| name);
    }
    let (name, args) = last_segment(ty)?;
    match (name.as_str(), args.as_slice()) {
        ("Vec", [element]) => last_segment(referent(element)).map(|(name, _)| name),
        _ => Some(name),
    }
}

/// What a reference refers to (`&'a T`, `&T`, `&mut T` → `T`), else the
/// type itself: a write sends, and a type check sees, the referent.
pub fn referent(ty: &syn::Type) -> &syn::Type {
    match strip(ty) {
        syn::Type::Reference(r) => referent(&r.elem),
        other => other,
    }
}

/// Whether the type table knows the Rust type (as fitting some columns or
/// as fitting none); `false` for a newtype, an alias or a Rust enum.
pub fn is_known(ty: &syn::Type) -> bool {
    classify(ty).is_some()
}

/// The `pg_type` names that the same Rust types fit as `name` (`text` →
/// `text`, `varchar`, `bpchar`, `name`, `citext`), or `None` when the type
/// table has no row for it.
pub fn family(name: &str) -> Option<&'static [&'static str]> {
    mapping(name).map(|(names, _, _)| *names)
}

/// The spellings PostgreSQL accepts for a canonical `pg_type` name
/// (`int4` → `integer`, `int`, `serial`, …), the canonical name first.
pub fn spellings(name: &str) -> Vec<&str> {
    let aliases: &[&str] = match name {
        "int8" => &["bigint", "bigserial", "serial8"],
        "int4" => &["integer", "int", "serial", "serial4"],
        "int2" => &["smallint", "smallserial", "serial2"],
        "bool" => &["boolean"],
        "float4" => &["real"],
        "float8" => &["double precision", "float"],
        "numeric" => &["decimal"],
        "varchar" => &["character varying"],
        "bpchar" => &["character", "char"],
        "timestamptz" => &["timestamp with time zone"],
        "timestamp" => &["timestamp without time zone"],
        "time" => &["time without time zone"],
        "timetz" => &["time with time zone"],
        _ => &[],
    };
    std::iter::once(name)
        .chain(aliases.iter().copied())
        .collect()
}

/// A type as written, for messages: `Option<chrono::DateTime<Utc>>`.
pub fn type_text(ty: &syn::Type) -> String {
    let raw = quote::ToTokens::to_token_stream(ty).to_string();
    let mut text = raw
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" < ", "<")
        .replace("< ", "<")
        .replace(" <", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace("& ", "&")
        .replace("[ ", "[")
        .replace(" ]", "]")
        .replace(" ;", ";");
    if text.starts_with("::") {
        text = text.trim_start_matches("::").to_owned();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(src: &str) -> syn::Type {
        syn::parse_str(src).unwrap()
    }

    fn fit(sql: &SqlType, rust: &str) -> Fit {
        fits(sql, &ty(rust))
    }

    #[test]
    fn a_custom_type_is_named_through_options_references_and_sequences() {
        for (rust, name) in [
            ("Email", "Email"),
            ("Option<&'a Email>", "Email"),
            ("&'static crate::Email", "Email"),
            ("Vec<&'a Mood>", "Mood"),
            ("&'a [Mood]", "Mood"),
            ("Option<&'a [Mood]>", "Mood"),
        ] {
            assert_eq!(
                last_segment_name(&ty(rust)).as_deref(),
                Some(name),
                "{rust}"
            );
        }
    }

    #[test]
    fn the_compatibility_table() {
        let cases: &[(&str, &[&str], &[&str])] = &[
            ("bool", &["bool"], &["i32", "String"]),
            ("int2", &["i16"], &["i32", "i64", "u16"]),
            (
                "int4",
                &["i32", "std::primitive::i32"],
                &["i64", "i16", "u32"],
            ),
            ("int8", &["i64"], &["i32", "u64", "String"]),
            ("oid", &["u32"], &["i32"]),
            ("float4", &["f32"], &["f64"]),
            ("float8", &["f64"], &["f32"]),
            (
                "numeric",
                &["rust_decimal::Decimal", "Decimal", "bigdecimal::BigDecimal"],
                &["f64"],
            ),
            (
                "text",
                &["String", "&'a str", "Box<str>", "std::borrow::Cow<'a, str>"],
                &["i32", "Vec<u8>", "char"],
            ),
            (
                "bytea",
                &["Vec<u8>", "&'a [u8]", "Box<[u8]>"],
                &["String", "Vec<i8>"],
            ),
            ("uuid", &["uuid::Uuid", "Uuid"], &["String", "u128"]),
            (
                "timestamptz",
                &[
                    "chrono::DateTime<chrono::Utc>",
                    "DateTime<Utc>",
                    "DateTime<FixedOffset>",
                    "DateTime<Local>",
                    "time::OffsetDateTime",
                ],
                &["chrono::NaiveDateTime", "PrimitiveDateTime", "DateTime<Tz>"],
            ),
            (
                "timestamp",
                &["chrono::NaiveDateTime", "time::PrimitiveDateTime"],
                &["DateTime<Utc>", "OffsetDateTime"],
            ),
            (
                "date",
                &["chrono::NaiveDate", "time::Date"],
                &["NaiveDateTime"],
            ),
            ("time", &["chrono::NaiveTime", "time::Time"], &["NaiveDate"]),
            (
                "jsonb",
                &[
                    "serde_json::Value",
                    "sqlx::types::Json<Settings>",
                    "postgres_types::Json<Settings>",
                    "Json<T>",
                ],
                &["String"],
            ),
            (
                "inet",
                &[
                    "std::net::IpAddr",
                    "ipnetwork::IpNetwork",
                    "cidr::IpInet",
                    "cidr::IpCidr",
                ],
                &["String"],
            ),
        ];
        for (sql, good, bad) in cases {
            let sql_type =
                SqlType::Mapped(mapping(sql).unwrap().0.iter().find(|n| n == &sql).unwrap());
            for rust in *good {
                assert_eq!(fit(&sql_type, rust), Fit::Yes, "{sql} ← {rust}");
            }
            for rust in *bad {
                assert_eq!(fit(&sql_type, rust), Fit::No, "{sql} ← {rust}");
            }
        }
    }

    #[test]
    fn arrays_enums_and_unknown_types() {
        let text_array = SqlType::Array(Box::new(SqlType::Mapped("text")));
        assert_eq!(fit(&text_array, "Vec<String>"), Fit::Yes);
        assert_eq!(fit(&text_array, "Vec<i32>"), Fit::No);
        assert_eq!(fit(&text_array, "String"), Fit::No);
        assert_eq!(fit(&text_array, "Vec<Tag>"), Fit::Unknown);
        let nested = SqlType::Array(Box::new(SqlType::Array(Box::new(SqlType::Mapped("int4")))));
        assert_eq!(fit(&nested, "Vec<Vec<i32>>"), Fit::Yes);
        let mood = SqlType::Enum(TypeName::new("public", "mood"));
        assert_eq!(
            fit(&mood, "Mood"),
            Fit::Unknown,
            "Rust enums are unchecked until enum support lands"
        );
        assert_eq!(fit(&mood, "String"), Fit::No);
        assert_eq!(fit(&SqlType::Mapped("int8"), "UserId"), Fit::Unknown);
        assert_eq!(
            fit(&SqlType::Unmapped(TypeName::builtin("interval")), "String"),
            Fit::Unknown
        );
        let option = ty("std::option::Option<i32>");
        assert_eq!(option_inner(&option).map(type_text).as_deref(), Some("i32"));
        assert!(option_inner(&ty("Vec<i32>")).is_none());
        assert_eq!(
            rust_types_for(&text_array),
            [
                "Vec<String>",
                "Vec<Box<str>>",
                "Vec<Cow<str>>",
                "Vec<Option<String>>",
                "&[String]",
                "Box<[String]>"
            ]
        );
    }

    #[test]
    fn names_shared_with_project_aliases_need_their_crate_path() {
        let tz = SqlType::Mapped("timestamptz");
        assert_eq!(fit(&tz, "jiff::Timestamp"), Fit::Yes);
        assert_eq!(
            fit(&tz, "Timestamp"),
            Fit::Unknown,
            "a project's own newtype"
        );
        assert_eq!(
            fit(&tz, "DateTime"),
            Fit::Unknown,
            "a project's alias of DateTime<Utc>"
        );
        let ts = SqlType::Mapped("timestamp");
        assert_eq!(fit(&ts, "jiff::civil::DateTime"), Fit::Yes);
        assert_eq!(fit(&ts, "civil::DateTime"), Fit::Yes);
        assert_eq!(fit(&SqlType::Mapped("text"), "Text"), Fit::Unknown);
        assert_eq!(
            fit(&SqlType::Mapped("text"), "sqlx::types::Text<Url>"),
            Fit::Yes
        );
    }

    #[test]
    fn arrays_in_every_client_form() {
        let ints = SqlType::Array(Box::new(SqlType::Mapped("int4")));
        for good in [
            "Vec<i32>",
            "Vec<Option<i32>>",
            "&'a [i32]",
            "&'a [Option<i32>]",
            "Box<[i32]>",
            "Cow<'a, [i32]>",
        ] {
            assert_eq!(fit(&ints, good), Fit::Yes, "{good}");
        }
        let texts = SqlType::Array(Box::new(SqlType::Mapped("text")));
        assert_eq!(fit(&texts, "&'a [&'a str]"), Fit::Yes);
        assert_eq!(fit(&texts, "Vec<Option<String>>"), Fit::Yes);
        assert_eq!(fit(&ints, "&'a [i64]"), Fit::No);
        assert_eq!(fit(&SqlType::Mapped("bytea"), "&'a [u8]"), Fit::Yes);
        let range = SqlType::Mapped("int8range");
        assert_eq!(fit(&range, "PgRange<i64>"), Fit::Yes);
        assert_eq!(fit(&range, "(Bound<i64>, Bound<i64>)"), Fit::Yes);
        assert_eq!(fit(&range, "PgRange<i32>"), Fit::No);
        assert_eq!(fit(&range, "i64"), Fit::No);
        let hstore = SqlType::Mapped("hstore");
        assert_eq!(fit(&hstore, "HashMap<String, Option<String>>"), Fit::Yes);
        assert_eq!(fit(&hstore, "HashMap<String, String>"), Fit::No);
        assert_eq!(fit(&SqlType::Mapped("macaddr"), "[u8; 6]"), Fit::Yes);
        assert_eq!(fit(&SqlType::Mapped("macaddr"), "[u8; 8]"), Fit::No);
    }

    #[test]
    fn declared_sql_types_are_canonicalised() {
        assert_eq!(canonical_sql_name("BIGINT"), "int8");
        assert_eq!(canonical_sql_name("character varying(255)"), "varchar");
        assert_eq!(
            canonical_sql_name("timestamp with time zone"),
            "timestamptz"
        );
        assert_eq!(canonical_sql_name("numeric(10, 2)[]"), "numeric[]");
        assert_eq!(canonical_sql_name("app.price"), "app.price");
    }
}
