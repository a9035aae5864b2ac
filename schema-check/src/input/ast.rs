//! The plain definitions pgdrift reads from a derive's input: a `Model`
//! struct ([`ModelDef`]), an `Enum` ([`EnumDef`]), an `SqlType` newtype
//! ([`NewtypeDef`]). Each is built from a `syn::DeriveInput` (from the
//! derive, or from a source file) in one place, so the derive and
//! `schema-check compare-db-models` agree on what a definition is.

use heck::ToSnakeCase;
use proc_macro2::Span;
use syn::spanned::Spanned;

pub use super::attr::foreign::NoneWrites;
use super::attr::foreign::{
    ForeignContainer, ForeignEnum, ForeignField, ForeignNewtype, ForeignVariant,
};
use super::attr::{
    db_value_style, ContainerAttrs, EnumAttrs, FieldAttrs, NewtypeAttrs, RenameAll, VariantAttrs,
};
pub use super::attr::{DbFills, Directions};
use super::ctxt::Errors;
use crate::catalog::TypeName;
use crate::finding::Finding;
use crate::sql_name::{self, NamePart, WrittenTypeName};
use crate::types;
pub use crate::types::type_text;

/// A struct deriving `Model`, with its attributes resolved.
#[derive(Clone)]
pub struct ModelDef {
    pub ident: syn::Ident,
    pub generics: syn::Generics,
    /// `schema = "…"`, else `public`.
    pub schema: String,
    /// `table = "…"`, else the struct's name in snake_case.
    pub table: String,
    /// The tables of diesel's further `#[diesel(table_name = …)]` (diesel
    /// implements the struct for each), checked as `table` is; none when
    /// `table = "…"` names the table.
    pub more_tables: Vec<String>,
    pub partial: bool,
    pub strict: bool,
    /// Which ways the struct moves rows: `read`, `insert`, `update`.
    pub directions: Directions,
    /// `db_fills = "…"`: required columns an insert struct leaves to a
    /// `BEFORE INSERT` row trigger.
    pub db_fills: Option<DbFills>,
    pub doc: Option<String>,
    pub fields: Vec<FieldDef>,
    /// The closing brace of the fields, where fields can be appended.
    pub fields_end: Span,
    /// Columns of fields without `column = "…"` are named by this rule.
    rename_all: RenameAll,
    /// diesel's `#[diesel(primary_key(…))]`: the key's fields, as written.
    diesel_primary_key: Vec<syn::Ident>,
}

/// Where a model says which fields form its table's primary key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeySource {
    /// `#[pgdrift(primary_key)]` on the fields.
    Pgdrift,
    /// diesel's `#[diesel(primary_key(…))]` on the struct.
    Diesel,
}

/// A named field and the column it maps to.
#[derive(Clone)]
pub struct FieldDef {
    pub ident: syn::Ident,
    pub ty: syn::Type,
    /// `column = "…"`, else the field's name after `rename_all`.
    pub column: String,
    /// Whether `column = "…"` named the column.
    pub column_given: bool,
    pub skip: bool,
    /// `renamed_from = "…"`: the column's name before a rename the model
    /// asks for.
    pub renamed_from: Option<syn::LitStr>,
    /// `primary_key`: the column is (part of) the table's primary key.
    pub primary_key: bool,
    /// `sql_type = "…"`: the column type declared for a type pgdrift cannot know.
    pub sql_type: Option<syn::LitStr>,
    /// The type the column converts through (`#[diesel(deserialize_as = T)]`,
    /// `#[sqlx(try_from = "T")]`): checked instead of the field's type.
    pub through: Option<syn::Type>,
    /// `#[diesel(sql_type = …)]`: the column's type in diesel's vocabulary.
    pub diesel_sql_type: Option<syn::Type>,
    /// `#[sqlx(default)]`: the column may be missing from the table.
    pub may_be_missing: bool,
    /// `#[sqlx(json)]`: the column must be `json` or `jsonb`; the type is free.
    pub json: bool,
    /// What diesel writes for `None` (`treat_none_as_null`,
    /// `treat_none_as_default_value`), the field's words before the struct's.
    pub none: NoneWrites,
    /// `#[diesel(skip_insertion)]`: the struct's inserts leave the field out.
    pub skip_insertion: bool,
    /// `#[diesel(skip_update)]`: the struct's updates leave the field out.
    pub skip_update: bool,
    pub doc: Option<String>,
    /// The field's first token: its first attribute, visibility or name.
    pub start: Span,
    /// The first token after its attributes: its visibility or name.
    pub decl: Span,
    /// Whether the field is `pub`.
    pub public: bool,
}

