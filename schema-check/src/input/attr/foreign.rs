//! What the attributes of other derives already say, so that adding a
//! pgdrift derive to an existing type needs no `#[pgdrift(...)]` attribute
//! that repeats them: sqlx's and diesel's on a row struct and its fields,
//! sqlx's and diesel-derive-enum's on an enum and its variants, sqlx's on a
//! newtype. This is the one reader of those attributes.
//!
//! Those attributes belong to their crates: whatever pgdrift does not
//! understand in them (an unknown key, a value of an unexpected shape, a list
//! that does not parse) is ignored, never reported.

use proc_macro2::{TokenStream, TokenTree};
use syn::parse::{ParseStream, Parser};

/// What the container's foreign attributes say.
#[derive(Default)]
pub struct ForeignContainer {
    /// `#[diesel(table_name = path)]`: the path's last segment.
    pub table: Option<String>,
    /// The last segments of further `table_name`s: diesel implements the
    /// struct for each table.
    pub more_tables: Vec<String>,
    /// Whether the struct carries any `#[diesel(...)]` attribute (diesel then
    /// defaults the table to the struct's name in snake_case plus `s`).
    pub diesel: bool,
    /// `#[sqlx(rename_all = "…")]`.
    pub rename_all: Option<String>,
    /// `#[diesel(primary_key(a, b))]` (diesel 1: `#[primary_key(a, b)]`):
    /// the fields that form the table's primary key, as written.
    pub primary_key: Vec<syn::Ident>,
    /// What diesel's `Option` fields write for `None`, for every field.
    pub none: NoneWrites,
}

/// diesel's `treat_none_as_null = bool` (`AsChangeset`: `None` sets NULL
/// rather than leaving the column alone) and `treat_none_as_default_value =
/// bool` (`Insertable`: `false` makes `None` insert NULL rather than
/// DEFAULT), on the struct or a field; `None` when not said.
#[derive(Default, Clone, Copy)]
pub struct NoneWrites {
    pub treat_none_as_null: Option<bool>,
    pub treat_none_as_default_value: Option<bool>,
}

impl NoneWrites {
    /// Reads the entry if its key is one of the two.
    fn read(&mut self, entry: &Entry) {
        let slot = match entry.key.as_str() {
            "treat_none_as_null" => &mut self.treat_none_as_null,
            "treat_none_as_default_value" => &mut self.treat_none_as_default_value,
            _ => return,
        };
        *slot = slot.or_else(|| entry.flag());
    }

    /// A field's own words, else the struct's.
    pub fn or(self, container: NoneWrites) -> NoneWrites {
        NoneWrites {
            treat_none_as_null: self.treat_none_as_null.or(container.treat_none_as_null),
            treat_none_as_default_value: self
                .treat_none_as_default_value
                .or(container.treat_none_as_default_value),
        }
    }

    /// Whether an update sets the column to NULL for `None`.
    pub fn null_on_update(self) -> bool {
        self.treat_none_as_null == Some(true)
    }

    /// Whether an insert writes NULL for `None` (rather than DEFAULT).
    pub fn null_on_insert(self) -> bool {
        self.treat_none_as_default_value == Some(false)
    }
}

/// What a field's foreign attributes say.
#[derive(Default)]
pub struct ForeignField {
    /// `#[diesel(column_name = …)]`, else `#[sqlx(rename = "…")]`.
    pub column: Option<String>,
    /// `#[diesel(embed)]`, `#[diesel(select_expression = …)]`,
    /// `#[sqlx(skip)]`, `#[sqlx(flatten)]`: not a column of this table.
    pub skip: bool,
    /// `#[diesel(serialize_as = T)]`, `#[diesel(deserialize_as = T)]`,
    /// `#[sqlx(try_from = "T")]`: the type the column is converted through.
    pub through: Option<syn::Type>,
    /// `#[diesel(sql_type = …)]` on a field.
    pub diesel_sql_type: Option<syn::Type>,
    /// `#[sqlx(default)]`: the column may be missing.
    pub default: bool,
    /// `#[sqlx(json)]`: the column is `json` or `jsonb`; the field's type is free.
    pub json: bool,
    /// What `None` writes, as the field says it.
    pub none: NoneWrites,
    /// `#[diesel(skip_insertion)]`: an insert leaves the field out.
    pub skip_insertion: bool,
    /// `#[diesel(skip_update)]`: an update leaves the field out.
    pub skip_update: bool,
}

