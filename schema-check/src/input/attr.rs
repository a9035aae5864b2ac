//! Every attribute pgdrift reads, parsed in one place: its own
//! `#[pgdrift(...)]` attributes of structs, fields, enums, variants and
//! newtypes (each place's names in one table with its help), the
//! `rename_all` rules, and in [`foreign`] what sqlx's and diesel's attributes
//! already say.

pub(crate) mod foreign;

use heck::{ToKebabCase, ToLowerCamelCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use proc_macro2::Span;
use syn::spanned::Spanned;

use super::ctxt::{Errors, Slot};
use crate::sql_name;

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
        pub(crate) enum $ty {
            $($(#[$vmeta])* $variant),+
        }

        impl $crate::input::attr::AttrName for $ty {
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
        RenamedFrom = "renamed_from",
        PrimaryKey = "primary_key",
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

/// The `#[pgdrift(...)]` attributes of a `Model` struct.
#[derive(Default)]
pub(crate) struct ContainerAttrs {
    pub(crate) table: Option<syn::LitStr>,
    pub(crate) schema: Option<syn::LitStr>,
    pub(crate) rename_all: Option<RenameAll>,
    pub(crate) partial: Option<()>,
    pub(crate) strict: Option<()>,
    read: Option<()>,
    insert: Option<()>,
    update: Option<()>,
    pub(crate) db_fills: Option<DbFills>,
}

impl ContainerAttrs {
    /// `read` unless the struct names `insert` or `update` only.
    pub(crate) fn directions(&self) -> Directions {
        let (insert, update) = (self.insert.is_some(), self.update.is_some());
        Directions {
            read: self.read.is_some() || !(insert || update),
            insert,
            update,
        }
    }

    /// Reads the struct's attributes; every error is recorded in `errors`.
    pub(crate) fn parse(attrs: &[syn::Attribute], errors: &Errors) -> ContainerAttrs {
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
                    let read = item.string("path, ap_id").and_then(|l| db_fills(&l));
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

/// The `#[pgdrift(...)]` attributes of a field of a `Model` struct.
#[derive(Default)]
pub(crate) struct FieldAttrs {
    pub(crate) column: Option<syn::LitStr>,
    pub(crate) sql_type: Option<syn::LitStr>,
    pub(crate) skip: Option<()>,
    pub(crate) renamed_from: Option<syn::LitStr>,
    /// Where `renamed_from` was read, for an error found later about it to
    /// come out in source order.
    pub(crate) renamed_from_at: Option<Slot>,
    pub(crate) primary_key: Option<()>,
}

impl FieldAttrs {
    /// Reads the field's attributes; every error is recorded in `errors`.
    pub(crate) fn parse(attrs: &[syn::Attribute], errors: &Errors) -> FieldAttrs {
        let mut out = FieldAttrs::default();
        // Where the accepted `column` was read: a contradiction with `skip`
        // is pointed at its value, so it is recorded there.
        let mut column_at = None;
        let mut renamed_at = None;
        let mut primary_key_at = None;
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
            FieldAttr::RenamedFrom => {
                let read = once(&mut out.renamed_from, item, item.string("nick"));
                if read.is_ok() {
                    renamed_at = Some(errors.here());
                }
                read
            }
            FieldAttr::PrimaryKey => {
                let read = once(&mut out.primary_key, item, item.flag());
                if read.is_ok() {
                    primary_key_at = Some((errors.here(), item.span()));
                }
                read
            }
        });
        if out.skip.is_some() {
            let skipped = |what: &str| {
                format!(
                    "`skip` and `{what}` contradict each other: a skipped field maps to no column"
                )
            };
            if let (Some(column), Some(at)) = (&out.column, column_at) {
                errors.push_at(at, syn::Error::new(column.span(), skipped("column")));
            }
            if let (Some(old), Some(at)) = (&out.renamed_from, renamed_at) {
                errors.push_at(at, syn::Error::new(old.span(), skipped("renamed_from")));
            }
            if let Some((at, span)) = primary_key_at {
                errors.push_at(at, syn::Error::new(span, skipped("primary_key")));
            }
        }
        out.renamed_from_at = renamed_at;
        out
    }
}

/// Reads the comma-separated column names of `db_fills = "…"`; an empty
/// name is an error.
fn db_fills(lit: &syn::LitStr) -> syn::Result<DbFills> {
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
pub(crate) fn db_value_style(style: &str) -> Option<RenameAll> {
    match style {
        "verbatim" => Some(RenameAll::None),
        other => RenameAll::from_name(other),
    }
}

/// The `#[pgdrift(...)]` attributes of an enum deriving `Enum`.
#[derive(Default)]
pub(crate) struct EnumAttrs {
    pub(crate) type_name: Option<syn::LitStr>,
    pub(crate) rename_all: Option<RenameAll>,
}

impl EnumAttrs {
    /// Reads the enum's attributes; every error is recorded in `errors`.
    pub(crate) fn parse(attrs: &[syn::Attribute], errors: &Errors) -> EnumAttrs {
        let mut out = EnumAttrs::default();
        let others = ("a variant", VariantAttr::NAMES);
        parse_items(attrs, errors, "the enum", others, |attr, item| match attr {
            EnumAttr::TypeName => once(
                &mut out.type_name,
                item,
                item.string("media_kind").and_then(type_name_lit),
            ),
            EnumAttr::RenameAll => once(&mut out.rename_all, item, item.rename_rule("lowercase")),
        });
        out
    }
}

/// The `#[pgdrift(...)]` attributes of a variant of an enum deriving `Enum`.
#[derive(Default)]
pub(crate) struct VariantAttrs {
    pub(crate) rename: Option<syn::LitStr>,
}

impl VariantAttrs {
    /// Reads the variant's attributes; every error is recorded in `errors`.
    pub(crate) fn parse(attrs: &[syn::Attribute], errors: &Errors) -> VariantAttrs {
        let mut out = VariantAttrs::default();
        let others = ("the enum", EnumAttr::NAMES);
        parse_items(
            attrs,
            errors,
            "a variant",
            others,
            |attr, item| match attr {
                VariantAttr::Rename => once(&mut out.rename, item, item.string("voice memo")),
            },
        );
        out
    }
}

/// The `#[pgdrift(...)]` attributes of a newtype deriving `SqlType`.
#[derive(Default)]
pub(crate) struct NewtypeAttrs {
    pub(crate) sql_type: Option<syn::LitStr>,
}

impl NewtypeAttrs {
    /// Reads the newtype's attributes; every error is recorded in `errors`.
    pub(crate) fn parse(attrs: &[syn::Attribute], errors: &Errors) -> NewtypeAttrs {
        let mut out = NewtypeAttrs::default();
        let others = ("nothing", &[][..]);
        parse_items(
            attrs,
            errors,
            "the newtype",
            others,
            |attr, item| match attr {
                NewtypeAttr::SqlType => once(&mut out.sql_type, item, item.string("text")),
            },
        );
        out
    }
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
    /// Whether the attribute names the column `name`.
    pub fn names(&self, name: &str) -> bool {
        self.columns.iter().any(|c| c == name)
    }
}

#[cfg(test)]
pub(crate) fn assert_names_round_trip<A: AttrName + PartialEq + std::fmt::Debug>() {
    assert_eq!(A::ALL.len(), A::NAMES.len());
    for (i, (&attr, &name)) in A::ALL.iter().zip(A::NAMES).enumerate() {
        assert_eq!(attr.name(), name, "{attr:?} is listed as {name:?}");
        assert_eq!(A::from_name(name), Some(attr), "{name:?} reads as another");
        assert!(!A::NAMES[..i].contains(&name), "{name:?} is listed twice");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_attribute_name_parses_to_its_own_variant() {
        assert_names_round_trip::<StructAttr>();
        assert_names_round_trip::<FieldAttr>();
        assert_names_round_trip::<EnumAttr>();
        assert_names_round_trip::<VariantAttr>();
        assert_names_round_trip::<NewtypeAttr>();
    }
}