impl FieldDef {
    /// The field's name without `r#`.
    pub fn name(&self) -> String {
        unraw(&self.ident)
    }

    /// The type checked against the column: the conversion type when the
    /// field names one, else the field's own.
    pub fn checked_ty(&self) -> &syn::Type {
        self.through.as_ref().unwrap_or(&self.ty)
    }

    /// Whether the field declares its column's SQL type (`sql_type`,
    /// diesel's `sql_type`, sqlx's `json`): the declaration is what is
    /// checked, and the field's Rust type need not be checkable.
    pub fn declares_sql_type(&self) -> bool {
        self.sql_type.is_some() || self.diesel_sql_type.is_some() || self.json
    }
}

impl ModelDef {
    pub fn name(&self) -> String {
        unraw(&self.ident)
    }

    /// The column a field named `field` maps to without `column = "…"`.
    pub fn default_column(&self, field: &str) -> String {
        self.rename_all.apply(field)
    }

    /// Whether `ty` names one of the struct's type, lifetime or const
    /// parameters (or `Self`): a `const` outside the struct's impl, where
    /// the derive checks field types, cannot name it.
    pub fn names_parameter(&self, ty: &syn::Type) -> bool {
        let params: Vec<String> = self
            .generics
            .params
            .iter()
            .map(|param| match param {
                syn::GenericParam::Type(t) => t.ident.to_string(),
                syn::GenericParam::Const(c) => c.ident.to_string(),
                syn::GenericParam::Lifetime(l) => l.lifetime.to_string(),
            })
            .chain(["Self".to_owned()])
            .collect();
        names_any(quote::ToTokens::to_token_stream(ty), &params)
    }

    /// Fields that map to a column.
    pub fn mapped_fields(&self) -> impl Iterator<Item = &FieldDef> {
        self.fields.iter().filter(|f| !f.skip)
    }

    /// Where the model declares its table's primary key: fields marked
    /// `#[pgdrift(primary_key)]` win over diesel's `primary_key(…)`;
    /// `None` when neither says (diesel's default, `id`, declares nothing).
    pub fn primary_key_source(&self) -> Option<KeySource> {
        if self.mapped_fields().any(|f| f.primary_key) {
            Some(KeySource::Pgdrift)
        } else if self.diesel_key_fields().next().is_some() {
            Some(KeySource::Diesel)
        } else {
            None
        }
    }

    /// The fields that form the table's primary key, as the model declares
    /// it (see [`ModelDef::primary_key_source`]): the marked fields in field
    /// order, or the fields diesel names in its order.
    pub fn primary_key_fields(&self) -> impl Iterator<Item = &FieldDef> {
        let fields: Vec<&FieldDef> = match self.primary_key_source() {
            Some(KeySource::Pgdrift) => self.mapped_fields().filter(|f| f.primary_key).collect(),
            Some(KeySource::Diesel) => self.diesel_key_fields().map(|(_, f)| f).collect(),
            None => Vec::new(),
        };
        fields.into_iter()
    }

    /// Where the model declares that `field` is part of the primary key:
    /// its name in diesel's `primary_key(…)`, else the field's name.
    pub fn primary_key_span(&self, field: &FieldDef) -> Span {
        self.diesel_key_fields()
            .find(|(_, f)| std::ptr::eq(*f, field))
            .filter(|_| self.primary_key_source() == Some(KeySource::Diesel))
            .map_or_else(|| field.ident.span(), |(name, _)| name.span())
    }

    /// diesel's `primary_key(…)` names with the mapped fields they name;
    /// a name that is no mapped field is diesel's to report.
    fn diesel_key_fields(&self) -> impl Iterator<Item = (&syn::Ident, &FieldDef)> {
        self.diesel_primary_key.iter().filter_map(|name| {
            let field = self.mapped_fields().find(|f| f.name() == unraw(name))?;
            Some((name, field))
        })
    }

