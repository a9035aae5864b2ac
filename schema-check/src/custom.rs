//! Custom types: Rust enums deriving `Enum`, newtypes deriving `SqlType`,
//! and the checks of fields whose type is one of them.
//!
//! A derive cannot see another item, so a `Model` field whose type pgdrift
//! does not know is checked by generated code: [`type_probes`] says, for each
//! such field, which SQL type names fit its column, and the derive emits a
//! `const` that compares them with the type's `SqlType::SQL_TYPE`.

use heck::ToSnakeCase;
use proc_macro2::Span;

use crate::catalog::{Catalog, Column, TypeName};
use crate::finding::{Check, Finding, Level};
use crate::model::{
    attr_names, once, parse_items, type_text, unraw, AttrName, Errors, FieldDef, ModelDef,
    RenameAll,
};
use crate::sql_name::{self, NamePart, WrittenTypeName};
use crate::suggest::closest;
use crate::types;

/// A Rust enum deriving `Enum`, with its PostgreSQL type and labels resolved.
#[derive(Clone)]
pub struct EnumDef {
    pub ident: syn::Ident,
    pub generics: syn::Generics,
    /// The PostgreSQL type as written (or derived from the enum's name).
    pub written: WrittenTypeName,
    /// `written` read as PostgreSQL reads it; [`check_enum`] resolves the
    /// written name against the schema.
    pub type_name: TypeName,
    /// Where the type name was written (the enum's name when it was not).
    pub type_span: Span,
    pub variants: Vec<VariantDef>,
}

/// A unit variant and the label it is sent as.
#[derive(Clone)]
pub struct VariantDef {
    pub ident: syn::Ident,
    pub label: String,
}

attr_names! {
    /// The attributes of an enum deriving `Enum`.
    enum EnumAttr {
        TypeName = "type_name",
        RenameAll = "rename_all",
    }
}

attr_names! {
    /// The attributes of a variant of an enum deriving `Enum`.
    enum VariantAttr {
        Rename = "rename",
    }
}

attr_names! {
    /// The attributes of a newtype deriving `SqlType`.
    enum NewtypeAttr {
        SqlType = "sql_type",
    }
}

/// The items of every `#[name(...)]` list that parses; pgdrift reads the
/// attributes of other crates (sqlx) and leaves their errors to them.
fn foreign_items(attrs: &[syn::Attribute], name: &str) -> Vec<syn::Meta> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident(name))
        .filter_map(|a| {
            a.parse_args_with(
                syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
            )
            .ok()
        })
        .flatten()
        .collect()
}

/// The string of `key = "…"` among `metas`.
fn foreign_string(metas: &[syn::Meta], key: &str) -> Option<syn::LitStr> {
    metas.iter().find_map(|meta| match meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident(key) => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(lit),
                ..
            }) => Some(lit.clone()),
            _ => None,
        },
        _ => None,
    })
}

/// The string of a `#[Name = "…"]` attribute (diesel-derive-enum's style).
fn name_value(attrs: &[syn::Attribute], name: &str) -> Option<syn::LitStr> {
    attrs.iter().find_map(|a| match &a.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident(name) => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(lit),
                ..
            }) => Some(lit.clone()),
            _ => None,
        },
        _ => None,
    })
}

/// An unquoted name, as pgdrift derives one (`media_kind`).
fn unquoted(name: String) -> WrittenTypeName {
    WrittenTypeName {
        schema: None,
        name: NamePart {
            text: name,
            quoted: false,
        },
        dimensions: 0,
    }
}

/// A type's name as `SqlType::SQL_TYPE` spells it: qualified unless in
/// `public` or `pg_catalog`, each part quoted where PostgreSQL needs it.
pub fn sql_type_name(name: &TypeName) -> String {
    sql_name::spell(name)
}

/// A type's name in a message: `"media_kind"`, `"RoutingApproach"`,
/// `app.status` → `"app.status"`.
fn shown(name: &TypeName) -> String {
    let spelt = sql_type_name(name);
    if spelt.starts_with('"') && !spelt.contains('.') {
        spelt
    } else {
        format!("\"{spelt}\"")
    }
}