/// One `key`, `key = value` or `key(...)` of a foreign attribute.
struct Entry {
    key: String,
    value: Option<TokenStream>,
    /// What `key(...)` holds between its parentheses.
    list: Option<TokenStream>,
}

/// What an enum's foreign attributes say.
#[derive(Default)]
pub struct ForeignEnum {
    /// `#[sqlx(type_name = "…")]`.
    pub type_name: Option<syn::LitStr>,
    /// `#[sqlx(rename_all = "…")]`.
    pub rename_all: Option<String>,
    /// diesel-derive-enum's `#[ExistingTypePath = "…"]`.
    pub existing_type_path: Option<syn::LitStr>,
    /// diesel-derive-enum's `#[DbValueStyle = "…"]`.
    pub db_value_style: Option<String>,
    /// Whether the enum's `#[sqlx(...)]` lists hold anything.
    pub sqlx: bool,
}

/// What a variant's foreign attributes say.
#[derive(Default)]
pub struct ForeignVariant {
    /// `#[sqlx(rename = "…")]`, else diesel-derive-enum's `#[db_rename = "…"]`.
    pub label: Option<String>,
    /// Whether the variant carries any `#[sqlx...]` attribute.
    pub sqlx: bool,
}

/// What a newtype's foreign attributes say.
#[derive(Default)]
pub struct ForeignNewtype {
    /// `#[sqlx(transparent)]`: the inner type's SQL type.
    pub transparent: bool,
    /// `#[sqlx(type_name = "…")]`.
    pub type_name: Option<String>,
    /// `#[diesel(sql_type = …)]`, as on a type deriving diesel's
    /// `AsExpression`.
    pub diesel_sql_type: Option<syn::Type>,
}

impl Entry {
    /// The value as a string literal.
    fn lit(&self) -> Option<syn::LitStr> {
        syn::parse2::<syn::LitStr>(self.value.clone()?).ok()
    }

    /// The value as `true` or `false`.
    fn flag(&self) -> Option<bool> {
        syn::parse2::<syn::LitBool>(self.value.clone()?)
            .ok()
            .map(|b| b.value)
    }

    /// The value as a string literal's contents.
    fn string(&self) -> Option<String> {
        self.lit().map(|lit| lit.value())
    }

    /// The value as an identifier or a string: `column_name = body` or `= "body"`.
    fn name(&self) -> Option<String> {
        let value = self.value.clone()?;
        if let Some(text) = self.string() {
            return Some(text);
        }
        let ident = syn::parse2::<syn::Ident>(value).ok()?;
        let text = ident.to_string();
        Some(text.strip_prefix("r#").map(str::to_owned).unwrap_or(text))
    }

    /// The value as a path's last segment: `table_name = crate::schema::users`.
    fn last_segment(&self) -> Option<String> {
        if let Some(text) = self.string() {
            return text.rsplit("::").next().map(|s| s.trim().to_owned());
        }
        let path = syn::parse2::<syn::Path>(self.value.clone()?).ok()?;
        let ident = path.segments.last()?.ident.to_string();
        Some(ident.strip_prefix("r#").map(str::to_owned).unwrap_or(ident))
    }

    /// `key(a, b)`'s names; none when they are not plain names.
    fn names(&self) -> Vec<syn::Ident> {
        self.list.clone().map(name_list).unwrap_or_default()
    }