    /// Reads a struct and its `#[pgdrift(...)]` attributes. Every malformed
    /// attribute is reported, not only the first.
    pub fn parse(input: &syn::DeriveInput) -> Result<ModelDef, Vec<Finding>> {
        let name = unraw(&input.ident);
        let errors = Errors::new();
        // In source order: the struct's attributes, its kind, its fields.
        let container = ContainerAttrs::parse(&input.attrs, &errors);
        let named = named_fields(input, &name, &errors);
        let foreign = ForeignContainer::parse(&input.attrs);
        let rename_all = container
            .rename_all
            .or_else(|| foreign.rename_all.as_deref().and_then(RenameAll::from_name))
            .unwrap_or_default();
        let fields = named
            .map(|n| n.named.iter())
            .into_iter()
            .flatten()
            .map(|field| FieldDef::parse(field, rename_all, foreign.none, &errors))
            .map(|field| field.in_directions(container.directions()))
            .collect();
        errors.finish(&name)?;
        Ok(ModelDef {
            ident: input.ident.clone(),
            generics: input.generics.clone(),
            schema: container
                .schema
                .as_ref()
                .map_or_else(|| "public".to_owned(), syn::LitStr::value),
            table: table_name(&container, &foreign, &name),
            more_tables: match container.table {
                Some(_) => Vec::new(),
                None => foreign.more_tables,
            },
            partial: container.partial.is_some(),
            strict: container.strict.is_some(),
            directions: container.directions(),
            db_fills: container.db_fills,
            doc: doc_comment(&input.attrs),
            fields,
            fields_end: named.map_or_else(Span::call_site, |n| n.brace_token.span.close()),
            rename_all: container.rename_all.unwrap_or_default(),
            diesel_primary_key: foreign.primary_key,
        })
    }
}

/// The named fields of a struct; for anything else an error, and `None`.
fn named_fields<'a>(
    input: &'a syn::DeriveInput,
    name: &str,
    errors: &Errors,
) -> Option<&'a syn::FieldsNamed> {
    match &input.data {
        syn::Data::Struct(data) => match &data.fields {
            syn::Fields::Named(named) => Some(named),
            syn::Fields::Unnamed(_) | syn::Fields::Unit => {
                errors.push_with_help(
                    syn::Error::new(
                        input.ident.span(),
                        format!("#[derive(Model)] needs named fields, but `{name}` is a tuple or unit struct"),
                    ),
                    "name each field after its column: `struct User { id: i64, … }`",
                );
                None
            }
        },
        syn::Data::Enum(data) => {
            errors.push_with_help(
                syn::Error::new(
                    data.enum_token.span,
                    format!("#[derive(Model)] is for structs, but `{name}` is an enum"),
                ),
                "derive Model on a struct with one field per column",
            );
            None
        }
        syn::Data::Union(data) => {
            errors.push(syn::Error::new(
                data.union_token.span,
                format!("#[derive(Model)] is for structs, but `{name}` is a union"),
            ));
            None
        }
    }
}

/// `table = "…"`, else diesel's `table_name`, else the struct's name in
/// snake_case (with diesel's plural `s` when the struct uses diesel).
fn table_name(container: &ContainerAttrs, foreign: &ForeignContainer, name: &str) -> String {
    container
        .table
        .as_ref()
        .map(syn::LitStr::value)
        .or_else(|| foreign.table.clone())
        .unwrap_or_else(|| {
            if foreign.diesel {
                format!("{}s", name.to_snake_case())
            } else {
                name.to_snake_case()
            }
        })
}

impl FieldDef {
    /// The field as the struct's `directions` use it: one that every
    /// direction leaves out (`skip_insertion` in a struct that only
    /// inserts) is no column of the table, as diesel reads it.
    fn in_directions(mut self, directions: Directions) -> FieldDef {
        let used = directions.read
            || (directions.insert && !self.skip_insertion)
            || (directions.update && !self.skip_update);
        self.skip |= !used;
        self
    }

    /// Whether the struct's inserts write the field.
    pub fn inserted(&self, directions: Directions) -> bool {
        directions.insert && !self.skip_insertion
    }

    /// Whether the struct's updates write the field (the row's key aside).
    pub fn updated(&self, directions: Directions) -> bool {
        directions.update && !self.skip_update
    }

