//! What a struct's `#[sqlx(...)]` and `#[diesel(...)]` attributes already
//! say about its table and columns, so that adding `#[derive(Model)]` to an
//! existing row struct needs no `#[pgdrift(...)]` attribute that repeats
//! them.
//!
//! Those attributes belong to sqlx and diesel: whatever pgdrift does not
//! understand in them (an unknown key, a value of an unexpected shape, a list
//! that does not parse) is ignored, never reported.

use proc_macro2::{TokenStream, TokenTree};
use syn::parse::{ParseStream, Parser};

/// What the container's foreign attributes say.
#[derive(Default)]
pub struct ForeignContainer {
    /// `#[diesel(table_name = path)]`: the path's last segment.
    pub table: Option<String>,
    /// Whether the struct carries any `#[diesel(...)]` attribute (diesel then
    /// defaults the table to the struct's name in snake_case plus `s`).
    pub diesel: bool,
    /// `#[sqlx(rename_all = "…")]`.
    pub rename_all: Option<String>,
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
}

/// One `key`, `key = value` or `key(...)` of a foreign attribute.
struct Entry {
    key: String,
    value: Option<TokenStream>,
}

impl Entry {
    /// The value as a string literal's contents.
    fn string(&self) -> Option<String> {
        syn::parse2::<syn::LitStr>(self.value.clone()?)
            .ok()
            .map(|lit| lit.value())
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

/// `key`, `key = value` (the value runs to the next comma outside `<…>`) or
/// `key(...)`, separated by commas.
fn parse_entries(input: ParseStream) -> syn::Result<Vec<Entry>> {
    let mut out = Vec::new();
    while !input.is_empty() {
        let key: syn::Ident = syn::ext::IdentExt::parse_any(input)?;
        let mut value = None;
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
            let _: TokenTree = input.parse()?;
        }
        out.push(Entry {
            key: key.to_string(),
            value,
        });
        if input.is_empty() {
            break;
        }
        input.parse::<syn::Token![,]>()?;
    }
    Ok(out)
}

impl ForeignContainer {
    pub fn parse(attrs: &[syn::Attribute]) -> ForeignContainer {
        let mut out = ForeignContainer {
            diesel: attrs.iter().any(|a| a.path().is_ident("diesel")),
            ..ForeignContainer::default()
        };
        for entry in entries(attrs, "diesel") {
            if entry.key == "table_name" && out.table.is_none() {
                out.table = entry.last_segment();
            }
        }
        // diesel 1's `#[table_name = "posts"]`.
        if out.table.is_none() {
            out.table = attrs
                .iter()
                .filter(|a| a.path().is_ident("table_name"))
                .find_map(|a| match &a.meta {
                    syn::Meta::NameValue(nv) => Entry {
                        key: String::new(),
                        value: Some(quote::ToTokens::to_token_stream(&nv.value)),
                    }
                    .last_segment(),
                    _ => None,
                });
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
                _ => {}
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

/// A column type in diesel's SQL-type vocabulary, as PostgreSQL knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DieselSqlType {
    /// `Nullable<…>` outside every `Array`.
    pub nullable: bool,
    /// How many `Array<…>` wrap the element.
    pub dimensions: usize,
    /// The element's `pg_type` name (`int4`, `text`), or for a type diesel
    /// does not ship (an enum from `print-schema`) its name in snake_case.
    pub element: String,
    /// Whether `element` is one of diesel's own types.
    pub builtin: bool,
}

impl DieselSqlType {
    /// Reads `Nullable<Array<Nullable<Text>>>`, `diesel::sql_types::Int8`,
    /// `crate::schema::sql_types::MediaKind`. `None` for what is not a path.
    pub fn parse(ty: &syn::Type) -> Option<DieselSqlType> {
        let mut out = DieselSqlType {
            nullable: false,
            dimensions: 0,
            element: String::new(),
            builtin: true,
        };
        let mut current = ty;
        loop {
            let syn::Type::Path(path) = current else {
                return None;
            };
            let segment = path.path.segments.last()?;
            let arg = match &segment.arguments {
                syn::PathArguments::AngleBracketed(a) => a.args.iter().find_map(|a| match a {
                    syn::GenericArgument::Type(t) => Some(t),
                    _ => None,
                }),
                _ => None,
            };
            let name = segment.ident.to_string();
            match (name.as_str(), arg) {
                ("Nullable", Some(inner)) => {
                    if out.dimensions == 0 {
                        out.nullable = true;
                    }
                    current = inner;
                }
                ("Array", Some(inner)) => {
                    out.dimensions += 1;
                    current = inner;
                }
                ("Range", Some(inner)) => {
                    let element = DieselSqlType::parse(inner)?;
                    out.element = range_of(&element.element)?.to_owned();
                    return Some(out);
                }
                _ => {
                    match diesel_type(&name) {
                        Some(pg) => out.element = pg.to_owned(),
                        None => {
                            out.builtin = false;
                            out.element = heck::ToSnakeCase::to_snake_case(name.as_str());
                        }
                    }
                    return Some(out);
                }
            }
        }
    }

    /// As PostgreSQL would write the type: `text[]`.
    pub fn describe(&self) -> String {
        format!("{}{}", self.element, "[]".repeat(self.dimensions))
    }
}

/// The range type over a diesel element type's `pg_type` name.
fn range_of(element: &str) -> Option<&'static str> {
    Some(match element {
        "int4" => "int4range",
        "int8" => "int8range",
        "numeric" => "numrange",
        "timestamp" => "tsrange",
        "timestamptz" => "tstzrange",
        "date" => "daterange",
        _ => return None,
    })
}

/// diesel's `sql_types` (and the PostgreSQL ones under `diesel::pg`), by the
/// `pg_type` name they stand for. `Text` and `VarChar` are one type in
/// diesel, used for every character column.
fn diesel_type(name: &str) -> Option<&'static str> {
    Some(match name {
        "Bool" => "bool",
        "SmallInt" | "Smallint" | "Int2" => "int2",
        "Integer" | "Int4" => "int4",
        "BigInt" | "Bigint" | "Int8" => "int8",
        "Float" | "Float4" => "float4",
        "Double" | "Float8" => "float8",
        "Numeric" | "Decimal" => "numeric",
        "Text" | "VarChar" | "Varchar" | "Bpchar" | "Citext" => "text",
        "Binary" | "Bytea" | "Blob" | "Tinyblob" | "Mediumblob" | "Longblob" => "bytea",
        "Date" => "date",
        "Time" => "time",
        "Timestamp" => "timestamp",
        "Timestamptz" | "TimestamptzSqlite" => "timestamptz",
        "Interval" => "interval",
        "Uuid" => "uuid",
        "Json" => "json",
        "Jsonb" => "jsonb",
        "Inet" => "inet",
        "Cidr" => "cidr",
        "MacAddr" => "macaddr",
        "MacAddr8" => "macaddr8",
        "Money" => "money",
        "Oid" => "oid",
        "CChar" => "char",
        "Int4range" => "int4range",
        "Int8range" => "int8range",
        "Numrange" => "numrange",
        "Tsrange" => "tsrange",
        "Tstzrange" => "tstzrange",
        "Daterange" => "daterange",
        "Record" => "record",
        _ => return None,
    })
}

/// diesel's name for a `pg_type` name, for help texts.
pub fn diesel_name(pg: &str) -> Option<&'static str> {
    Some(match pg {
        "bool" => "Bool",
        "int2" => "SmallInt",
        "int4" => "Integer",
        "int8" => "BigInt",
        "float4" => "Float",
        "float8" => "Double",
        "numeric" => "Numeric",
        "text" | "varchar" | "bpchar" | "name" | "citext" => "Text",
        "bytea" => "Bytea",
        "date" => "Date",
        "time" => "Time",
        "timestamp" => "Timestamp",
        "timestamptz" => "Timestamptz",
        "interval" => "Interval",
        "uuid" => "Uuid",
        "json" => "Json",
        "jsonb" => "Jsonb",
        "inet" => "Inet",
        "cidr" => "Cidr",
        "macaddr" => "MacAddr",
        "money" => "Money",
        "oid" => "Oid",
        _ => return None,
    })
}