    /// The value as a type, written bare or in a string (then spanned on
    /// the string).
    fn ty(&self) -> Option<syn::Type> {
        let value = self.value.clone()?;
        match syn::parse2::<syn::LitStr>(value.clone()) {
            Ok(lit) => lit.parse().ok(),
            Err(_) => syn::parse2(value).ok(),
        }
    }
}

/// The entries of every `#[name(...)]` attribute; one that does not parse
/// gives none.
fn entries(attrs: &[syn::Attribute], name: &str) -> Vec<Entry> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident(name))
        .filter_map(|a| match &a.meta {
            syn::Meta::List(list) => parse_entries.parse2(list.tokens.clone()).ok(),
            _ => None,
        })
        .flatten()
        .collect()
}

/// The value of every `#[name = value]` attribute, as an entry keyed `name`
/// (diesel 1's and diesel-derive-enum's style).
fn name_values<'a>(attrs: &'a [syn::Attribute], name: &'a str) -> impl Iterator<Item = Entry> + 'a {
    attrs
        .iter()
        .filter(move |a| a.path().is_ident(name))
        .filter_map(move |a| match &a.meta {
            syn::Meta::NameValue(nv) => Some(Entry {
                key: name.to_owned(),
                value: Some(quote::ToTokens::to_token_stream(&nv.value)),
                list: None,
            }),
            _ => None,
        })
}

/// The names of diesel 1's `#[primary_key(a, b)]`.
fn diesel1_primary_key(attrs: &[syn::Attribute]) -> Vec<syn::Ident> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("primary_key"))
        .find_map(|a| match &a.meta {
            syn::Meta::List(list) => Some(name_list(list.tokens.clone())),
            _ => None,
        })
        .unwrap_or_default()
}

/// `a, b`'s names; none when they are not plain names.
fn name_list(tokens: TokenStream) -> Vec<syn::Ident> {
    syn::punctuated::Punctuated::<syn::Ident, syn::Token![,]>::parse_terminated
        .parse2(tokens)
        .map(|names| names.into_iter().collect())
        .unwrap_or_default()
}

/// `key`, `key = value` (the value runs to the next comma outside `<…>`) or
/// `key(...)`, separated by commas.
fn parse_entries(input: ParseStream) -> syn::Result<Vec<Entry>> {
    let mut out = Vec::new();
    while !input.is_empty() {
        let key = parse_key(input)?;
        let mut value = None;
        let mut list = None;
        if input.peek(syn::Token![=]) {
            input.parse::<syn::Token![=]>()?;
            let mut tokens = TokenStream::new();
            let mut depth = 0usize;
            while !input.is_empty() {
                if depth == 0 && input.peek(syn::Token![,]) {
                    break;
                }
                let tree: TokenTree = input.parse()?;
                if let TokenTree::Punct(p) = &tree {
                    match p.as_char() {
                        '<' => depth += 1,
                        '>' => depth = depth.saturating_sub(1),
                        _ => {}
                    }
                }
                tokens.extend([tree]);
            }
            value = Some(tokens);
        } else if input.peek(syn::token::Paren) {
            if let TokenTree::Group(group) = input.parse()? {
                list = Some(group.stream());
            }
        }
        out.push(Entry { key, value, list });
        if input.is_empty() {
            break;
        }
        input.parse::<syn::Token![,]>()?;
    }
    Ok(out)
}

/// A key: a name, or a path such as `a::b` (which no key pgdrift reads
/// matches).
fn parse_key(input: ParseStream) -> syn::Result<String> {
    let first: syn::Ident = syn::ext::IdentExt::parse_any(input)?;
    let mut key = first.to_string();
    while input.peek(syn::Token![::]) {
        input.parse::<syn::Token![::]>()?;
        let segment: syn::Ident = syn::ext::IdentExt::parse_any(input)?;
        key = format!("{key}::{segment}");
    }
    Ok(key)
}