    /// Reads a named field and its attributes; a field without a column
    /// name of its own is named by `rename_all`.
    fn parse(
        field: &syn::Field,
        rename_all: RenameAll,
        none: NoneWrites,
        errors: &Errors,
    ) -> FieldDef {
        let ident = field.ident.clone().expect("named field");
        let attrs = FieldAttrs::parse(&field.attrs, errors);
        let foreign = ForeignField::parse(&field.attrs);
        let column = attrs.column.as_ref().map(syn::LitStr::value);
        let column_given = column.is_some() || foreign.column.is_some();
        let column = column
            .or(foreign.column)
            .unwrap_or_else(|| rename_all.apply(&unraw(&ident)));
        if let Some(old) = attrs
            .renamed_from
            .as_ref()
            .filter(|old| old.value() == column)
        {
            let error = syn::Error::new(
                old.span(),
                format!(
                    "`renamed_from` names the field's own column `{column}`: it takes the column's name before the rename"
                ),
            );
            match attrs.renamed_from_at {
                Some(at) => errors.push_at(at, error),
                None => errors.push(error),
            }
        }
        FieldDef {
            ty: field.ty.clone(),
            column,
            column_given,
            skip: attrs.skip.is_some() || (foreign.skip && attrs.column.is_none()),
            renamed_from: attrs.renamed_from,
            primary_key: attrs.primary_key.is_some(),
            sql_type: attrs.sql_type,
            through: foreign.through,
            diesel_sql_type: foreign.diesel_sql_type,
            may_be_missing: foreign.default,
            json: foreign.json,
            none: foreign.none.or(none),
            skip_insertion: foreign.skip_insertion,
            skip_update: foreign.skip_update,
            doc: doc_comment(&field.attrs),
            start: field
                .attrs
                .first()
                .map_or_else(|| decl_start(field), |a| a.pound_token.span),
            decl: decl_start(field),
            public: matches!(field.vis, syn::Visibility::Public(_)),
            ident,
        }
    }
}

/// A Rust enum deriving `Enum`, with its PostgreSQL type and labels resolved.
#[derive(Clone)]
pub struct EnumDef {
    pub ident: syn::Ident,
    pub generics: syn::Generics,
    /// The PostgreSQL type as written (or derived from the enum's name).
    pub written: WrittenTypeName,
    /// `written` read as PostgreSQL reads it; [`check_enum`](crate::custom::check_enum) resolves the
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

impl EnumDef {
    /// Reads an enum and its `#[pgdrift(...)]`, `#[sqlx(...)]` and
    /// diesel-derive-enum attributes; every malformed `pgdrift` attribute is
    /// reported.
    pub fn parse(input: &syn::DeriveInput) -> Result<EnumDef, Vec<Finding>> {
        let name = unraw(&input.ident);
        let errors = Errors::new();
        // In source order: the enum's attributes, its kind, its variants.
        let attrs = EnumAttrs::parse(&input.attrs, &errors);
        let data = enum_data(input, &name, &errors);
        let foreign = ForeignEnum::parse(&input.attrs);
        let (written, type_span) = written_type_name(&input.ident, attrs.type_name, &foreign);
        let rule = label_rule(attrs.rename_all, &foreign, data);
        let variants = data
            .map(|d| d.variants.iter())
            .into_iter()
            .flatten()
            .map(|variant| VariantDef::parse(variant, rule, &errors))
            .collect();
        errors.finish(&name)?;
        Ok(EnumDef {
            ident: input.ident.clone(),
            generics: input.generics.clone(),
            type_name: written.folded(),
            written,
            type_span,
            variants,
        })
    }
}

/// The enum's variants; for anything but an enum an error, and `None`.
fn enum_data<'a>(
    input: &'a syn::DeriveInput,
    name: &str,
    errors: &Errors,
) -> Option<&'a syn::DataEnum> {
    match &input.data {
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
    }
}

