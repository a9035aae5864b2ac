//! The PostgreSQL type a field asks for, and whether a column has it: the
//! declared type (`sql_type`, diesel's `sql_type`, `#[sqlx(json)]`), else
//! the type table's type for the Rust type, else the type of the project's
//! `Enum` or `SqlType` newtype.

use super::text;
use crate::catalog::{Catalog, Column};
use crate::custom;
use crate::discover::Discovered;
use crate::input::{type_text, FieldDef, NewtypeSqlType};
use crate::interop::DieselSqlType;
use crate::sql_name;
use crate::types::{self, Fit, SqlType};

/// How deep a newtype over a newtype is followed.
const MAX_NEWTYPE_DEPTH: usize = 8;

/// The column type a field asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Wanted {
    /// As SQL writes it: `bigint`, `text[]`, `mood`, `app."Kind"`.
    Sql(String),
    /// No one type: the Rust type as written, for a person to choose.
    Unknown(String),
}

/// Whether the field's column may hold NULL: the field is an `Option`.
pub(super) fn nullable(field: &FieldDef) -> bool {
    types::option_inner(&field.ty).is_some()
}

/// The type `field` asks its column to have.
pub(super) fn wanted(field: &FieldDef, found: &Discovered, catalog: &Catalog) -> Wanted {
    if let Some(declared) = &field.sql_type {
        return written(&declared.value(), catalog);
    }
    if let Some(diesel) = field
        .diesel_sql_type
        .as_ref()
        .and_then(DieselSqlType::parse)
    {
        return diesel_type(&diesel, catalog);
    }
    if field.json {
        return Wanted::Sql("jsonb".to_owned());
    }
    rust_type(
        unwrapped(field.checked_ty()),
        found,
        catalog,
        0,
        Spelling::Declared,
    )
}

/// Whether `column` has the type `field` asks for, as the derive decides
/// it (the project's own types as their `SqlType` probes would).
pub(super) fn fits(
    field: &FieldDef,
    column: &Column,
    found: &Discovered,
    catalog: &Catalog,
) -> bool {
    if let Some(declared) = &field.sql_type {
        return types::sql_type_matches(catalog, column, &declared.value());
    }
    let sql = types::resolve(catalog, column);
    if let Some(diesel) = field
        .diesel_sql_type
        .as_ref()
        .and_then(DieselSqlType::parse)
    {
        return diesel.fits(&sql);
    }
    if field.json {
        return matches!(sql, SqlType::Mapped("json" | "jsonb"));
    }
    let ty = unwrapped(field.checked_ty());
    match types::fits(&sql, ty) {
        Fit::Yes => true,
        Fit::No => false,
        Fit::Unknown => match custom_type(ty, found, catalog, 0, Spelling::Compared) {
            Some(Wanted::Sql(name)) => {
                custom::accepted_sql_types(catalog, &column.udt, column.element.as_ref())
                    .contains(&name)
            }
            _ => true,
        },
    }
}

/// The type inside one `Option`, or the two of `Option<Option<T>>`.
fn unwrapped(ty: &syn::Type) -> &syn::Type {
    let ty = types::option_inner(ty).unwrap_or(ty);
    types::option_inner(ty).unwrap_or(ty)
}

/// Which spelling of a newtype's `sql_type` is wanted.
#[derive(Clone, Copy)]
enum Spelling {
    /// As written, modifiers included (`varchar(40)`): a new column's type.
    Declared,
    /// Its `pg_type` name (`varchar`): what a column's type is compared with.
    Compared,
}

/// The type the type table gives `ty`, else its `Enum`'s or newtype's.
fn rust_type(
    ty: &syn::Type,
    found: &Discovered,
    catalog: &Catalog,
    depth: usize,
    spelling: Spelling,
) -> Wanted {
    if let Some(name) = types::sql_name_for(ty) {
        return Wanted::Sql(preferred(&name));
    }
    custom_type(ty, found, catalog, depth, spelling)
        .unwrap_or_else(|| Wanted::Unknown(type_text(ty)))
}

