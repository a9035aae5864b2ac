//! The one definition of drift: a [`ModelDef`] against a [`Catalog`].
//!
//! The derive turns these findings into compiler diagnostics;
//! `compare-db-models` prints them as `file:line:col` lines.

use std::collections::HashMap;

use proc_macro2::Span;

use crate::catalog::{Catalog, Column, Relation};
use crate::finding::{Check, Finding, Level};
use crate::model::{type_text, FieldDef, ModelDef};
use crate::suggest::closest;
use crate::types::{self, Fit};

/// Every problem of `model` against `catalog`, in source order.
pub fn check_model(model: &ModelDef, catalog: &Catalog) -> Vec<Finding> {
    let mut findings = Findings {
        model,
        out: Vec::new(),
        end: None,
    };
    let Some(relation) = catalog.relation(&model.schema, &model.table) else {
        findings.missing_table(catalog);
        return findings.out;
    };
    let mut mapped: HashMap<&str, &FieldDef> = HashMap::new();
    for field in model.mapped_fields() {
        let Some(column) = relation.column(&field.column) else {
            findings.missing_column(relation, field);
            continue;
        };
        if let Some(first) = mapped.insert(&column.name, field) {
            findings.push(
                Check::DuplicateColumn,
                Level::Error,
                field.ident.span(),
                Some(field),
                Some(&column.name),
                format!(
                    "column \"{}\" is already mapped by field `{}`",
                    findings.qualified_column(&column.name),
                    first.name()
                ),
                Some("map each column to one field, or `#[pgdrift(skip)]` this one".into()),
            );
            mapped.insert(&column.name, first);
            continue;
        }
        findings.field(catalog, field, column);
    }
    if !model.partial {
        let uncovered: Vec<&Column> = relation
            .columns
            .iter()
            .filter(|c| !mapped.contains_key(c.name.as_str()))
            .collect();
        if !uncovered.is_empty() {
            findings.uncovered(&uncovered);
        }
    }
    findings.out
}

struct Findings<'a> {
    model: &'a ModelDef,
    out: Vec<Finding>,
    /// The last token of the next finding's span, when it covers several.
    end: Option<Span>,
}