/// The enum type's name as written, and where: `type_name` (pgdrift's,
/// else sqlx's), else the last segment of diesel-derive-enum's
/// `ExistingTypePath` in snake_case, else the enum's name in snake_case.
fn written_type_name(
    ident: &syn::Ident,
    ours: Option<syn::LitStr>,
    foreign: &ForeignEnum,
) -> (WrittenTypeName, Span) {
    match (
        ours.or_else(|| foreign.type_name.clone()),
        &foreign.existing_type_path,
    ) {
        (Some(lit), _) => (
            sql_name::parse_type_name(&lit.value()).unwrap_or_else(|_| unquoted(lit.value())),
            lit.span(),
        ),
        (None, Some(path)) => {
            let last = path.value();
            let last = last.rsplit("::").next().unwrap_or_default().trim();
            (unquoted(last.to_snake_case()), path.span())
        }
        (None, None) => (unquoted(unraw(ident).to_snake_case()), ident.span()),
    }
}

/// How variant names become labels: `rename_all` (pgdrift's, else sqlx's),
/// else diesel-derive-enum's `DbValueStyle`, else the default of the derive
/// the enum uses: sqlx's verbatim names, or diesel-derive-enum's snake_case.
fn label_rule(
    ours: Option<RenameAll>,
    foreign: &ForeignEnum,
    data: Option<&syn::DataEnum>,
) -> RenameAll {
    let uses_sqlx = foreign.sqlx
        || data.is_some_and(|d| {
            d.variants
                .iter()
                .any(|v| ForeignVariant::parse(&v.attrs).sqlx)
        });
    ours.or_else(|| foreign.rename_all.as_deref().and_then(RenameAll::from_name))
        .or_else(|| foreign.db_value_style.as_deref().and_then(db_value_style))
        .unwrap_or(if uses_sqlx {
            RenameAll::None
        } else {
            RenameAll::Snake
        })
}

impl VariantDef {
    /// Reads a variant and its attributes; a variant without a label of its
    /// own is labelled by `rule`.
    fn parse(variant: &syn::Variant, rule: RenameAll, errors: &Errors) -> VariantDef {
        // The variant's attributes come before its name and fields.
        let attrs = VariantAttrs::parse(&variant.attrs, errors);
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
        let label = attrs
            .rename
            .map(|l| l.value())
            .or_else(|| ForeignVariant::parse(&variant.attrs).label)
            .unwrap_or_else(|| rule.apply(&unraw(&variant.ident)));
        VariantDef {
            ident: variant.ident.clone(),
            label,
        }
    }
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

/// A one-field newtype deriving `SqlType`.
#[derive(Clone)]
pub struct NewtypeDef {
    pub ident: syn::Ident,
    pub generics: syn::Generics,
    pub sql_type: NewtypeSqlType,
    /// `#[pgdrift(sql_type)]` as written, modifiers included
    /// (`varchar(40)`): what a drafted column of the newtype is declared
    /// as. `sql_type` holds its `pg_type` name, which the checks compare.
    pub written_sql_type: Option<String>,
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
    /// Reads a newtype and its `#[pgdrift(sql_type)]`, `#[sqlx(transparent)]`,
    /// `#[sqlx(type_name)]` or diesel's `#[diesel(sql_type = …)]`.
    pub fn parse(input: &syn::DeriveInput) -> Result<NewtypeDef, Vec<Finding>> {
        let name = unraw(&input.ident);
        let errors = Errors::new();
        // In source order: the newtype's attributes, then its kind.
        let attrs = NewtypeAttrs::parse(&input.attrs, &errors);
        let inner = newtype_field(input, &name, &errors);
        errors.finish(&name)?;
        let inner = &inner.expect("one field").ty;
        let foreign = ForeignNewtype::parse(&input.attrs);
        let written_sql_type = attrs.sql_type.map(|lit| lit.value());
        let diesel = foreign
            .diesel_sql_type
            .as_ref()
            .and_then(crate::interop::DieselSqlType::parse)
            .map(|d| d.describe());
        let named = written_sql_type
            .as_deref()
            .map(types::canonical_sql_name)
            .or_else(|| foreign.type_name.filter(|_| !foreign.transparent))
            .or(diesel)
            .or_else(|| types::sql_name_for(inner));
        Ok(NewtypeDef {
            ident: input.ident.clone(),
            generics: input.generics.clone(),
            sql_type: named.map_or_else(
                || NewtypeSqlType::Inner(Box::new(inner.clone())),
                NewtypeSqlType::Named,
            ),
            written_sql_type,
        })
    }
}

/// The newtype's one field; for anything else an error, and `None`.
fn newtype_field<'a>(
    input: &'a syn::DeriveInput,
    name: &str,
    errors: &Errors,
) -> Option<&'a syn::Field> {
    match &input.data {
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
    }
}