/// `jsonb` for the JSON types (what new columns should be); the type
/// table's first name for the others.
fn preferred(name: &str) -> String {
    match name.strip_prefix("json") {
        Some(rest) if !rest.starts_with('b') => format!("jsonb{rest}"),
        _ => name.to_owned(),
    }
}

/// The SQL type of a project's `Enum` or `SqlType` newtype named by `ty`
/// (or by the element of `Vec<ty>`, as an array), when the project has
/// one by that name.
fn custom_type(
    ty: &syn::Type,
    found: &Discovered,
    catalog: &Catalog,
    depth: usize,
    spelling: Spelling,
) -> Option<Wanted> {
    let (element, array) = match vec_element(ty) {
        Some(element) => (element, "[]"),
        None => (ty, ""),
    };
    let name = types::last_segment_name(element)?;
    let wanted = if let Some(e) = found.enums.iter().find(|e| e.def.ident == name) {
        Wanted::Sql(custom::enum_sql_type(&e.def, Some(catalog)))
    } else {
        let newtype = found.newtypes.iter().find(|n| n.def.ident == name)?;
        match &newtype.def.sql_type {
            NewtypeSqlType::Named(name) => match (spelling, &newtype.def.written_sql_type) {
                (Spelling::Declared, Some(declared)) => written(declared, catalog),
                _ => written(name, catalog),
            },
            NewtypeSqlType::Inner(_) if depth >= MAX_NEWTYPE_DEPTH => return None,
            NewtypeSqlType::Inner(inner) => rust_type(inner, found, catalog, depth + 1, spelling),
        }
    };
    Some(match wanted {
        Wanted::Sql(sql) => Wanted::Sql(format!("{sql}{array}")),
        unknown => unknown,
    })
}

/// `Vec<T>` → `T` (not `Vec<u8>`, which is `bytea`).
fn vec_element(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let segment = path.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(args) = &segment.arguments else {
        return None;
    };
    match (segment.ident == "Vec", args.args.first()?) {
        (true, syn::GenericArgument::Type(element)) if args.args.len() == 1 => Some(element),
        _ => None,
    }
}

/// A type name as a person wrote it (`sql_type = "…"`): a name of the
/// catalog spelt as SQL names it; another name kept as written when it is
/// plainly a type name (letters, digits, `_`, spaces, `.`, modifiers and
/// brackets), or rebuilt from its quoted parts. Nothing else reaches the
/// SQL: a name that is neither asks a person.
fn written(text: &str, catalog: &Catalog) -> Wanted {
    let Ok(name) = sql_name::parse_type_name(text) else {
        return Wanted::Unknown(text.to_owned());
    };
    let brackets = "[]".repeat(name.dimensions);
    if let Some(resolved) = name.resolve(catalog) {
        return Wanted::Sql(format!("{}{brackets}", text::type_name(&resolved)));
    }
    let plain = |c: char| c.is_ascii_alphanumeric() || " _.,()[]".contains(c);
    if text.chars().all(plain) {
        Wanted::Sql(text.trim().to_owned())
    } else if text.contains('"') {
        Wanted::Sql(format!("{}{brackets}", text::type_name(&name.folded())))
    } else {
        Wanted::Unknown(text.to_owned())
    }
}

/// The type a diesel `sql_type` names: diesel's own by its PostgreSQL
/// name, another (an enum from `print-schema`) by its snake_case name.
fn diesel_type(diesel: &DieselSqlType, catalog: &Catalog) -> Wanted {
    match diesel.builtin {
        true => Wanted::Sql(diesel.describe()),
        false => match written(&diesel.element, catalog) {
            Wanted::Sql(name) => Wanted::Sql(format!("{name}{}", "[]".repeat(diesel.dimensions))),
            unknown => unknown,
        },
    }
}
