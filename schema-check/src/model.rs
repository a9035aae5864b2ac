//! Model definitions: what a `#[derive(Model)]` struct says about its table.
//!
//! [`ModelDef::parse`] reads a struct (from the derive's input or from a
//! source file) and every `#[pgdrift(...)]` attribute on it, in one place, so
//! the derive and `schema-check compare-db-models` agree on what a model is.

use heck::{ToKebabCase, ToLowerCamelCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use std::cell::RefCell;

use proc_macro2::Span;
use syn::spanned::Spanned;

use crate::finding::{Check, Finding, Level};
use crate::interop::{ForeignContainer, ForeignField};

/// A struct deriving `Model`, with its attributes resolved.
#[derive(Clone)]
pub struct ModelDef {
    pub ident: syn::Ident,
    pub generics: syn::Generics,
    /// `schema = "…"`, else `public`.
    pub schema: String,
    /// `table = "…"`, else the struct's name in snake_case.
    pub table: String,
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
}

/// The ways a struct moves rows. A struct that names none is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Directions {
    pub read: bool,
    pub insert: bool,
    pub update: bool,
}

impl Default for Directions {
    fn default() -> Directions {
        Directions {
            read: true,
            insert: false,
            update: false,
        }
    }
}

/// The columns of `#[pgdrift(insert, db_fills = "path, ap_id")]`, which the
/// table's `BEFORE INSERT` row triggers fill.
#[derive(Debug, Clone)]
pub struct DbFills {
    /// The column names, as written between the commas.
    pub columns: Vec<String>,
    /// The attribute's string, where findings about it point.
    pub span: Span,
}

impl DbFills {
    /// Reads the comma-separated column names of `lit`; an empty name is an
    /// error.
    fn parse(lit: &syn::LitStr) -> syn::Result<DbFills> {
        let text = lit.value();
        let columns: Vec<String> = text.split(',').map(|c| c.trim().to_owned()).collect();
        if columns.iter().any(String::is_empty) {
            return Err(syn::Error::new(
                lit.span(),
                "`db_fills` lists column names between commas: `db_fills = \"path, ap_id\"`",
            ));
        }
        Ok(DbFills {
            columns,
            span: lit.span(),
        })
    }

    /// Whether the attribute names the column `name`.
    pub fn names(&self, name: &str) -> bool {
        self.columns.iter().any(|c| c == name)
    }
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