impl Findings<'_> {
    #[allow(clippy::too_many_arguments)]
    /// Spans the next finding over all of `tokens` (a type, say).
    fn over(&mut self, tokens: &impl quote::ToTokens) -> Span {
        let mut spans = tokens.to_token_stream().into_iter().map(|t| t.span());
        let first = spans.next().unwrap_or_else(Span::call_site);
        self.end = spans.last();
        first
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        check: Check,
        level: Level,
        span: Span,
        field: Option<&FieldDef>,
        column: Option<&str>,
        message: String,
        help: Option<String>,
    ) {
        let level = if self.model.strict {
            Level::Error
        } else {
            level
        };
        let mut finding = Finding::new(check, level, span, &self.model.name(), message);
        finding.end = self.end.take();
        finding.field = field.map(FieldDef::name);
        finding.schema = Some(self.model.schema.clone());
        finding.table = Some(self.model.table.clone());
        finding.column = column.map(str::to_owned);
        finding.help = help;
        self.out.push(finding);
    }

    /// `users` in `public`, `app.orders` elsewhere.
    fn qualified_table(&self) -> String {
        if self.model.schema == "public" {
            self.model.table.clone()
        } else {
            format!("{}.{}", self.model.schema, self.model.table)
        }
    }

    fn qualified_column(&self, column: &str) -> String {
        format!("{}.{column}", self.qualified_table())
    }

    fn missing_table(&mut self, catalog: &Catalog) {
        let model = self.model;
        let elsewhere: Vec<&str> = catalog
            .relations()
            .filter(|(schema, r)| r.name == model.table && *schema != model.schema)
            .map(|(schema, _)| schema)
            .collect();
        let same_schema = catalog
            .schema(&model.schema)
            .map(|s| {
                s.relations
                    .iter()
                    .map(|r| r.name.as_str())
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        let help = if let Some(schema) = elsewhere.first() {
            Some(format!(
                "a table \"{schema}.{}\" exists: add `#[pgdrift(schema = \"{schema}\")]`",
                model.table
            ))
        } else if let Some(name) = closest(&model.table, same_schema) {
            Some(format!(
                "did you mean \"{name}\"? add `#[pgdrift(table = \"{name}\")]`"
            ))
        } else {
            let all = catalog.relations().map(|(_, r)| r.name.as_str());
            closest(&model.table, all).and_then(|name| {
                catalog
                    .relations()
                    .find(|(_, r)| r.name == name)
                    .map(|(schema, _)| {
                        format!(
                            "did you mean \"{schema}.{name}\"? add `#[pgdrift(schema = \"{schema}\", table = \"{name}\")]`"
                        )
                    })
            })
        };
        let help = help.or_else(|| {
            (catalog.schema(&model.schema).is_none())
                .then(|| format!("the database has no schema \"{}\"", model.schema))
        });
        let message = format!(
            "table or view \"{}\" does not exist",
            self.qualified_table()
        );
        self.push(
            Check::MissingTable,
            Level::Error,
            model.ident.span(),
            None,
            None,
            message,
            help,
        );
    }

    fn missing_column(&mut self, relation: &Relation, field: &FieldDef) {
        let names = relation.columns.iter().map(|c| c.name.as_str());
        let help = closest(&field.column, names).map(|name| {
            if field.column_given {
                format!("did you mean \"{name}\"?")
            } else {
                format!("did you mean \"{name}\"? add `#[pgdrift(column = \"{name}\")]`")
            }
        });
        let message = format!(
            "column \"{}\" does not exist",
            self.qualified_column(&field.column)
        );
        self.push(
            Check::MissingColumn,
            Level::Error,
            field.ident.span(),
            Some(field),
            Some(&field.column),
            message,
            help,
        );
    }

    fn field(&mut self, catalog: &Catalog, field: &FieldDef, column: &Column) {
        let qualified = self.qualified_column(&column.name);
        let (inner, is_option) = match types::option_inner(&field.ty) {
            Some(inner) => (inner, true),
            None => (&field.ty, false),
        };
        if column.nullable && !is_option {
            let span = self.over(&field.ty);
            self.push(
                Check::NullableWithoutOption,
                Level::Error,
                span,
                Some(field),
                Some(&column.name),
                format!("column \"{qualified}\" is nullable, but the field is not an `Option`"),
                Some(format!("use `Option<{}>`", type_text(inner))),
            );
        } else if !column.nullable && is_option {
            self.push(
                Check::OptionOnNotNull,
                Level::Warning,
                field.ident.span(),
                Some(field),
                Some(&column.name),
                format!("column \"{qualified}\" is NOT NULL, so the field need not be an `Option`"),
                Some(format!("use `{}`", type_text(inner))),
            );
        }
        let sql = types::resolve(catalog, column);
        let fits = types::rust_types_for(&sql);
        if let Some(declared) = &field.sql_type {
            if !types::sql_type_matches(catalog, column, &declared.value()) {
                self.push(
                    Check::SqlTypeMismatch,
                    Level::Error,
                    declared.span(),
                    Some(field),
                    Some(&column.name),
                    format!(
                        "`sql_type = \"{}\"` does not match column \"{qualified}\", which is `{}`",
                        declared.value(),
                        column.data_type
                    ),
                    Some(format!("write `sql_type = \"{}\"`", column.data_type)),
                );
            }
        }
        match types::fits(&sql, inner) {
            Fit::Yes => {}
            Fit::No => {
                let span = self.over(inner);
                let help = match fits.as_slice() {
                    [] => None,
                    [one] => Some(format!("use `{one}`")),
                    many => Some(format!(
                        "use one of {}",
                        many.iter()
                            .map(|t| format!("`{t}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    )),
                };
                self.push(
                    Check::TypeMismatch,
                    Level::Error,
                    span,
                    Some(field),
                    Some(&column.name),
                    format!(
                        "column \"{qualified}\" is `{}`, which `{}` does not fit",
                        column.data_type,
                        type_text(inner)
                    ),
                    help,
                );
            }
            Fit::Unknown
                if self.model.strict
                    && field.sql_type.is_none()
                    && !matches!(sql, types::SqlType::Enum(_)) =>
            {
                let span = self.over(inner);
                self.push(
                    Check::UncheckedType,
                    Level::Error,
                    span,
                    Some(field),
                    Some(&column.name),
                    format!(
                        "pgdrift cannot check `{}` against column \"{qualified}\" (`{}`), and the struct is `strict`",
                        type_text(inner),
                        column.data_type
                    ),
                    Some(format!(
                        "declare the column type the field expects: `#[pgdrift(sql_type = \"{}\")]`",
                        column.data_type
                    )),
                );
            }
            Fit::Unknown => {}
        }
    }

    fn uncovered(&mut self, columns: &[&Column]) {
        let list: Vec<String> = columns
            .iter()
            .map(|c| {
                format!(
                    "\"{}\" ({}, {})",
                    c.name,
                    c.data_type,
                    if c.nullable { "nullable" } else { "not null" }
                )
            })
            .collect();
        let (noun, each) = if columns.len() == 1 {
            ("a column", "it")
        } else {
            ("columns", "each")
        };
        let message = format!(
            "table \"{}\" has {noun} that no field maps: {}",
            self.qualified_table(),
            list.join(", ")
        );
        let help = Some(format!(
            "add a field for {each}, or mark the struct `#[pgdrift(partial)]` if it reads only some columns"
        ));
        let span = self.model.ident.span();
        self.push(
            Check::UncoveredColumns,
            Level::Error,
            span,
            None,
            None,
            message,
            help,
        );
    }
}