/// A `type_name` that parses as a PostgreSQL type name; an error at it
/// that says where it does not.
fn type_name_lit(lit: syn::LitStr) -> syn::Result<syn::LitStr> {
    match sql_name::parse_type_name(&lit.value()) {
        Ok(_) => Ok(lit),
        Err(e) => Err(syn::Error::new(
            lit.span(),
            format!("`type_name` is not a PostgreSQL type name: {e}"),
        )),
    }
}

/// A label rule of diesel-derive-enum's `DbValueStyle`.
fn db_value_style(style: &str) -> Option<RenameAll> {
    match style {
        "verbatim" => Some(RenameAll::None),
        other => RenameAll::from_name(other),
    }
}

impl EnumDef {
    /// Reads an enum and its `#[pgdrift(...)]`, `#[sqlx(...)]` and
    /// diesel-derive-enum attributes; every malformed `pgdrift` attribute is
    /// reported.
    pub fn parse(input: &syn::DeriveInput) -> Result<EnumDef, Vec<Finding>> {
        let name = unraw(&input.ident);
        let errors = Errors::new();
        // In source order: the enum's attributes, its kind, its variants.
        let mut type_name: Option<syn::LitStr> = None;
        let mut rename_all: Option<RenameAll> = None;
        let others = ("a variant", VariantAttr::NAMES);
        parse_items(
            &input.attrs,
            &errors,
            "the enum",
            others,
            |attr, item| match attr {
                EnumAttr::TypeName => once(
                    &mut type_name,
                    item,
                    item.string("media_kind").and_then(type_name_lit),
                ),
                EnumAttr::RenameAll => once(&mut rename_all, item, item.rename_rule("lowercase")),
            },
        );
        let data = match &input.data {
            syn::Data::Enum(data) => Some(data),
            _ => {
                errors.push_with_help(
                    syn::Error::new(
                        input.ident.span(),
                        format!("#[derive(Enum)] is for enums, but `{name}` is not one"),
                    ),
                    "derive `pgdrift::SqlType` on a newtype, `pgdrift::Model` on a row struct",
                );
                None
            }
        };
        let sqlx = foreign_items(&input.attrs, "sqlx");
        let existing = name_value(&input.attrs, "ExistingTypePath");
        let type_name = type_name.or_else(|| foreign_string(&sqlx, "type_name"));
        let (written, type_span) = match (type_name, existing) {
            (Some(lit), _) => (
                sql_name::parse_type_name(&lit.value()).unwrap_or_else(|_| unquoted(lit.value())),
                lit.span(),
            ),
            (None, Some(path)) => {
                let last = path.value();
                let last = last.rsplit("::").next().unwrap_or_default().trim();
                (unquoted(last.to_snake_case()), path.span())
            }
            (None, None) => (unquoted(name.to_snake_case()), input.ident.span()),
        };
        let type_name = written.folded();
        let uses_sqlx = !sqlx.is_empty()
            || data.is_some_and(|d| {
                d.variants
                    .iter()
                    .any(|v| v.attrs.iter().any(|a| a.path().is_ident("sqlx")))
            });
        let rule = rename_all
            .or_else(|| {
                foreign_string(&sqlx, "rename_all").and_then(|l| RenameAll::from_name(&l.value()))
            })
            .or_else(|| {
                name_value(&input.attrs, "DbValueStyle").and_then(|l| db_value_style(&l.value()))
            })
            .unwrap_or(if uses_sqlx {
                RenameAll::None
            } else {
                RenameAll::Snake
            });

        let mut variants = Vec::new();
        for variant in data.map(|d| d.variants.iter()).into_iter().flatten() {
            // The variant's attributes come before its name and fields.
            let mut rename: Option<syn::LitStr> = None;
            let others = ("the enum", EnumAttr::NAMES);
            parse_items(
                &variant.attrs,
                &errors,
                "a variant",
                others,
                |attr, item| match attr {
                    VariantAttr::Rename => once(&mut rename, item, item.string("voice memo")),
                },
            );
            if !matches!(variant.fields, syn::Fields::Unit) {
                errors.push_with_help(
                    syn::Error::new(
                        variant.ident.span(),
                        format!(
                            "variant `{}` carries data, but a PostgreSQL enum label is a plain name",
                            variant.ident
                        ),
                    ),
                    "give every variant of an Enum no fields",
                );
            }
            let label = rename
                .or_else(|| foreign_string(&foreign_items(&variant.attrs, "sqlx"), "rename"))
                .or_else(|| name_value(&variant.attrs, "db_rename"))
                .map_or_else(|| rule.apply(&unraw(&variant.ident)), |l| l.value());
            variants.push(VariantDef {
                ident: variant.ident.clone(),
                label,
            });
        }
        errors.finish(&name)?;
        Ok(EnumDef {
            ident: input.ident.clone(),
            generics: input.generics.clone(),
            written,
            type_name,
            type_span,
            variants,
        })
    }
}