    /// Reads a struct and its `#[pgdrift(...)]` attributes. Every malformed
    /// attribute is reported, not only the first.
    pub fn parse(input: &syn::DeriveInput) -> Result<ModelDef, Vec<Finding>> {
        let name = unraw(&input.ident);
        let errors = Errors::new();
        // In source order: the struct's attributes, its kind, its fields.
        let container = ContainerAttrs::parse(&input.attrs, &errors);
        let named = match &input.data {
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
        };

        let foreign = ForeignContainer::parse(&input.attrs);
        let rename_all = container
            .rename_all
            .or_else(|| foreign.rename_all.as_deref().and_then(RenameAll::from_name))
            .unwrap_or_default();

        let mut fields = Vec::new();
        for field in named.map(|n| n.named.iter()).into_iter().flatten() {
            let ident = field.ident.clone().expect("named field");
            let attrs = FieldAttrs::parse(&field.attrs, &errors);
            let foreign = ForeignField::parse(&field.attrs);
            let field_name = unraw(&ident);
            let column = attrs.column.as_ref().map(syn::LitStr::value);
            let column_given = column.is_some() || foreign.column.is_some();
            let column = column
                .or(foreign.column)
                .unwrap_or_else(|| rename_all.apply(&field_name));
            fields.push(FieldDef {
                ty: field.ty.clone(),
                column,
                column_given,
                skip: attrs.skip.is_some() || (foreign.skip && attrs.column.is_none()),
                sql_type: attrs.sql_type,
                through: foreign.through,
                diesel_sql_type: foreign.diesel_sql_type,
                may_be_missing: foreign.default,
                json: foreign.json,
                doc: doc_comment(&field.attrs),
                start: field
                    .attrs
                    .first()
                    .map_or_else(|| decl_start(field), |a| a.pound_token.span),
                decl: decl_start(field),
                public: matches!(field.vis, syn::Visibility::Public(_)),
                ident,
            });
        }

        errors.finish(&name)?;
        let directions = container.directions();
        Ok(ModelDef {
            ident: input.ident.clone(),
            generics: input.generics.clone(),
            schema: container
                .schema
                .map_or_else(|| "public".to_owned(), |s| s.value()),
            table: container
                .table
                .map(|t| t.value())
                .or(foreign.table)
                .unwrap_or_else(|| {
                    if foreign.diesel {
                        format!("{}s", name.to_snake_case())
                    } else {
                        name.to_snake_case()
                    }
                }),
            partial: container.partial.is_some(),
            strict: container.strict.is_some(),
            directions,
            db_fills: container.db_fills,
            doc: doc_comment(&input.attrs),
            fields,
            fields_end: named.map_or_else(Span::call_site, |n| n.brace_token.span.close()),
            rename_all: container.rename_all.unwrap_or_default(),
        })
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

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum RenameAll {
    #[default]
    None,
    Snake,
    Camel,
    Pascal,
    Lower,
    Upper,
    ScreamingSnake,
    Kebab,
}

pub(crate) const RENAME_ALL: &str =
    "snake_case, camelCase, PascalCase, lowercase, UPPERCASE, SCREAMING_SNAKE_CASE, kebab-case";

impl RenameAll {
    pub(crate) fn from_name(name: &str) -> Option<RenameAll> {
        Some(match name {
            "snake_case" => RenameAll::Snake,
            "camelCase" => RenameAll::Camel,
            "PascalCase" => RenameAll::Pascal,
            "lowercase" => RenameAll::Lower,
            "UPPERCASE" => RenameAll::Upper,
            "SCREAMING_SNAKE_CASE" => RenameAll::ScreamingSnake,
            "kebab-case" => RenameAll::Kebab,
            _ => return None,
        })
    }

    pub(crate) fn apply(self, field: &str) -> String {
        match self {
            RenameAll::None => field.to_owned(),
            RenameAll::Snake => field.to_snake_case(),
            RenameAll::Camel => field.to_lower_camel_case(),
            RenameAll::Pascal => field.to_upper_camel_case(),
            RenameAll::Lower => field.to_lowercase(),
            RenameAll::Upper => field.to_uppercase(),
            RenameAll::ScreamingSnake => field.to_shouty_snake_case(),
            RenameAll::Kebab => field.to_kebab_case(),
        }
    }
}

/// One `key`, `key = value` or malformed item of a `#[pgdrift(...)]` list.
pub(crate) struct Item {
    pub(crate) meta: syn::Meta,
}

impl Item {
    pub(crate) fn name(&self) -> String {
        self.meta
            .path()
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_else(|| quote::ToTokens::to_token_stream(self.meta.path()).to_string())
    }

    pub(crate) fn span(&self) -> Span {
        self.meta.path().span()
    }

    /// `name = "string"`.
    pub(crate) fn string(&self, example: &str) -> syn::Result<syn::LitStr> {
        let name = self.name();
        let shape = format!("`{name}` takes a string: `{name} = \"{example}\"`");
        match &self.meta {
            syn::Meta::NameValue(syn::MetaNameValue {
                value:
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(lit),
                        ..
                    }),
                ..
            }) if lit.value().is_empty() => Err(syn::Error::new(
                lit.span(),
                format!("`{name}` must not be empty"),
            )),
            syn::Meta::NameValue(syn::MetaNameValue {
                value:
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(lit),
                        ..
                    }),
                ..
            }) => Ok(lit.clone()),
            syn::Meta::NameValue(nv) => Err(syn::Error::new(nv.value.span(), shape)),
            _ => Err(syn::Error::new(self.span(), shape)),
        }
    }

    /// A bare `name`.
    /// A `rename_all = "…"` value as its rule; `example` shows the form in
    /// the error for a value that is not a string.
    pub(crate) fn rename_rule(&self, example: &str) -> syn::Result<RenameAll> {
        self.string(example).and_then(|lit| {
            RenameAll::from_name(&lit.value()).ok_or_else(|| {
                syn::Error::new(
                    lit.span(),
                    format!(
                        "unknown rename_all rule {:?}: use one of {RENAME_ALL}",
                        lit.value()
                    ),
                )
            })
        })
    }

    pub(crate) fn flag(&self) -> syn::Result<()> {
        match &self.meta {
            syn::Meta::Path(_) => Ok(()),
            _ => Err(syn::Error::new(
                self.span(),
                format!(
                    "`{0}` is a flag and takes no value: write `{0}`",
                    self.name()
                ),
            )),
        }
    }
}