/// Whether `tokens` hold one of `names` (identifiers, or lifetimes such as
/// `'a`).
fn names_any(tokens: proc_macro2::TokenStream, names: &[String]) -> bool {
    let mut tokens = tokens.into_iter().peekable();
    while let Some(token) = tokens.next() {
        let named = match &token {
            proc_macro2::TokenTree::Ident(ident) => names.contains(&ident.to_string()),
            proc_macro2::TokenTree::Punct(p) if p.as_char() == '\'' => match tokens.peek() {
                Some(proc_macro2::TokenTree::Ident(ident)) => names.contains(&format!("'{ident}")),
                _ => false,
            },
            proc_macro2::TokenTree::Group(group) => names_any(group.stream(), names),
            _ => false,
        };
        if named {
            return true;
        }
    }
    false
}

/// A field's visibility, or its name when it has none.
fn decl_start(field: &syn::Field) -> Span {
    match &field.vis {
        syn::Visibility::Inherited => field
            .ident
            .as_ref()
            .map_or_else(Span::call_site, |i| i.span()),
        // The token's own span: `Spanned` would print the visibility to
        // tokens and join their spans, the same span at many times the cost.
        syn::Visibility::Public(public) => public.span,
        vis => vis.span(),
    }
}

pub(crate) fn unraw(ident: &syn::Ident) -> String {
    let text = ident.to_string();
    text.strip_prefix("r#").map(str::to_owned).unwrap_or(text)
}