/// The enum's `SqlType::SQL_TYPE`: the type its name names in `catalog`,
/// else its name as PostgreSQL would read it.
pub fn enum_sql_type(def: &EnumDef, catalog: Option<&Catalog>) -> String {
    let resolved = catalog.and_then(|c| def.written.resolve(c));
    sql_type_name(resolved.as_ref().unwrap_or(&def.type_name))
}

/// The enum type's existence and its labels against the variants'.
pub fn check_enum(def: &EnumDef, catalog: &Catalog) -> Vec<Finding> {
    let name = unraw(&def.ident);
    let error = |check, span, message: String, help: Option<String>| {
        let mut finding = Finding::new(check, Level::Error, span, &name, message);
        finding.schema = Some(def.type_name.schema.clone());
        finding.help = help;
        vec![finding]
    };
    let resolved = def.written.resolve(catalog);
    let Some(db) = resolved.as_ref().and_then(|t| catalog.enum_type(t)) else {
        return error(
            Check::MissingEnumType,
            def.type_span,
            format!("enum type {} does not exist", shown(&def.type_name)),
            missing_enum_help(catalog, resolved.as_ref().unwrap_or(&def.type_name)),
        );
    };
    let shown = shown(resolved.as_ref().unwrap_or(&def.type_name));
    let missing: Vec<String> = db
        .labels
        .iter()
        .filter(|l| !def.variants.iter().any(|v| &v.label == *l))
        .map(|l| format!("{l:?}"))
        .collect();
    let extra: Vec<String> = def
        .variants
        .iter()
        .filter(|v| !db.labels.contains(&v.label))
        .map(|v| format!("`{}` ({:?})", unraw(&v.ident), v.label))
        .collect();
    if missing.is_empty() && extra.is_empty() {
        return Vec::new();
    }
    let mut problems = Vec::new();
    if !missing.is_empty() {
        problems.push(format!(
            "no variant for {} {}",
            if missing.len() == 1 {
                "label"
            } else {
                "labels"
            },
            missing.join(", ")
        ));
    }
    if !extra.is_empty() {
        problems.push(if extra.len() == 1 {
            format!("variant {} is not a label", extra[0])
        } else {
            format!("variants {} are not labels", extra.join(", "))
        });
    }
    let labels: Vec<String> = db.labels.iter().map(|l| format!("{l:?}")).collect();
    error(
        Check::EnumLabels,
        def.ident.span(),
        format!(
            "enum `{name}` does not match enum type {shown}: {}",
            problems.join("; ")
        ),
        Some(format!(
            "the labels of {shown} are {}; rename a variant with `#[pgdrift(rename = \"…\")]`",
            labels.join(", ")
        )),
    )
}

fn missing_enum_help(catalog: &Catalog, wanted: &TypeName) -> Option<String> {
    let other_kind = catalog.schema(&wanted.schema).and_then(|s| {
        if s.domains.iter().any(|d| d.name == wanted.name) {
            Some("a domain")
        } else if s.composites.iter().any(|c| c.name == wanted.name) {
            Some("a composite type")
        } else if s.relations.iter().any(|r| r.name == wanted.name) {
            Some("a table or view")
        } else {
            None
        }
    });
    if let Some(kind) = other_kind {
        return Some(format!("{} is {kind}, not an enum type", shown(wanted)));
    }
    let enums: Vec<String> = catalog
        .schemas
        .iter()
        .flat_map(|s| {
            s.enums
                .iter()
                .map(|e| sql_type_name(&TypeName::new(&s.name, &e.name)))
        })
        .collect();
    let wanted_text = sql_type_name(wanted);
    closest(&wanted_text, enums.iter().map(String::as_str)).map(|name| {
        format!(
            "did you mean {}? write `#[pgdrift(type_name = {name:?})]`",
            if name.starts_with('"') {
                name.to_owned()
            } else {
                format!("\"{name}\"")
            }
        )
    })
}