/// The errors found while reading one definition, in the order of the
/// source: parsing walks attributes, fields and variants front to back and
/// records each error when it meets it, so no sorting is needed (spans in a
/// proc macro carry no line and column to sort by).
///
/// A collector must be consumed by [`Errors::finish`]: dropping one that was
/// not panics, so an error can never be lost on the way to the user.
pub(crate) struct Errors {
    /// What was recorded; `None` once finished.
    found: RefCell<Option<Found>>,
}

/// The errors recorded so far.
#[derive(Default)]
struct Found {
    /// How many errors were pushed at the end, which numbers the next.
    pushed: usize,
    /// Each error with its help and its place in the order: the number it
    /// was pushed as, or (for one recorded at a [`Slot`]) the number of the
    /// error pushed next after the place was taken, before which it goes.
    entries: Vec<((usize, bool), syn::Error, Option<String>)>,
}

/// A slot in the order of an [`Errors`], to record an error there once a
/// later part of the source shows it is one.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Slot(usize);

impl Errors {
    /// An empty collector, to be consumed by [`Errors::finish`].
    pub(crate) fn new() -> Errors {
        Errors {
            found: RefCell::new(Some(Found::default())),
        }
    }

    /// Records `error` after those recorded so far.
    pub(crate) fn push(&self, error: syn::Error) {
        self.push_help(error, None);
    }

    /// Records `error` with `help` after those recorded so far.
    pub(crate) fn push_with_help(&self, error: syn::Error, help: impl Into<String>) {
        self.push_help(error, Some(help.into()));
    }

    fn push_help(&self, error: syn::Error, help: Option<String>) {
        self.with(|found| {
            found.entries.push(((found.pushed, true), error, help));
            found.pushed += 1;
        });
    }

    /// Where the next pushed error will go: one recorded later at this place
    /// with [`Errors::push_at`] comes before every error pushed from now on.
    pub(crate) fn here(&self) -> Slot {
        Slot(self.with(|found| found.pushed))
    }

    /// Records `error` at `place`: after the errors pushed before the place
    /// was taken (and those recorded at it earlier), before the ones pushed
    /// since.
    pub(crate) fn push_at(&self, place: Slot, error: syn::Error) {
        self.with(|found| found.entries.push(((place.0, false), error, None)));
    }

    fn with<T>(&self, f: impl FnOnce(&mut Found) -> T) -> T {
        f(self
            .found
            .borrow_mut()
            .as_mut()
            .expect("an error recorded after `Errors::finish`"))
    }

    /// Consumes the collector: `Ok` when nothing was recorded, else every
    /// error in source order as an attribute finding of the model (or enum,
    /// or newtype) named `model`.
    pub(crate) fn finish(self, model: &str) -> Result<(), Vec<Finding>> {
        let mut entries = self
            .found
            .borrow_mut()
            .take()
            .map(|found| found.entries)
            .unwrap_or_default();
        if entries.is_empty() {
            return Ok(());
        }
        // Stable: errors recorded at the same place keep their order.
        entries.sort_by_key(|(order, _, _)| *order);
        Err(entries
            .into_iter()
            .map(|(_, error, help)| {
                let mut finding = Finding::new(
                    Check::Attribute,
                    Level::Error,
                    error.span(),
                    model,
                    error.to_string(),
                );
                finding.help = help;
                finding
            })
            .collect())
    }
}

