//! The sure fixes that edit a model struct's Rust source: one builder per
//! kind of finding that has one.

use std::collections::HashMap;

use proc_macro2::Span;

use super::{Edit, Fix};
use crate::catalog::{Catalog, Column, Relation};
use crate::finding::Check;
use crate::generate::{self, FieldNames};
use crate::input::{type_text, FieldDef, ModelDef};
use crate::types::{self, SqlType};

/// Maps the misspelt `field` to the column `name`.
pub(crate) fn column(field: &FieldDef, name: &str) -> Fix {
    let attribute = format!("#[pgdrift(column = {})]", generate::string_literal(name));
    Fix {
        description: format!("add `{attribute}`"),
        edits: vec![Edit::Lines {
            at: field.decl,
            indent_like: field.decl,
            lines: vec![attribute],
        }],
    }
}

/// The plain Rust type that fits the column (of type `sql`) in place of
/// `inner`, in the crates `model` already uses. A reference stays one: its
/// referent is replaced, by the borrowed form (`str`, `[T]`) where there is
/// one, so `&'a [i32]` becomes `&'a [i64]`, not `Vec<i64>`.
pub(crate) fn fitting_type(model: &ModelDef, sql: &SqlType, inner: &syn::Type) -> Option<Fix> {
    let crates =
        types::families_of(std::iter::once(inner).chain(model.fields.iter().map(|f| &f.ty)));
    let fitting = types::plain_type_for(sql, crates)?;
    let (replaced, text, shown) = match inner {
        syn::Type::Reference(reference) => {
            let text = borrowed(&fitting);
            let shown = format!("{}{text}", reference_prefix(reference));
            (&*reference.elem, text, shown)
        }
        _ => (inner, fitting.clone(), fitting),
    };
    let (first, last) = bounds(replaced);
    Some(Fix {
        description: format!("use `{shown}`"),
        edits: vec![Edit::Replace { first, last, text }],
    })
}

/// What a reference to an owned type is written as: `String` → `str`,
/// `Vec<T>` → `[T]`, else the type.
fn borrowed(owned: &str) -> String {
    if owned == "String" {
        return "str".to_owned();
    }
    match owned.strip_prefix("Vec<").and_then(|t| t.strip_suffix('>')) {
        Some(element) => format!("[{element}]"),
        None => owned.to_owned(),
    }
}

/// `&'a `, `&mut ` or `&` as the reference is written.
fn reference_prefix(reference: &syn::TypeReference) -> String {
    let lifetime = reference
        .lifetime
        .as_ref()
        .map(|l| format!("{l} "))
        .unwrap_or_default();
    let mutability = if reference.mutability.is_some() {
        "mut "
    } else {
        ""
    };
    format!("&{lifetime}{mutability}")
}

/// The sure fix of a read struct's nullability finding `check` about the
/// field type `ty` (`inner` inside its `Option`s), described by `help`:
/// wrap the type in `Option`, or unwrap it when `may_unwrap` (a `strict`
/// model's single `Option`).
pub(crate) fn nullability(
    check: Check,
    help: &str,
    ty: &syn::Type,
    inner: &syn::Type,
    may_unwrap: bool,
) -> Option<Fix> {
    let (first, last) = bounds(ty);
    match check {
        Check::NullableWithoutOption => Some(Fix {
            description: help.to_owned(),
            edits: vec![
                Edit::Before {
                    at: first,
                    text: "Option<".to_owned(),
                },
                Edit::After {
                    at: last,
                    text: ">".to_owned(),
                },
            ],
        }),
        Check::OptionOnNotNull if may_unwrap => Some(Fix {
            description: help.to_owned(),
            edits: vec![Edit::Replace {
                first,
                last,
                text: type_text(inner),
            }],
        }),
        _ => None,
    }
}

/// New fields of `model` for the uncovered `columns` of `relation`, each
/// before the field of the next covered column (`mapped`, by column name;
/// else at the end); `None` when a column's type needs a Rust type of the
/// user's (an enum) or has none.
pub(crate) fn uncovered(
    model: &ModelDef,
    catalog: &Catalog,
    relation: &Relation,
    mapped: &HashMap<&str, &FieldDef>,
    columns: &[&Column],
) -> Option<Fix> {
    let indent_like = model.fields.first()?.start;
    let public = model.fields.iter().any(|f| f.public);
    let crates = types::families_of(model.fields.iter().map(|f| &f.ty));
    let mut names = FieldNames::taken(
        model
            .fields
            .iter()
            .map(|f| f.ident.to_string())
            .collect::<Vec<_>>()
            .iter()
            .map(|s| s.trim_start_matches("r#")),
    );
    let mut edits = Vec::new();
    for column in columns {
        let ty = types::plain_type_for(&types::resolve(catalog, column), crates)?;
        let ty = if column.nullable {
            format!("Option<{ty}>")
        } else {
            ty
        };
        let lines = field_lines(model, &mut names, column, &ty, public);
        let next = relation
            .columns
            .iter()
            .skip_while(|c| c.name != column.name)
            .find_map(|c| mapped.get(c.name.as_str()));
        edits.push(Edit::Lines {
            at: next.map_or(model.fields_end, |f| f.start),
            indent_like,
            lines,
        });
    }
    let noun = if columns.len() == 1 {
        "a field"
    } else {
        "fields"
    };
    Some(Fix {
        description: format!("add {noun} for the uncovered columns"),
        edits,
    })
}

/// The lines of a new field of type `ty` for `column`, named apart from
/// the `names` taken: its doc comment, its `column = "…"` when the name
/// differs, and the field.
fn field_lines(
    model: &ModelDef,
    names: &mut FieldNames,
    column: &Column,
    ty: &str,
    public: bool,
) -> Vec<String> {
    let (ident, _) = names.claim(&column.name);
    let mut lines = String::new();
    generate::doc_comment(&mut lines, "", column.comment.as_deref());
    let mut lines: Vec<String> = lines.lines().map(str::to_owned).collect();
    if model.default_column(ident.trim_start_matches("r#")) != column.name {
        lines.push(format!(
            "#[pgdrift(column = {})]",
            generate::string_literal(&column.name)
        ));
    }
    let vis = if public { "pub " } else { "" };
    lines.push(format!("{vis}{ident}: {ty},"));
    lines
}

/// The first and last token of `tokens`.
fn bounds(tokens: &impl quote::ToTokens) -> (Span, Span) {
    let mut spans = tokens.to_token_stream().into_iter().map(|t| t.span());
    let first = spans.next().unwrap_or_else(Span::call_site);
    (first, spans.last().unwrap_or(first))
}