/// A one-field newtype deriving `SqlType`.
#[derive(Clone)]
pub struct NewtypeDef {
    pub ident: syn::Ident,
    pub generics: syn::Generics,
    pub sql_type: NewtypeSqlType,
}

/// Where a newtype's SQL type comes from.
#[derive(Clone)]
pub enum NewtypeSqlType {
    /// Written (`sql_type`, sqlx's `type_name`) or given by the type table.
    Named(String),
    /// The inner type's own `SqlType`.
    Inner(Box<syn::Type>),
}

impl NewtypeDef {
    /// Reads a newtype and its `#[pgdrift(sql_type)]`, `#[sqlx(transparent)]`
    /// or `#[sqlx(type_name)]`.
    pub fn parse(input: &syn::DeriveInput) -> Result<NewtypeDef, Vec<Finding>> {
        let name = unraw(&input.ident);
        let errors = Errors::new();
        // In source order: the newtype's attributes, then its kind.
        let mut sql_type: Option<syn::LitStr> = None;
        let others = ("nothing", &[][..]);
        parse_items(
            &input.attrs,
            &errors,
            "the newtype",
            others,
            |attr, item| match attr {
                NewtypeAttr::SqlType => once(&mut sql_type, item, item.string("text")),
            },
        );
        let inner = match &input.data {
            syn::Data::Struct(data) if data.fields.len() == 1 => data.fields.iter().next(),
            syn::Data::Enum(_) => {
                errors.push_with_help(
                    syn::Error::new(
                        input.ident.span(),
                        format!("#[derive(SqlType)] is for newtypes, but `{name}` is an enum"),
                    ),
                    "derive `pgdrift::Enum` on an enum over a PostgreSQL enum type",
                );
                None
            }
            _ => {
                errors.push_with_help(
                    syn::Error::new(
                        input.ident.span(),
                        format!("#[derive(SqlType)] is for one-field newtypes, but `{name}` has no single field"),
                    ),
                    "wrap one value: `struct Email(String);`",
                );
                None
            }
        };
        errors.finish(&name)?;
        let inner = &inner.expect("one field").ty;
        let sqlx = foreign_items(&input.attrs, "sqlx");
        let transparent = sqlx.iter().any(|m| m.path().is_ident("transparent"));
        let named = sql_type
            .map(|lit| types::canonical_sql_name(&lit.value()))
            .or_else(|| {
                (!transparent)
                    .then(|| foreign_string(&sqlx, "type_name"))
                    .flatten()
                    .map(|l| l.value())
            })
            .or_else(|| types::sql_name_for(inner));
        Ok(NewtypeDef {
            ident: input.ident.clone(),
            generics: input.generics.clone(),
            sql_type: named.map_or_else(
                || NewtypeSqlType::Inner(Box::new(inner.clone())),
                NewtypeSqlType::Named,
            ),
        })
    }
}

/// The SQL type names an `SqlType` may have to fit a column of type `udt`
/// (with `element` for an array): the type's own name and those of the
/// domains it goes through, and for a built-in base type every name the same
/// Rust types fit, in each spelling PostgreSQL accepts.
pub fn accepted_sql_types(
    catalog: &Catalog,
    udt: &TypeName,
    element: Option<&TypeName>,
) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |name: String| {
        if !out.contains(&name) {
            out.push(name);
        }
    };
    let (mut udt, mut element) = (udt.clone(), element.cloned());
    for _ in 0..16 {
        if udt.schema == "pg_catalog" {
            push(sql_type_name(&udt));
        } else {
            for spelling in sql_name::spellings(&udt, catalog) {
                push(spelling);
            }
        }
        let Some(domain) = catalog.domain(&udt) else {
            break;
        };
        udt = domain.base.clone();
        element = domain.element.clone();
    }
    if let Some(element) = element {
        for name in accepted_sql_types(catalog, &element, None) {
            push(format!("{name}[]"));
        }
    } else if udt.schema == "pg_catalog" || udt.name == "citext" {
        for name in types::family(&udt.name).unwrap_or_default() {
            for spelling in types::spellings(name) {
                push(spelling.to_owned());
            }
        }
    }
    out
}