impl Drop for Errors {
    /// An unconsumed collector is a bug in pgdrift: its errors would vanish.
    /// While a panic unwinds, the collector goes quietly, as a second panic
    /// would abort and hide the first.
    fn drop(&mut self) {
        if self.found.get_mut().is_some() && !std::thread::panicking() {
            panic!("pgdrift bug: attribute errors were collected but never reported (`Errors::finish` was not called)");
        }
    }
}

/// The attributes one place (the struct, a field, …) accepts, as an enum
/// declared with [`attr_names!`], so that the list in help texts and the
/// names parsing matches cannot drift apart.
pub(crate) trait AttrName: Copy + 'static {
    /// Every attribute of the place, in the order help texts list them.
    const ALL: &'static [Self];
    /// The names of [`AttrName::ALL`], in the same order.
    const NAMES: &'static [&'static str];

    /// The name written in `#[pgdrift(...)]`.
    fn name(self) -> &'static str;

    /// The attribute written `name`, if the place has one.
    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|a| a.name() == name)
    }
}

/// Declares an enum of attribute names from one table of
/// `Variant = "name"` pairs and implements [`AttrName`] for it from the same
/// table: a name can only be added with its variant, and every `match` on the
/// enum must then handle it.
macro_rules! attr_names {
    (
        $(#[$meta:meta])*
        enum $ty:ident { $($(#[$vmeta:meta])* $variant:ident = $name:literal),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        enum $ty {
            $($(#[$vmeta])* $variant),+
        }

        impl $crate::model::AttrName for $ty {
            const ALL: &'static [$ty] = &[$($ty::$variant),+];
            const NAMES: &'static [&'static str] = &[$($name),+];

            fn name(self) -> &'static str {
                match self {
                    $($ty::$variant => $name),+
                }
            }
        }
    };
}
pub(crate) use attr_names;

/// The items of one `#[pgdrift(...)]` attribute; a list that does not parse
/// is one error, and no items.
fn items(attr: &syn::Attribute, errors: &Errors) -> Vec<Item> {
    let parsed = attr.parse_args_with(
        syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
    );
    match parsed {
        Ok(list) => list.into_iter().map(|meta| Item { meta }).collect(),
        Err(e) => {
            errors.push(syn::Error::new(
                e.span(),
                format!("malformed #[pgdrift(...)] attribute: {e}"),
            ));
            Vec::new()
        }
    }
}

/// Records `value` into `slot`, refusing a second one.
pub(crate) fn once<T>(slot: &mut Option<T>, item: &Item, value: syn::Result<T>) -> syn::Result<()> {
    if slot.is_some() {
        return Err(syn::Error::new(
            item.span(),
            format!("duplicate `{}` attribute", item.name()),
        ));
    }
    *slot = Some(value?);
    Ok(())
}

/// An unknown attribute, with the closest known name (or the list) as help.
fn unknown(item: &Item, known: &[&str], what: &str) -> (syn::Error, String) {
    let name = item.name();
    let help = match crate::suggest::closest(&name, known.iter().copied()) {
        Some(c) => format!("did you mean `{c}`?"),
        None => format!("the attributes of {what} are {}", known.join(", ")),
    };
    (
        syn::Error::new(item.span(), format!("unknown pgdrift attribute `{name}`")),
        help,
    )
}

attr_names! {
    /// The attributes of a `Model` struct.
    enum StructAttr {
        Table = "table",
        Schema = "schema",
        RenameAll = "rename_all",
        Partial = "partial",
        Strict = "strict",
        Read = "read",
        Insert = "insert",
        Update = "update",
        DbFills = "db_fills",
    }
}

attr_names! {
    /// The attributes of a field of a `Model` struct.
    enum FieldAttr {
        Column = "column",
        Skip = "skip",
        SqlType = "sql_type",
    }
}

/// Reads every item of the `#[pgdrift(...)]` attributes in `attrs`, in
/// order, with `handle`, which gets the attributes `A` of `place` (`"the
/// struct"`, `"a field"`, …); the names of `other_place` get a "goes on …"
/// error, any other name an unknown-attribute error with help. Each error is
/// recorded when its item is read.
pub(crate) fn parse_items<A: AttrName>(
    attrs: &[syn::Attribute],
    errors: &Errors,
    place: &str,
    (other_place, others): (&str, &[&str]),
    mut handle: impl FnMut(A, &Item) -> syn::Result<()>,
) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("pgdrift")) {
        for item in items(attr, errors) {
            let name = item.name();
            match A::from_name(&name) {
                Some(known) => {
                    if let Err(e) = handle(known, &item) {
                        errors.push(e);
                    }
                }
                None if others.contains(&name.as_str()) => errors.push(syn::Error::new(
                    item.span(),
                    format!("`{name}` goes on {other_place}, not on {place}"),
                )),
                None => {
                    let (e, help) = unknown(&item, A::NAMES, place);
                    errors.push_with_help(e, help);
                }
            }
        }
    }
}

#[derive(Default)]
struct ContainerAttrs {
    table: Option<syn::LitStr>,
    schema: Option<syn::LitStr>,
    rename_all: Option<RenameAll>,
    partial: Option<()>,
    strict: Option<()>,
    read: Option<()>,
    insert: Option<()>,
    update: Option<()>,
    db_fills: Option<DbFills>,
}

impl ContainerAttrs {
    /// `read` unless the struct names `insert` or `update` only.
    fn directions(&self) -> Directions {
        let (insert, update) = (self.insert.is_some(), self.update.is_some());
        Directions {
            read: self.read.is_some() || !(insert || update),
            insert,
            update,
        }
    }

    fn parse(attrs: &[syn::Attribute], errors: &Errors) -> ContainerAttrs {
        let mut out = ContainerAttrs::default();
        // Where the accepted `db_fills` was read: an error for a struct
        // without `insert` is recorded there.
        let mut db_fills_at = None;
        let others = ("a field", FieldAttr::NAMES);
        parse_items(
            attrs,
            errors,
            "the struct",
            others,
            |attr, item| match attr {
                StructAttr::Table => once(&mut out.table, item, item.string("users")),
                StructAttr::Schema => once(&mut out.schema, item, item.string("public")),
                StructAttr::RenameAll => {
                    once(&mut out.rename_all, item, item.rename_rule("camelCase"))
                }
                StructAttr::Partial => once(&mut out.partial, item, item.flag()),
                StructAttr::Strict => once(&mut out.strict, item, item.flag()),
                StructAttr::Read => once(&mut out.read, item, item.flag()),
                StructAttr::Insert => once(&mut out.insert, item, item.flag()),
                StructAttr::Update => once(&mut out.update, item, item.flag()),
                StructAttr::DbFills => {
                    let read = item.string("path, ap_id").and_then(|l| DbFills::parse(&l));
                    let read = once(&mut out.db_fills, item, read);
                    if read.is_ok() {
                        db_fills_at = Some((errors.here(), item.span()));
                    }
                    read
                }
            },
        );
        if let (Some((at, span)), None) = (db_fills_at, out.insert) {
            errors.push_at(
                at,
                syn::Error::new(
                    span,
                    "`db_fills` names columns a trigger fills on INSERT, so it needs `insert`: `#[pgdrift(insert, db_fills = \"…\")]`",
                ),
            );
        }
        out
    }
}

#[derive(Default)]
struct FieldAttrs {
    column: Option<syn::LitStr>,
    sql_type: Option<syn::LitStr>,
    skip: Option<()>,
}

impl FieldAttrs {
    fn parse(attrs: &[syn::Attribute], errors: &Errors) -> FieldAttrs {
        let mut out = FieldAttrs::default();
        // Where the accepted `column` was read: a contradiction with `skip`
        // is pointed at its value, so it is recorded there.
        let mut column_at = None;
        let others = ("the struct", StructAttr::NAMES);
        parse_items(attrs, errors, "a field", others, |attr, item| match attr {
            FieldAttr::Column => {
                let read = once(&mut out.column, item, item.string("pw_hashed"));
                if read.is_ok() {
                    column_at = Some(errors.here());
                }
                read
            }
            FieldAttr::SqlType => once(&mut out.sql_type, item, item.string("bigint")),
            FieldAttr::Skip => once(&mut out.skip, item, item.flag()),
        });
        if let (Some(()), Some(column), Some(at)) = (out.skip, &out.column, column_at) {
            errors.push_at(
                at,
                syn::Error::new(
                    column.span(),
                    "`skip` and `column` contradict each other: a skipped field maps to no column",
                ),
            );
        }
        out
    }
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

/// Asserts that the attribute table of `A` is one table: every variant has
/// its own name, listed at its own place, and that name reads back as it.
#[cfg(test)]
pub(crate) fn assert_names_round_trip<A: AttrName + PartialEq + std::fmt::Debug>() {
    assert_eq!(A::ALL.len(), A::NAMES.len());
    for (i, (&attr, &name)) in A::ALL.iter().zip(A::NAMES).enumerate() {
        assert_eq!(attr.name(), name, "{attr:?} is listed as {name:?}");
        assert_eq!(A::from_name(name), Some(attr), "{name:?} reads as another");
        assert!(!A::NAMES[..i].contains(&name), "{name:?} is listed twice");
    }
}

/// Whether `findings` start in the order of the source (line, then column).
/// Spans know their position only with `proc-macro2/span-locations`, which
/// the `discover` feature turns on; without it every order passes.
#[cfg(test)]
pub(crate) fn in_source_order(findings: &[Finding]) -> bool {
    #[cfg(feature = "discover")]
    {
        let starts: Vec<_> = findings
            .iter()
            .map(|f| {
                let start = f.span.expect("a model finding points at a token").start();
                (start.line, start.column)
            })
            .collect();
        starts.windows(2).all(|pair| pair[0] <= pair[1])
    }
    #[cfg(not(feature = "discover"))]
    {
        let _ = findings;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
                "unknown pgdrift attribute `frobnicate` / help: the attributes of a field are column, skip, sql_type",
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
    #[should_panic(expected = "never reported")]
    fn an_unconsumed_collector_panics_on_drop() {
        let errors = Errors::new();
        errors.push(syn::Error::new(Span::call_site(), "lost"));
    }

    #[test]
    #[should_panic(expected = "the first panic")]
    fn a_collector_dropped_while_panicking_stays_quiet() {
        // A second panic during unwinding would abort the test binary.
        let _errors = Errors::new();
        panic!("the first panic");
    }

    #[test]
    fn a_collector_keeps_the_order_of_recording_and_places() {
        let errors = Errors::new();
        let error = |text: &str| syn::Error::new(Span::call_site(), text);
        errors.push(error("first"));
        let place = errors.here();
        errors.push_with_help(error("third"), "help");
        errors.push_at(place, error("second"));
        let found = errors.finish("M").unwrap_err();
        let messages: Vec<&str> = found.iter().map(|f| f.message.as_str()).collect();
        assert_eq!(messages, ["first", "second", "third"]);
        assert_eq!(found[2].help.as_deref(), Some("help"));
        assert!(Errors::new().finish("M").is_ok());
    }

    #[test]
    fn every_attribute_name_parses_to_its_own_variant() {
        assert_names_round_trip::<StructAttr>();
        assert_names_round_trip::<FieldAttr>();
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
        assert!(in_source_order(&parse(src).err().unwrap()));
    }

    #[test]
    fn type_text_reads_like_source() {
        let ty: syn::Type = syn::parse_str("Option < chrono :: DateTime < Utc > >").unwrap();
        assert_eq!(type_text(&ty), "Option<chrono::DateTime<Utc>>");
        let ty: syn::Type = syn::parse_str("&'a [u8]").unwrap();
        assert_eq!(type_text(&ty), "&'a [u8]");
    }

    mod properties {
        use super::*;
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