impl ForeignContainer {
    /// Reads a row struct's `#[diesel(...)]`, `#[table_name]` and `#[sqlx(...)]`.
    pub fn parse(attrs: &[syn::Attribute]) -> ForeignContainer {
        let mut out = ForeignContainer {
            diesel: attrs.iter().any(|a| a.path().is_ident("diesel")),
            ..ForeignContainer::default()
        };
        for entry in entries(attrs, "diesel") {
            match entry.key.as_str() {
                "table_name" if out.table.is_none() => out.table = entry.last_segment(),
                "table_name" => out.more_tables.extend(entry.last_segment()),
                "primary_key" if out.primary_key.is_empty() => out.primary_key = entry.names(),
                _ => out.none.read(&entry),
            }
        }
        // diesel 1's `#[primary_key(a, b)]`.
        if out.primary_key.is_empty() {
            out.primary_key = diesel1_primary_key(attrs);
        }
        // diesel 1's `#[table_name = "posts"]`.
        if out.table.is_none() {
            out.table = name_values(attrs, "table_name").find_map(|e| e.last_segment());
        }
        for entry in entries(attrs, "sqlx") {
            if entry.key == "rename_all" && out.rename_all.is_none() {
                out.rename_all = entry.string();
            }
        }
        out
    }
}

impl ForeignField {
    /// Reads a field's `#[diesel(...)]` and `#[sqlx(...)]`.
    pub fn parse(attrs: &[syn::Attribute]) -> ForeignField {
        let mut out = ForeignField::default();
        for entry in entries(attrs, "diesel") {
            match entry.key.as_str() {
                "column_name" => out.column = out.column.take().or_else(|| entry.name()),
                "embed" if entry.value.is_none() => out.skip = true,
                "select_expression" if entry.value.is_some() => out.skip = true,
                "serialize_as" | "deserialize_as" => {
                    out.through = out.through.take().or_else(|| entry.ty());
                }
                "sql_type" => {
                    out.diesel_sql_type = out.diesel_sql_type.take().or_else(|| entry.ty());
                }
                "skip_insertion" if entry.value.is_none() => out.skip_insertion = true,
                "skip_update" if entry.value.is_none() => out.skip_update = true,
                _ => out.none.read(&entry),
            }
        }
        for entry in entries(attrs, "sqlx") {
            match entry.key.as_str() {
                "rename" => out.column = out.column.take().or_else(|| entry.string()),
                "skip" | "flatten" if entry.value.is_none() => out.skip = true,
                "default" if entry.value.is_none() => out.default = true,
                "json" if entry.value.is_none() => out.json = true,
                "try_from" => out.through = out.through.take().or_else(|| entry.ty()),
                _ => {}
            }
        }
        out
    }
}

impl ForeignEnum {
    /// Reads an enum's `#[sqlx(...)]`, `#[ExistingTypePath]` and
    /// `#[DbValueStyle]`.
    pub fn parse(attrs: &[syn::Attribute]) -> ForeignEnum {
        let sqlx = entries(attrs, "sqlx");
        let string = |key: &str| sqlx.iter().filter(|e| e.key == key).find_map(Entry::lit);
        ForeignEnum {
            type_name: string("type_name"),
            rename_all: string("rename_all").map(|l| l.value()),
            existing_type_path: name_values(attrs, "ExistingTypePath").find_map(|e| e.lit()),
            db_value_style: name_values(attrs, "DbValueStyle").find_map(|e| e.string()),
            sqlx: !sqlx.is_empty(),
        }
    }
}

impl ForeignVariant {
    /// Reads a variant's `#[sqlx(rename)]` and `#[db_rename]`.
    pub fn parse(attrs: &[syn::Attribute]) -> ForeignVariant {
        let rename = entries(attrs, "sqlx")
            .into_iter()
            .filter(|e| e.key == "rename")
            .find_map(|e| e.string());
        ForeignVariant {
            label: rename.or_else(|| name_values(attrs, "db_rename").find_map(|e| e.string())),
            sqlx: attrs.iter().any(|a| a.path().is_ident("sqlx")),
        }
    }
}

