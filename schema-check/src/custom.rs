//! The checks of custom types: Rust enums deriving `Enum` against the
//! schema's enum types, and fields whose type is a newtype deriving
//! `SqlType` (or any type pgdrift does not know).
//!
//! A derive cannot see another item, so a `Model` field whose type pgdrift
//! does not know is checked by generated code: [`type_probes`] says, for each
//! such field, which SQL type names fit its column, and the derive emits a
//! `const` that compares them with the type's `SqlType::SQL_TYPE`.

use crate::catalog::{Catalog, Column, TypeName};
use crate::finding::{Check, Finding, Level};
use crate::input::ast::unraw;
use crate::input::{type_text, EnumDef, FieldDef, ModelDef};
use crate::sql_name;
use crate::suggest::closest;
use crate::types;

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
        finding.schema = Some(def.type_name.schema.to_string());
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
    let problems = label_problems(def, &db.labels);
    if problems.is_empty() {
        return Vec::new();
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

/// What differs between the variants' labels and the type's `labels`: the
/// labels without a variant, the variants without a label.
fn label_problems(def: &EnumDef, labels: &[String]) -> Vec<String> {
    let missing: Vec<String> = labels
        .iter()
        .filter(|l| !def.variants.iter().any(|v| &v.label == *l))
        .map(|l| format!("{l:?}"))
        .collect();
    let extra: Vec<String> = def
        .variants
        .iter()
        .filter(|v| !labels.contains(&v.label))
        .map(|v| format!("`{}` ({:?})", unraw(&v.ident), v.label))
        .collect();
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
    problems
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

/// `Vec<T>` and `[T]` (a referenced slice) → `T`, itself a referent.
fn vec_element(ty: &syn::Type) -> Option<&syn::Type> {
    let path = match ty {
        syn::Type::Path(path) => path,
        syn::Type::Slice(slice) => return Some(types::referent(&slice.elem)),
        _ => return None,
    };
    let segment = path.path.segments.last()?;
    match &segment.arguments {
        syn::PathArguments::AngleBracketed(args) if segment.ident == "Vec" => {
            match args.args.first()? {
                syn::GenericArgument::Type(t) if args.args.len() == 1 => Some(types::referent(t)),
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
    // A declared SQL type is what is checked; the field's own type is not
    // probed. A conversion type (`deserialize_as`, `try_from`) is probed in
    // its place.
    model
        .mapped_fields()
        .filter(|f| !f.declares_sql_type())
        .filter_map(|field| {
            let column = crate::check::mapped_column(relation, field)?;
            type_probe(model, catalog, &table, field, column)
        })
        .collect()
}

/// The probe of `field` on `column` of `table` (as messages name it),
/// unless its type is known, cannot be named, or names one of the struct's
/// parameters. Most fields have a known type: that is decided before
/// anything else is computed.
fn type_probe<'a>(
    model: &ModelDef,
    catalog: &Catalog,
    table: &str,
    field: &'a FieldDef,
    column: &Column,
) -> Option<TypeProbe<'a>> {
    // One `Option`, or the two of a write's `Option<Option<T>>`.
    // A reference is probed as what it refers to.
    let checked = field.checked_ty();
    let ty = types::option_inner(checked).unwrap_or(checked);
    let ty = types::referent(types::option_inner(ty).unwrap_or(ty));
    let element = vec_element(ty).and_then(|inner| Some((inner, array_element(catalog, column)?)));
    let unknown_element = match &element {
        Some((inner, element)) if !types::is_known(inner) => Some((*inner, element)),
        _ => None,
    };
    let ty = unknown_element.map_or(ty, |(inner, _)| inner);
    if types::is_known(ty) || !nameable(ty) || model.names_parameter(ty) {
        return None;
    }
    let accepted = match unknown_element {
        Some((_, element)) => accepted_sql_types(catalog, element, None),
        None => accepted_sql_types(catalog, &column.udt, column.element.as_ref()),
    };
    let qualified = format!("{table}.{}", column.name);
    let rust = type_text(ty);
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
    Some(TypeProbe {
        field,
        ty,
        accepted,
        mismatch,
        unchecked,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Domain, EnumType, Schema};
    use crate::input::NewtypeDef;

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
                            prop_assert!(crate::input::ctxt::in_source_order(&findings), "{src}");
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