/// The `///` lines joined, one leading space per line removed.
pub fn doc_comment(attrs: &[syn::Attribute]) -> Option<String> {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .map(|line| {
            line.strip_prefix(' ')
                .unwrap_or(&line)
                .trim_end()
                .to_owned()
        })
        .collect();
    let text = lines.join("\n").trim().to_owned();
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::ctxt::in_source_order;

    fn parse(src: &str) -> Result<ModelDef, Vec<Finding>> {
        ModelDef::parse(&syn::parse_str(src).unwrap())
    }

    fn messages(src: &str) -> Vec<String> {
        parse(src)
            .err()
            .expect("errors")
            .into_iter()
            .map(|f| match f.help {
                Some(help) => format!("{} / help: {help}", f.message),
                None => f.message,
            })
            .collect()
    }

    #[test]
    fn attributes_resolve_table_and_columns() {
        let model = parse(
            r#"
            /// A user.
            #[pgdrift(schema = "app", rename_all = "camelCase", partial)]
            struct UserAccount {
                id: i64,
                created_at: String,
                /// The hash.
                #[pgdrift(column = "pw_hashed")]
                password_hash: String,
                #[pgdrift(skip)]
                r#type: u8,
            }"#,
        )
        .unwrap();
        assert_eq!(
            (model.schema.as_str(), model.table.as_str()),
            ("app", "user_account")
        );
        assert!(model.partial && !model.strict);
        assert_eq!(model.doc.as_deref(), Some("A user."));
        let columns: Vec<(&str, bool)> = model
            .fields
            .iter()
            .map(|f| (f.column.as_str(), f.skip))
            .collect();
        assert_eq!(
            columns,
            [
                ("id", false),
                ("createdAt", false),
                ("pw_hashed", false),
                ("type", true)
            ]
        );
        assert_eq!(model.fields[2].doc.as_deref(), Some("The hash."));
        assert_eq!(model.fields[3].name(), "type");
    }

    fn key(src: &str) -> (Option<KeySource>, Vec<String>) {
        let model = parse(src).unwrap();
        let names = model.primary_key_fields().map(FieldDef::name).collect();
        (model.primary_key_source(), names)
    }

    #[test]
    fn the_primary_key_is_read_from_pgdrift_or_diesel() {
        assert_eq!(key("struct T { id: i64 }"), (None, vec![]));
        assert_eq!(
            key("#[diesel(table_name = t)] struct T { id: i64 }"),
            (None, vec![]),
            "diesel's default key `id` declares nothing"
        );
        assert_eq!(
            key("#[diesel(primary_key(b, r#type, nope))] struct T { r#type: i64, a: i64, b: i64 }"),
            (Some(KeySource::Diesel), vec!["b".into(), "type".into()])
        );
        assert_eq!(
            key("#[diesel(primary_key(a))] struct T { #[pgdrift(primary_key)] b: i64, a: i64, #[pgdrift(primary_key)] c: i64 }"),
            (Some(KeySource::Pgdrift), vec!["b".into(), "c".into()]),
            "pgdrift's attribute wins"
        );
        assert_eq!(
            key("#[diesel(primary_key(a))] struct T { #[diesel(embed)] a: i64 }"),
            (None, vec![]),
            "a skipped field is no column of the key"
        );
    }

    #[test]
    fn every_malformed_attribute_is_reported() {
        assert_eq!(
            messages(
                r#"
                #[pgdrift(tabel = "users", partial = true, rename_all = "Title Case")]
                struct User {
                    #[pgdrift(column = 5, colum = "x", skip, skip)]
                    id: i64,
                    #[pgdrift(table = "x")]
                    name: String,
                }"#
            ),
            [
                "unknown pgdrift attribute `tabel` / help: did you mean `table`?",
                "`partial` is a flag and takes no value: write `partial`",
                "unknown rename_all rule \"Title Case\": use one of snake_case, camelCase, PascalCase, lowercase, UPPERCASE, SCREAMING_SNAKE_CASE, kebab-case",
                "`column` takes a string: `column = \"pw_hashed\"`",
                "unknown pgdrift attribute `colum` / help: did you mean `column`?",
                "duplicate `skip` attribute",
                "`table` goes on the struct, not on a field",
            ]
        );
    }

    #[test]
    fn unknown_attributes_without_a_close_name_list_the_known_ones() {
        assert_eq!(
            messages("#[pgdrift(xyzzy)] struct User { #[pgdrift(frobnicate)] id: i64 }"),
            [
                "unknown pgdrift attribute `xyzzy` / help: the attributes of the struct are table, schema, rename_all, partial, strict, read, insert, update, db_fills",
                "unknown pgdrift attribute `frobnicate` / help: the attributes of a field are column, skip, sql_type, renamed_from, primary_key",
            ]
        );
    }

    #[test]
    fn only_structs_with_named_fields() {
        assert_eq!(
            messages("struct Pair(i64, String);"),
            ["#[derive(Model)] needs named fields, but `Pair` is a tuple or unit struct / help: name each field after its column: `struct User { id: i64, … }`"]
        );
        assert!(messages("enum Mood { Sad }")[0]
            .starts_with("#[derive(Model)] is for structs, but `Mood` is an enum"));
    }

    #[test]
    fn errors_come_out_in_source_order() {
        let src = r#"
            #[pgdrift(tabel = "users")]
            #[pgdrift(schema = )]
            #[pgdrift(strict = 1)]
            struct User(i64);"#;
        assert_eq!(
            messages(src),
            [
                "unknown pgdrift attribute `tabel` / help: did you mean `table`?",
                "malformed #[pgdrift(...)] attribute: unexpected end of input, expected an expression",
                "`strict` is a flag and takes no value: write `strict`",
                "#[derive(Model)] needs named fields, but `User` is a tuple or unit struct / help: name each field after its column: `struct User { id: i64, … }`",
            ]
        );
        let src = r#"
            #[pgdrift(partial = "yes")]
            struct User {
                #[pgdrift(column = "x", skip, colum = "y")]
                id: i64,
                #[pgdrift(skip)]
                #[pgdrift(column = "z")]
                #[pgdrift(table = "t")]
                name: String,
            }"#;
        assert_eq!(
            messages(src),
            [
                "`partial` is a flag and takes no value: write `partial`",
                "`skip` and `column` contradict each other: a skipped field maps to no column",
                "unknown pgdrift attribute `colum` / help: did you mean `column`?",
                "`skip` and `column` contradict each other: a skipped field maps to no column",
                "`table` goes on the struct, not on a field",
            ]
        );
        // Whether `renamed_from` names the field's own column is known only
        // once every item is read, and still comes out where it was written.
        let src = r#"
            struct User {
                #[pgdrift(column = "nick", renamed_from = "nick", table)]
                nick: String,
            }"#;
        assert_eq!(
            messages(src),
            [
                "`renamed_from` names the field's own column `nick`: it takes the column's name before the rename",
                "`table` goes on the struct, not on a field",
            ]
        );
        assert!(in_source_order(&parse(src).err().unwrap()));
    }

    #[test]
    fn type_text_reads_like_source() {
        let ty: syn::Type = syn::parse_str("Option < chrono :: DateTime < Utc > >").unwrap();
        assert_eq!(type_text(&ty), "Option<chrono::DateTime<Utc>>");
        let ty: syn::Type = syn::parse_str("&'a [u8]").unwrap();
        assert_eq!(type_text(&ty), "&'a [u8]");
    }

    mod custom_types {
        use super::*;

        fn enum_def(src: &str) -> EnumDef {
            EnumDef::parse(&syn::parse_str(src).unwrap())
                .unwrap_or_else(|f| panic!("{}", f[0].message))
        }

        fn labels(def: &EnumDef) -> Vec<&str> {
            def.variants.iter().map(|v| v.label.as_str()).collect()
        }

        #[test]
        fn enum_labels_follow_the_other_derives_defaults() {
            let plain = enum_def("enum MediaKind { Photo, VoiceMemo }");
            assert_eq!(plain.type_name, TypeName::new("public", "media_kind"));
            assert_eq!(labels(&plain), ["photo", "voice_memo"]);
            let sqlx =
                enum_def(r#"#[sqlx(type_name = "app.kind")] enum Kind { Photo, VoiceMemo }"#);
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
            let styled = enum_def(
                r#"#[DbValueStyle = "camelCase"] #[sqlx(oops oops)] enum Mode { CardView }"#,
            );
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
        fn errors_come_out_in_source_order() {
            let messages = |result: Result<(), Vec<Finding>>| -> Vec<String> {
                let findings = result.err().unwrap();
                assert!(in_source_order(&findings));
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
    }

    mod properties {
        use super::*;
        use crate::input::attr::{AttrName, FieldAttr, StructAttr};
        use proptest::prelude::*;

        /// The contents of one `#[pgdrift(...)]`: known and unknown keys,
        /// odd values, stray punctuation.
        fn attribute() -> impl Strategy<Value = String> {
            let key = prop_oneof![
                proptest::sample::select(StructAttr::NAMES).prop_map(str::to_owned),
                proptest::sample::select(FieldAttr::NAMES).prop_map(str::to_owned),
                "[a-z_]{1,8}",
            ];
            let value = prop_oneof![
                Just(String::new()),
                Just(" = \"x\"".to_owned()),
                Just(" = \"camelCase\"".to_owned()),
                Just(" = 5".to_owned()),
                Just("(x)".to_owned()),
                "[ =,\"()a-z.]{0,6}",
            ];
            prop::collection::vec((key, value), 0..4).prop_map(|items| {
                let items: Vec<String> =
                    items.into_iter().map(|(k, v)| format!("{k}{v}")).collect();
                format!("#[pgdrift({})]", items.join(", "))
            })
        }

        proptest! {
            /// Whatever the attributes and wherever they are, the errors come
            /// out in the order of the source.
            #[test]
            fn model_errors_come_out_in_source_order(
                container in prop::collection::vec(attribute(), 0..3),
                fields in prop::collection::vec(prop::collection::vec(attribute(), 0..3), 0..3),
                shape in 0..3usize,
            ) {
                let fields: Vec<String> = fields
                    .iter()
                    .enumerate()
                    .map(|(i, attrs)| format!("{}\n f{i}: i64", attrs.join("\n")))
                    .collect();
                let body = match shape {
                    0 => format!("struct S {{ {} }}", fields.join(",\n")),
                    1 => "struct S(i64);".to_owned(),
                    _ => "enum S { A }".to_owned(),
                };
                let src = format!("{}\n{body}", container.join("\n"));
                let Ok(input) = syn::parse_str::<syn::DeriveInput>(&src) else {
                    return Ok(());
                };
                if let Err(findings) = ModelDef::parse(&input) {
                    prop_assert!(!findings.is_empty());
                    prop_assert!(in_source_order(&findings), "{src}");
                }
            }
        }
    }
}