impl ForeignNewtype {
    /// Reads a newtype's `#[sqlx(transparent)]`, `#[sqlx(type_name)]` and
    /// `#[diesel(sql_type)]`.
    pub fn parse(attrs: &[syn::Attribute]) -> ForeignNewtype {
        let sqlx = entries(attrs, "sqlx");
        ForeignNewtype {
            transparent: sqlx.iter().any(|e| e.key == "transparent"),
            type_name: sqlx
                .iter()
                .filter(|e| e.key == "type_name")
                .find_map(Entry::string),
            diesel_sql_type: entries(attrs, "diesel")
                .iter()
                .filter(|e| e.key == "sql_type")
                .find_map(Entry::ty),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interop::DieselSqlType;

    fn attrs(src: &str) -> Vec<syn::Attribute> {
        let item: syn::ItemStruct = syn::parse_str(&format!("{src} struct S;")).unwrap();
        item.attrs
    }

    #[test]
    fn diesel_container_attributes() {
        let c = ForeignContainer::parse(&attrs(
            "#[diesel(table_name = crate::schema::posts, check_for_backend(diesel::pg::Pg))]",
        ));
        assert_eq!(c.table.as_deref(), Some("posts"));
        assert!(c.diesel);
        let c = ForeignContainer::parse(&attrs("#[diesel(check_for_backend(Pg))]"));
        assert!(c.table.is_none() && c.diesel);
        let c = ForeignContainer::parse(&attrs("#[table_name = \"posts\"]"));
        assert_eq!(c.table.as_deref(), Some("posts"));
        let c = ForeignContainer::parse(&attrs("#[sqlx(rename_all = \"camelCase\")]"));
        assert_eq!(c.rename_all.as_deref(), Some("camelCase"));
        assert!(!c.diesel);
    }

    #[test]
    fn what_none_writes_is_read_from_the_struct_and_the_field() {
        let c = ForeignContainer::parse(&attrs(
            "#[diesel(table_name = posts, treat_none_as_null = true)] #[diesel(treat_none_as_default_value = false)]",
        ));
        assert!(c.none.null_on_update() && c.none.null_on_insert());
        let plain = ForeignContainer::parse(&attrs("#[diesel(table_name = posts)]"));
        assert!(!plain.none.null_on_update() && !plain.none.null_on_insert());
        let odd = ForeignContainer::parse(&attrs("#[diesel(treat_none_as_null = \"yes\")]"));
        assert!(
            !odd.none.null_on_update(),
            "a value that is not a bool says nothing"
        );
        let field = ForeignField::parse(&attrs("#[diesel(treat_none_as_null = false)]"));
        assert!(
            !field.none.or(c.none).null_on_update(),
            "the field's word wins"
        );
        assert!(field.none.or(c.none).null_on_insert(), "else the struct's");
    }

    #[test]
    fn diesel_primary_key_names_fields() {
        let names = |src: &str| -> Vec<String> {
            let c = ForeignContainer::parse(&attrs(src));
            c.primary_key.iter().map(|i| i.to_string()).collect()
        };
        assert_eq!(
            names("#[diesel(table_name = posts, primary_key(user_id, r#type))]"),
            ["user_id", "r#type"]
        );
        assert_eq!(names("#[primary_key(a, b)]"), ["a", "b"]);
        assert_eq!(names("#[diesel(primary_key(a))] #[primary_key(b)]"), ["a"]);
        assert!(names("#[diesel(table_name = posts)]").is_empty());
        assert!(names("#[diesel(primary_key(a + b))]").is_empty());
        assert!(names("#[diesel(primary_key = a)]").is_empty());
    }

    #[test]
    fn field_attributes_of_both_crates() {
        let f = ForeignField::parse(&attrs(
            "#[diesel(column_name = r#type, sql_type = Nullable<Array<Nullable<Text>>>)]",
        ));
        assert_eq!(f.column.as_deref(), Some("type"));
        let sql = DieselSqlType::parse(f.diesel_sql_type.as_ref().unwrap()).unwrap();
        assert_eq!((sql.nullable, sql.describe()), (true, "text[]".to_owned()));
        let f = ForeignField::parse(&attrs(
            "#[sqlx(rename = \"kind\", try_from = \"i64\", default)] #[sqlx(json)]",
        ));
        assert_eq!(f.column.as_deref(), Some("kind"));
        assert!(f.default && f.json);
        assert_eq!(
            quote::ToTokens::to_token_stream(&f.through.unwrap()).to_string(),
            "i64"
        );
        assert!(ForeignField::parse(&attrs("#[diesel(embed)]")).skip);
        assert!(ForeignField::parse(&attrs("#[sqlx(flatten)]")).skip);
        assert!(ForeignField::parse(&attrs("#[diesel(select_expression = a.eq(b))]")).skip);
    }

    #[test]
    fn enum_and_newtype_attributes_of_sqlx_and_diesel_derive_enum() {
        let e = ForeignEnum::parse(&attrs(
            "#[sqlx(type_name = \"app.kind\", rename_all = \"lowercase\")] \
             #[ExistingTypePath = \"crate::schema::sql_types::Kind\"] #[DbValueStyle = \"camelCase\"]",
        ));
        assert_eq!(e.type_name.map(|l| l.value()).as_deref(), Some("app.kind"));
        assert_eq!(e.rename_all.as_deref(), Some("lowercase"));
        assert_eq!(
            e.existing_type_path.map(|l| l.value()).as_deref(),
            Some("crate::schema::sql_types::Kind")
        );
        assert_eq!(e.db_value_style.as_deref(), Some("camelCase"));
        assert!(e.sqlx);
        assert!(!ForeignEnum::parse(&attrs("#[sqlx(oops oops)]")).sqlx);
        let v = ForeignVariant::parse(&attrs("#[sqlx(rename = \"a\")] #[db_rename = \"b\"]"));
        assert_eq!((v.label.as_deref(), v.sqlx), (Some("a"), true));
        let v = ForeignVariant::parse(&attrs("#[sqlx(rename = 5)] #[db_rename = \"b\"]"));
        assert_eq!(v.label.as_deref(), Some("b"));
        let n = ForeignNewtype::parse(&attrs("#[sqlx(transparent, type_name = \"email\")]"));
        assert!(n.transparent);
        assert_eq!(n.type_name.as_deref(), Some("email"));
    }

    #[test]
    fn a_key_written_as_a_path_is_skipped_not_fatal() {
        let f = ForeignField::parse(&attrs("#[sqlx(other::key, rename = \"kind\")]"));
        assert_eq!(f.column.as_deref(), Some("kind"));
    }

    #[test]
    fn what_pgdrift_does_not_understand_is_ignored() {
        let f = ForeignField::parse(&attrs(
            "#[sqlx(rename = 5, ???)] #[diesel(column_name)] #[diesel = \"x\"] #[sqlx]",
        ));
        assert!(f.column.is_none() && !f.skip && f.through.is_none());
        let c = ForeignContainer::parse(&attrs("#[diesel(table_name = 7 + )]"));
        assert!(c.table.is_none());
    }

    proptest::proptest! {
        /// Whatever a `sqlx` or `diesel` attribute holds, reading it never
        /// panics and never fails: what pgdrift does not understand is ignored.
        #[test]
        fn any_foreign_attribute_is_read_or_ignored(
            body in "[a-z_:<>=,()\" 0-9]{0,40}",
            name in proptest::sample::select(vec!["sqlx", "diesel"]),
        ) {
            let src = format!("#[{name}({body})] struct S;");
            if let Ok(item) = syn::parse_str::<syn::ItemStruct>(&src) {
                let _ = ForeignContainer::parse(&item.attrs);
                let field = ForeignField::parse(&item.attrs);
                if let Some(ty) = &field.diesel_sql_type {
                    let _ = DieselSqlType::parse(ty).map(|t| t.describe());
                }
            }
        }
    }
}