/// `pg_type` names that diesel's `Text` stands for.
pub const TEXT_FAMILY: &[&str] = &["text", "varchar", "bpchar", "name", "citext"];

#[cfg(test)]
mod tests {
    use super::*;

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
    fn what_pgdrift_does_not_understand_is_ignored() {
        let f = ForeignField::parse(&attrs(
            "#[sqlx(rename = 5, ???)] #[diesel(column_name)] #[diesel = \"x\"] #[sqlx]",
        ));
        assert!(f.column.is_none() && !f.skip && f.through.is_none());
        let c = ForeignContainer::parse(&attrs("#[diesel(table_name = 7 + )]"));
        assert!(c.table.is_none());
    }

    #[test]
    fn diesel_vocabulary() {
        let parse = |src: &str| DieselSqlType::parse(&syn::parse_str(src).unwrap()).unwrap();
        assert_eq!(parse("diesel::sql_types::Int8").describe(), "int8");
        assert_eq!(parse("Range<Timestamptz>").describe(), "tstzrange");
        let custom = parse("Nullable<crate::schema::sql_types::MediaKind>");
        assert_eq!((custom.builtin, custom.nullable), (false, true));
        assert_eq!(custom.element, "media_kind");
        assert!(!parse("Array<Nullable<Int4>>").nullable);
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