/// The element type of an array column (through domains).
fn array_element(catalog: &Catalog, column: &Column) -> Option<TypeName> {
    if column.element.is_some() {
        return column.element.clone();
    }
    let mut udt = column.udt.clone();
    for _ in 0..16 {
        let domain = catalog.domain(&udt)?;
        if domain.element.is_some() {
            return domain.element.clone();
        }
        udt = domain.base.clone();
    }
    None
}

/// A field whose Rust type pgdrift does not know, to be checked by
/// generated code through the type's `SqlType`.
pub struct TypeProbe<'a> {
    pub field: &'a FieldDef,
    /// The type whose `SqlType` is compared (the element type of a `Vec`).
    pub ty: &'a syn::Type,
    /// The `SQL_TYPE` values that fit the column.
    pub accepted: Vec<String>,
    /// The mismatch message, before and after the type's `SQL_TYPE`.
    pub mismatch: (String, String),
    /// Under `strict` without `sql_type`: the error when the type has no `SqlType`.
    pub unchecked: Option<String>,
}

/// `Vec<T>` → `T`.
fn vec_element(ty: &syn::Type) -> Option<&syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let segment = path.path.segments.last()?;
    match &segment.arguments {
        syn::PathArguments::AngleBracketed(args) if segment.ident == "Vec" => {
            match args.args.first()? {
                syn::GenericArgument::Type(t) if args.args.len() == 1 => Some(t),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Whether a `const` can name `ty`: not when it holds `_` (diesel's
/// `deserialize_as = Wrapper<_>` leaves the type to inference).
fn nameable(ty: &syn::Type) -> bool {
    fn inferred(tokens: proc_macro2::TokenStream) -> bool {
        tokens.into_iter().any(|token| match token {
            proc_macro2::TokenTree::Ident(ident) => ident == "_",
            proc_macro2::TokenTree::Group(group) => inferred(group.stream()),
            _ => false,
        })
    }
    !inferred(quote::ToTokens::to_token_stream(ty))
}

/// Every mapped field of `model` whose type (after `Option`, and the element
/// of a `Vec` on an array column) the type table does not know. The probe
/// is a free `const`, so a generic struct's fields are probed as any other,
/// except those whose type names one of its parameters (the engine notes
/// those under `strict`).
pub fn type_probes<'a>(model: &'a ModelDef, catalog: &Catalog) -> Vec<TypeProbe<'a>> {
    let Some(relation) = catalog.relation(&model.schema, &model.table) else {
        return Vec::new();
    };
    let table = if model.schema == "public" {
        model.table.clone()
    } else {
        format!("{}.{}", model.schema, model.table)
    };
    let mut probes = Vec::new();
    // A declared SQL type is what is checked; the field's own type is not
    // probed. A conversion type (`deserialize_as`, `try_from`) is probed in
    // its place.
    for field in model.mapped_fields().filter(|f| !f.declares_sql_type()) {
        let Some(column) = relation.column(&field.column) else {
            continue;
        };
        // One `Option`, or the two of a write's `Option<Option<T>>`.
        let checked = field.checked_ty();
        let ty = types::option_inner(checked).unwrap_or(checked);
        let ty = types::option_inner(ty).unwrap_or(ty);
        let element = array_element(catalog, column);
        let (ty, accepted) = match (vec_element(ty), &element) {
            (Some(inner), Some(element)) if !types::is_known(inner) => {
                (inner, accepted_sql_types(catalog, element, None))
            }
            _ => (
                ty,
                accepted_sql_types(catalog, &column.udt, column.element.as_ref()),
            ),
        };
        if types::is_known(ty) || !nameable(ty) || model.names_parameter(ty) {
            continue;
        }
        let rust = type_text(ty);
        let qualified = format!("{table}.{}", column.name);
        let mismatch = (
            format!(
                "column \"{qualified}\" is `{}`, which `{rust}` does not fit: its SqlType is `",
                column.data_type
            ),
            format!(
                "`\nhelp: give `{rust}` the SQL type `{}`, or map the field to a column of its type",
                accepted[0]
            ),
        );
        let unchecked = model.strict.then(|| {
            format!(
                "pgdrift cannot check `{rust}` against column \"{qualified}\" (`{}`), and the struct is `strict`\nhelp: derive `pgdrift::SqlType` for `{rust}`, or declare the column type: `#[pgdrift(sql_type = {:?})]`",
                column.data_type, column.data_type
            )
        });
        probes.push(TypeProbe {
            field,
            ty,
            accepted,
            mismatch,
            unchecked,
        });
    }
    probes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Domain, EnumType, Schema};

    fn catalog() -> Catalog {
        Catalog {
            schemas: vec![
                Schema {
                    name: "public".into(),
                    enums: vec![EnumType {
                        name: "media_kind".into(),
                        labels: vec!["photo".into(), "video".into(), "voice memo".into()],
                        comment: None,
                        extension: None,
                    }],
                    domains: vec![Domain {
                        name: "email".into(),
                        data_type: "character varying(200)".into(),
                        base: TypeName::builtin("varchar"),
                        element: None,
                        not_null: false,
                        default: None,
                        checks: Vec::new(),
                        comment: None,
                        extension: None,
                    }],
                    ..Schema::default()
                },
                Schema {
                    name: "app".into(),
                    enums: vec![EnumType {
                        name: "post_listing_mode_enum".into(),
                        labels: vec!["list".into(), "card".into()],
                        comment: None,
                        extension: None,
                    }],
                    ..Schema::default()
                },
            ],
        }
    }

    fn enum_def(src: &str) -> EnumDef {
        EnumDef::parse(&syn::parse_str(src).unwrap()).unwrap_or_else(|f| panic!("{}", f[0].message))
    }

    fn labels(def: &EnumDef) -> Vec<&str> {
        def.variants.iter().map(|v| v.label.as_str()).collect()
    }

    #[test]
    fn enum_labels_follow_the_other_derives_defaults() {
        let plain = enum_def("enum MediaKind { Photo, VoiceMemo }");
        assert_eq!(plain.type_name, TypeName::new("public", "media_kind"));
        assert_eq!(labels(&plain), ["photo", "voice_memo"]);
        let sqlx = enum_def(r#"#[sqlx(type_name = "app.kind")] enum Kind { Photo, VoiceMemo }"#);
        assert_eq!(sqlx.type_name, TypeName::new("app", "kind"));
        assert_eq!(labels(&sqlx), ["Photo", "VoiceMemo"]);
        let sqlx = enum_def(
            r#"#[sqlx(type_name = "kind", rename_all = "lowercase")] enum Kind { Photo, #[sqlx(rename = "voice memo")] VoiceMemo }"#,
        );
        assert_eq!(labels(&sqlx), ["photo", "voice memo"]);
        let diesel = enum_def(
            r#"#[ExistingTypePath = "crate::schema::sql_types::PostListingModeEnum"] enum Mode { CardView, #[db_rename = "small card"] SmallCard }"#,
        );
        assert_eq!(diesel.type_name.name, "post_listing_mode_enum");
        assert_eq!(labels(&diesel), ["card_view", "small card"]);
        let styled =
            enum_def(r#"#[DbValueStyle = "camelCase"] #[sqlx(oops oops)] enum Mode { CardView }"#);
        assert_eq!(
            labels(&styled),
            ["cardView"],
            "unparsable sqlx lists are ignored"
        );
        let ours = enum_def(
            r#"#[pgdrift(type_name = "media_kind", rename_all = "lowercase")] #[sqlx(rename_all = "UPPERCASE")] enum K { Photo, #[pgdrift(rename = "voice memo")] #[sqlx(rename = "x")] VoiceMemo }"#,
        );
        assert_eq!(labels(&ours), ["photo", "voice memo"], "pgdrift wins");
    }

    #[test]
    fn enum_checks_name_every_difference_at_once() {
        let catalog = catalog();
        let good = enum_def(
            r#"#[pgdrift(rename_all = "lowercase")] enum MediaKind { Photo, Video, #[pgdrift(rename = "voice memo")] VoiceMemo }"#,
        );
        assert!(check_enum(&good, &catalog).is_empty());
        let bad = enum_def("enum MediaKind { Photo, Audio, Clip }");
        let findings = check_enum(&bad, &catalog);
        assert_eq!(findings.len(), 1);
        assert_eq!(
            findings[0].message,
            "enum `MediaKind` does not match enum type \"media_kind\": no variant for labels \"video\", \"voice memo\"; variants `Audio` (\"audio\"), `Clip` (\"clip\") are not labels"
        );
        let typo = enum_def("enum MediaKinds { Photo }");
        let findings = check_enum(&typo, &catalog);
        assert_eq!(findings[0].check, Check::MissingEnumType);
        assert_eq!(
            findings[0].help.as_deref(),
            Some("did you mean \"media_kind\"? write `#[pgdrift(type_name = \"media_kind\")]`")
        );
        let domain = enum_def("enum Email { A }");
        assert_eq!(
            check_enum(&domain, &catalog)[0].help.as_deref(),
            Some("\"email\" is a domain, not an enum type")
        );
    }

    #[test]
    fn malformed_pgdrift_attributes_on_enums_are_errors() {
        let errors = EnumDef::parse(
            &syn::parse_str(
                r#"#[pgdrift(type_nam = "x", rename = "y")] enum K { #[pgdrift(rename_all = "lowercase")] A, B(i32) }"#,
            )
            .unwrap(),
        )
        .err()
        .unwrap();
        let messages: Vec<&str> = errors.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "unknown pgdrift attribute `type_nam`",
                "`rename` goes on a variant, not on the enum",
                "`rename_all` goes on the enum, not on a variant",
                "variant `B` carries data, but a PostgreSQL enum label is a plain name",
            ]
        );
    }

    #[test]
    fn every_attribute_name_parses_to_its_own_variant() {
        crate::model::assert_names_round_trip::<EnumAttr>();
        crate::model::assert_names_round_trip::<VariantAttr>();
        crate::model::assert_names_round_trip::<NewtypeAttr>();
    }

    #[test]
    fn errors_come_out_in_source_order() {
        let messages = |result: Result<(), Vec<Finding>>| -> Vec<String> {
            let findings = result.err().unwrap();
            assert!(crate::model::in_source_order(&findings));
            findings.into_iter().map(|f| f.message).collect()
        };
        let parse = |src: &str| syn::parse_str::<syn::DeriveInput>(src).unwrap();
        assert_eq!(
            messages(
                EnumDef::parse(&parse(
                    r#"enum K { A, #[pgdrift(renam = "b")] #[pgdrift(rename = 5)] B(i32), #[pgdrift(rename_all = "lowercase")] C }"#
                ))
                .map(drop)
            ),
            [
                "unknown pgdrift attribute `renam`",
                "`rename` takes a string: `rename = \"voice memo\"`",
                "variant `B` carries data, but a PostgreSQL enum label is a plain name",
                "`rename_all` goes on the enum, not on a variant",
            ]
        );
        assert_eq!(
            messages(EnumDef::parse(&parse(r#"#[pgdrift(type_name)] struct K;"#)).map(drop)),
            [
                "`type_name` takes a string: `type_name = \"media_kind\"`",
                "#[derive(Enum)] is for enums, but `K` is not one",
            ]
        );
        assert_eq!(
            messages(
                NewtypeDef::parse(&parse(
                    r#"#[pgdrift(sql_type = "a", sql_type = "b")] enum N { A }"#
                ))
                .map(drop)
            ),
            [
                "duplicate `sql_type` attribute",
                "#[derive(SqlType)] is for newtypes, but `N` is an enum",
            ]
        );
    }

    fn newtype(src: &str) -> String {
        match NewtypeDef::parse(&syn::parse_str(src).unwrap())
            .ok()
            .unwrap()
            .sql_type
        {
            NewtypeSqlType::Named(name) => name,
            NewtypeSqlType::Inner(ty) => format!("<{}>", type_text(&ty)),
        }
    }

    #[test]
    fn newtypes_take_the_written_or_the_inner_sql_type() {
        assert_eq!(newtype("struct Id(i32);"), "int4");
        assert_eq!(newtype("struct Email { inner: String }"), "text");
        assert_eq!(
            newtype(r#"#[pgdrift(sql_type = "BIGINT")] struct Id(u64);"#),
            "int8"
        );
        assert_eq!(
            newtype(r#"#[sqlx(type_name = "email")] struct E(String);"#),
            "email"
        );
        assert_eq!(
            newtype(r#"#[sqlx(transparent, type_name = "email")] struct E(String);"#),
            "text"
        );
        assert_eq!(
            newtype("struct Stamp(time::OffsetDateTime);"),
            "timestamptz"
        );
        assert_eq!(newtype("struct Wrapped(Email);"), "<Email>");
        assert!(NewtypeDef::parse(&syn::parse_str("struct Pair(i32, i32);").unwrap()).is_err());
    }

    #[test]
    fn accepted_sql_types_follow_the_type_table() {
        let catalog = catalog();
        let text = accepted_sql_types(&catalog, &TypeName::new("public", "email"), None);
        assert_eq!(
            text,
            [
                "email",
                "public.email",
                "varchar",
                "text",
                "character varying",
                "bpchar",
                "character",
                "char",
                "name",
                "citext"
            ]
        );
        let int4 = accepted_sql_types(&catalog, &TypeName::builtin("int4"), None);
        assert!(int4.contains(&"serial".to_owned()) && int4.contains(&"integer".to_owned()));
        let kind = accepted_sql_types(
            &catalog,
            &TypeName::new("app", "post_listing_mode_enum"),
            None,
        );
        assert_eq!(kind, ["app.post_listing_mode_enum"]);
        let array = accepted_sql_types(
            &catalog,
            &TypeName::builtin("_int8"),
            Some(&TypeName::builtin("int8")),
        );
        assert!(array.contains(&"int8[]".to_owned()) && array.contains(&"bigint[]".to_owned()));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        /// Attribute contents: known and unknown keys, odd values, stray
        /// punctuation.
        fn attribute() -> impl Strategy<Value = String> {
            let key = prop_oneof![
                Just("type_name".to_owned()),
                Just("rename_all".to_owned()),
                Just("rename".to_owned()),
                Just("sql_type".to_owned()),
                Just("transparent".to_owned()),
                "[a-z_]{1,8}",
            ];
            let value = prop_oneof![
                any::<String>().prop_map(|s| format!(" = {s:?}")),
                Just(String::new()),
                Just(" = 5".to_owned()),
                Just("(x)".to_owned()),
                "[ =,\"()a-z.]{0,6}",
            ];
            prop::collection::vec((key, value), 0..4).prop_map(|items| {
                items
                    .into_iter()
                    .map(|(k, v)| format!("{k}{v}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            })
        }

        proptest! {
            /// Whatever the attributes say, parsing never panics: it gives a
            /// definition, or errors that each say what and where.
            #[test]
            fn enum_and_newtype_attributes_parse_or_say_where(
                ours in attribute(),
                sqlx in attribute(),
                variant in attribute(),
                style in any::<String>(),
            ) {
                let enum_src = format!(
                    "#[pgdrift({ours})] #[sqlx({sqlx})] #[DbValueStyle = {style:?}] \
                     enum E {{ #[pgdrift({variant})] #[db_rename = {style:?}] A, B }}"
                );
                let newtype_src = format!("#[pgdrift({ours})] #[sqlx({sqlx})] struct N(String);");
                let catalog = catalog();
                for src in [enum_src, newtype_src] {
                    let Ok(input) = syn::parse_str::<syn::DeriveInput>(&src) else {
                        continue;
                    };
                    let results = [
                        EnumDef::parse(&input).map(|def| check_enum(&def, &catalog).len()),
                        NewtypeDef::parse(&input).map(|_| 0),
                    ];
                    for result in results {
                        if let Err(findings) = result {
                            prop_assert!(!findings.is_empty());
                            prop_assert!(crate::model::in_source_order(&findings), "{src}");
                            for finding in findings {
                                prop_assert!(!finding.message.is_empty());
                            }
                        }
                    }
                }
            }
        }
    }
}
