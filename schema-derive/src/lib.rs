//! `#[derive(Model)]`: checks a struct against its PostgreSQL table at
//! compile time. Use it through the `pgdrift` crate (`pgdrift::Model`).
//!
//! This crate is a thin front door: it reads the struct into the engine's
//! [`ModelDef`], asks the engine for findings against the schema, turns them
//! into diagnostics, and emits the `pgdrift::Model` impl.
//!
//! Struct attributes: `#[pgdrift(table = "users")]`, `schema = "app"`,
//! `rename_all = "camelCase"`, `partial`, `strict`, `read`, `insert`,
//! `update`, `db_fills = "path, ap_id"`.
//! Field attributes: `#[pgdrift(column = "pw_hashed")]`, `skip`,
//! `sql_type = "bigint"`, `renamed_from = "nick"`, `primary_key`.
//!
//! `#[derive(Enum)]` and `#[derive(SqlType)]` (in `custom`) give Rust enums
//! and newtypes a PostgreSQL type; `probe` emits the compile-time checks of
//! fields of such types.

mod custom;
mod probe;
mod read_input;

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Mutex;

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use schema_check::catalog::{quote_ident, Relation};
use schema_check::crate_schema::catalog_for_crate;
use schema_check::custom::type_probes;
use schema_check::docs::{relation_section, DocModel};
use schema_check::schema_source::{recordable, Loaded, CHOOSING_VARS};
use schema_check::{check_model, Check, Finding, Level, ModelDef};

/// Checks a struct against its PostgreSQL table or view at compile time and
/// implements `pgdrift::Model`.
///
/// Every problem is reported in one compile, spanned on the item at fault:
/// a missing table or column (with "did you mean"), a Rust type that does
/// not fit the column's type (naming the types that do), a nullable column
/// read into a non-`Option` field, and, as warnings (errors under
/// `strict`), `Option` on a `NOT NULL` column and columns no field maps.
///
/// ```ignore
/// use pgdrift::Model;
///
/// /// A registered user.
/// #[derive(Debug, Model)]
/// #[pgdrift(table = "users")]
/// pub struct User {
///     pub id: i64,
///     pub email: String,
///     /// Argon2 hash, never the plain password.
///     #[pgdrift(column = "pw_hashed")]
///     pub password_hash: String,
///     pub last_login: Option<chrono::DateTime<chrono::Utc>>,
///     #[pgdrift(skip)]
///     pub unread: usize,
/// }
/// ```
///
/// # Optional container attributes
///
/// - `#[pgdrift(table = "users")]`: the table or view; default: the struct's
///   name in snake_case (or what `#[diesel(table_name = …)]` says).
/// - `#[pgdrift(schema = "app")]`: its schema; default `public`.
/// - `#[pgdrift(rename_all = "camelCase")]`: how field names become column
///   names: `snake_case`, `camelCase`, `PascalCase`, `lowercase`,
///   `UPPERCASE`, `SCREAMING_SNAKE_CASE`, `kebab-case`.
/// - `#[pgdrift(partial)]`: the struct may map a subset of the columns (no
///   uncovered-column warning).
/// - `#[pgdrift(strict)]`: warnings become errors, and a field whose type
///   pgdrift cannot check needs `sql_type` or a type implementing
///   `pgdrift::SqlType`.
/// - `#[pgdrift(insert)]`, `#[pgdrift(update)]`, `#[pgdrift(read)]`: what the
///   struct is used for; they combine (`#[pgdrift(insert, update)]`), each
///   rule taking the strictest. Write structs may use `Option` for columns
///   with a default (insert: `DEFAULT`) or to leave a column unchanged
///   (update), must cover every column an `INSERT` cannot omit, and may not
///   map generated or identity-always columns. `Option<Option<T>>` writes
///   NULL with `Some(None)` (outer `None`: `DEFAULT` in an insert, unchanged
///   in an update): fine on a nullable column, an error on a `NOT NULL` one
///   and in a read struct. Insert structs also get `INSERT_COLUMNS`.
///
/// ```ignore
/// #[derive(pgdrift::Model)]
/// #[pgdrift(table = "users", insert)]
/// pub struct NewUser<'a> {
///     pub email: &'a str,
///     pub nickname: Option<&'a str>, // None: the column's DEFAULT
/// }
/// ```
///
/// - `#[pgdrift(insert, db_fills = "path, ap_id")]`: on a table with a
///   `BEFORE INSERT … FOR EACH ROW` trigger, a required column (`NOT NULL`,
///   no default) that an insert struct leaves out or sends as `None` is a
///   warning naming every such trigger (pgdrift does not read what they
///   do); `db_fills` says which columns they fill, and silences it for them.
///   It is an error once the table has no such trigger (nothing fills the
///   columns then), for a name that is not a column, and without `insert`.
///
/// ```ignore
/// #[derive(pgdrift::Model)]
/// #[pgdrift(table = "comments", insert, db_fills = "path, ap_id")]
/// pub struct NewComment<'a> {
///     pub post_id: i64,
///     pub body: &'a str,
/// }
/// ```
///
/// # Optional field attributes
///
/// - `#[pgdrift(column = "pw_hashed")]`: the column this field maps.
/// - `#[pgdrift(skip)]`: not a column.
/// - `#[pgdrift(sql_type = "bigint")]`: the column type a field of a type
///   pgdrift cannot see through (a newtype, an alias) expects; checked
///   against the database.
/// - `#[pgdrift(renamed_from = "nick")]`: the column's name before a rename
///   the model asks for (`schema-check draft` writes the `RENAME COLUMN`).
///   While the database still has the old name, the field is an error that
///   says so, and the old column is checked as the field's; once the rename
///   is done, the attribute is a warning to remove it.
/// - `#[pgdrift(primary_key)]`: the field is part of the table's primary
///   key; when the table exists, the marked fields must be exactly its
///   key. diesel's `#[diesel(primary_key(a, b))]` says the same.
///
/// ```ignore
/// #[derive(pgdrift::Model)]
/// #[pgdrift(table = "orders", schema = "app", rename_all = "camelCase", partial, strict)]
/// pub struct Order {
///     #[pgdrift(sql_type = "bigint")]
///     pub id: OrderId,
///     #[pgdrift(column = "createdAt")]
///     pub created: chrono::DateTime<chrono::Utc>,
///     #[pgdrift(skip)]
///     pub cached_total: Option<f64>,
/// }
/// ```
///
/// # sqlx and diesel attributes
///
/// The attributes a struct already has for sqlx or diesel are read, so the
/// derive needs no `#[pgdrift(…)]` that repeats them (a `#[pgdrift(…)]`
/// attribute wins): `#[diesel(table_name = path)]`, diesel's default
/// plural table name, `#[diesel(primary_key(a, b))]`, `#[diesel(column_name = …)]`, `embed` and
/// `select_expression` (skipped), `serialize_as`/`deserialize_as` (that type
/// is checked), a field's `#[diesel(sql_type = …)]` in diesel's vocabulary;
/// `#[sqlx(rename = "…")]`, `rename_all`, `skip`, `flatten`, `default` (the
/// column may be missing), `try_from = "T"`, `json` (a `json`/`jsonb`
/// column, any field type). What pgdrift does not understand in them is
/// left to those crates.
///
/// ```ignore
/// #[derive(Queryable, Selectable, pgdrift::Model)]
/// #[diesel(table_name = crate::schema::posts)]
/// pub struct Post {
///     pub id: i32,
///     #[diesel(column_name = body)]
///     pub text: String,
///     pub tags: Vec<Option<String>>, // text[]: elements may be NULL
/// }
/// ```
///
/// # Where the schema comes from
///
/// The schema file `pgdrift::build` hands over (`build.rs`), else the
/// snapshot `.pgdrift/schema.json` found in the crate's directory or above
/// (`PGDRIFT_SNAPSHOT` overrides, `PGDRIFT_OFFLINE=true` insists on it).
/// With the `pgdrift` feature `live`, the derive connects to `DATABASE_URL`
/// itself.
#[proc_macro_derive(Model, attributes(pgdrift, diesel, sqlx))]
pub fn derive_model(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    match read_input::derive_input(input.into()) {
        Ok(input) => expand(&input).into(),
        Err(e) => e.to_compile_error().into(),
    }
}

/// `#[derive(Enum)]`: checks a Rust enum's labels against its PostgreSQL
/// enum type and implements `pgdrift::SqlType`. Reads `#[pgdrift(type_name,
/// rename_all)]` and variant `#[pgdrift(rename)]`, sqlx's `#[sqlx(type_name,
/// rename_all, rename)]` and diesel-derive-enum's `#[ExistingTypePath]`,
/// `#[DbValueStyle]`, `#[db_rename]`.
#[proc_macro_derive(
    Enum,
    attributes(pgdrift, sqlx, ExistingTypePath, DbValueStyle, db_rename)
)]
pub fn derive_enum(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    custom::expand_enum(&input).into()
}

/// `#[derive(SqlType)]` on a one-field newtype: `#[pgdrift(sql_type =
/// "text")]`, sqlx's `#[sqlx(transparent)]` or `#[sqlx(type_name = "…")]`,
/// diesel's `#[diesel(sql_type = Text)]`, else the inner type's SQL type.
#[proc_macro_derive(SqlType, attributes(pgdrift, sqlx, diesel))]
pub fn derive_sql_type(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    custom::expand_sql_type(&input).into()
}

fn expand(input: &syn::DeriveInput) -> TokenStream {
    let model = match ModelDef::parse(input) {
        Ok(model) => model,
        Err(findings) => return errors(&findings),
    };
    let crate_dir =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into()));
    let source_error = |message: String| {
        vec![Finding::new(
            Check::SchemaSource,
            Level::Error,
            model.ident.span(),
            &model.name(),
            message,
        )]
    };
    let (findings, loaded) = match catalog_for_crate(&crate_dir) {
        Ok(loaded) => match loaded.as_ref() {
            Ok(l) => {
                let mut findings = check_model(&model, &l.catalog);
                findings.extend(not_read_warning(&model, l));
                (findings, Some(loaded.clone()))
            }
            Err(e) => (source_error(e.to_string()), None),
        },
        Err(e) => (source_error(e.to_string()), None),
    };
    let loaded = loaded.as_deref().and_then(|l| l.as_ref().ok());
    let relation = loaded.and_then(|l| l.catalog.relation(&model.schema, &model.table));
    let probes = loaded
        .map(|l| type_probes(&model, &l.catalog))
        .unwrap_or_default();
    // A probed field's type may implement `SqlType`: the generated check
    // decides what the derive cannot see.
    let findings: Vec<Finding> = findings
        .into_iter()
        .filter(|f| {
            f.check != Check::UncheckedType
                || !probes.iter().any(|p| Some(p.field.name()) == f.field)
        })
        .collect();
    let diagnostics = diagnostics_for(&model, &findings);
    let probes = probe::emit(&probes);
    let model_impl = model_impl(&model, relation);
    let tracking = loaded
        .map(|l| track_inputs(&crate_dir, l))
        .unwrap_or_default();
    quote! {
        #diagnostics
        #model_impl
        #probes
        #tracking
    }
}

/// A warning when the model's relation was read live while another session
/// locked it: its texts were left out rather than waited for.
fn not_read_warning(model: &ModelDef, loaded: &Loaded) -> Option<Finding> {
    let (_, warning) = loaded
        .not_read
        .iter()
        .find(|(relation, _)| relation.schema == model.schema && relation.name == model.table)?;
    Some(Finding::new(
        Check::SchemaSource,
        Level::Warning,
        model.ident.span(),
        &model.name(),
        warning.clone(),
    ))
}

/// Errors as `compile_error!`, each at its span; warnings are left out.
/// Where the compiler shows a finding: its token, or the derive's call
/// site for a finding about no token.
fn span_of(finding: &Finding) -> proc_macro2::Span {
    finding.span.unwrap_or_else(proc_macro2::Span::call_site)
}

fn errors(findings: &[Finding]) -> TokenStream {
    findings
        .iter()
        .filter(|finding| finding.level == Level::Error)
        .map(|finding| {
            let span = span_of(finding);
            match finding.end {
                // Two tokens with the first and last span make syn span the
                // error over the whole range on stable Rust.
                Some(end) => {
                    let first = syn::Ident::new("start", span);
                    let last = syn::Ident::new("end", end);
                    syn::Error::new_spanned(quote!(#first #last), finding.text()).to_compile_error()
                }
                None => syn::Error::new(span, finding.text()).to_compile_error(),
            }
        })
        .collect()
}

/// Errors, and warnings as deprecation warnings (the one warning a macro can
/// raise on stable Rust): each warning is a deprecated associated constant
/// of the struct named after the problem (`User::pgdrift_option_on_not_null_email`),
/// used at the finding's span, so rustc's message names the struct, the
/// check and the field. A note (stable Rust has no notes from a macro) is
/// such a warning whose text starts with `note:`.
fn diagnostics_for(model: &ModelDef, findings: &[Finding]) -> TokenStream {
    let errors = errors(findings);
    let mut names = HashSet::new();
    let (constants, uses): (Vec<TokenStream>, Vec<TokenStream>) = findings
        .iter()
        .filter(|finding| finding.level != Level::Error)
        .map(|finding| {
            let base = match &finding.field {
                Some(field) => format!("pgdrift_{}_{field}", finding.check.code()),
                None => format!("pgdrift_{}", finding.check.code()),
            }
            .replace('-', "_");
            let mut name = base.clone();
            let mut n = 1;
            while !names.insert(name.clone()) {
                n += 1;
                name = format!("{base}_{n}");
            }
            let note = match finding.level {
                Level::Note => format!("note: {}", finding.text()),
                _ => finding.text(),
            };
            let span = span_of(finding);
            let ident = syn::Ident::new(&name, span);
            (
                quote_spanned! {span=>
                    #[deprecated(note = #note)]
                    #[doc(hidden)]
                    #[allow(non_upper_case_globals, dead_code)]
                    const #ident: () = ();
                },
                quote_spanned! {span=> let _ = Self::#ident; },
            )
        })
        .unzip();
    if constants.is_empty() {
        return errors;
    }
    let ident = &model.ident;
    let (impl_generics, ty_generics, where_clause) = model.generics.split_for_impl();
    quote! {
        #errors
        impl #impl_generics #ident #ty_generics #where_clause {
            #(#constants)*
            #[doc(hidden)]
            #[allow(dead_code, clippy::let_unit_value)]
            fn __pgdrift_warnings() {
                #(#uses)*
            }
        }
    }
}

fn model_impl(model: &ModelDef, relation: Option<&Relation>) -> TokenStream {
    let ident = &model.ident;
    let (impl_generics, ty_generics, where_clause) = model.generics.split_for_impl();
    // A `#[sqlx(default)]` field whose column the table lacks is neither
    // selected nor written.
    let present = |f: &&schema_check::input::FieldDef| {
        !f.may_be_missing || relation.is_none_or(|r| r.column(&f.column).is_some())
    };
    let fields: Vec<_> = model.mapped_fields().filter(present).collect();
    let column_list = fields
        .iter()
        .map(|f| quote_ident(&f.column).into_owned())
        .collect::<Vec<_>>()
        .join(", ");
    let schema_doc = relation
        .map(|r| relation_section(&model.schema, r, &[DocModel::from(model)]))
        .unwrap_or_default();
    // The constants are written as text and parsed once: the compiler lexes
    // it far faster than the macro builds the same tokens one by one. The
    // columns are one literal that `__private::columns` decodes where
    // `COLUMNS` is used: per model a few tokens instead of a struct
    // expression per column for the compiler to parse, lower and check.
    let mut columns = String::with_capacity(48 * fields.len());
    for field in &fields {
        let column = relation.and_then(|r| r.column(&field.column));
        let sql_type = column.map(|c| c.data_type.as_str()).unwrap_or_default();
        let nullable = column.map_or_else(
            || schema_check::types::option_inner(&field.ty).is_some(),
            |c| c.nullable,
        );
        for part in [field.column.as_str(), &field.name(), sql_type] {
            push_decimal(&mut columns, part.len());
            columns.push(':');
            columns.push_str(part);
        }
        columns.push(if nullable { '1' } else { '0' });
    }
    let mut body = String::with_capacity(256 + columns.len() + schema_doc.len());
    let _ = write!(
        body,
        "const SCHEMA: &'static str = {}; const TABLE: &'static str = {}; \
         const COLUMNS: &'static [::pgdrift::Column] = &::pgdrift::__private::columns::<{}>({}); \
         const SELECT_LIST: &'static str = {}; const SCHEMA_DOC: &'static str = {};",
        str_literal(&model.schema),
        str_literal(&model.table),
        fields.len(),
        str_literal(&columns),
        str_literal(&column_list),
        str_literal(&schema_doc),
    );
    let body = parse_generated(&body);
    let insert_columns = model.directions.insert.then(|| {
        // diesel's `skip_insertion` fields are read, not inserted.
        let column_list = fields
            .iter()
            .filter(|f| f.inserted(model.directions))
            .map(|f| quote_ident(&f.column).into_owned())
            .collect::<Vec<_>>()
            .join(", ");
        quote! {
            impl #impl_generics #ident #ty_generics #where_clause {
                /// The columns this insert struct writes, in field order, for
                /// `INSERT INTO table (…)`.
                pub const INSERT_COLUMNS: &'static str = #column_list;
            }
        }
    });
    quote! {
        impl #impl_generics ::pgdrift::Model for #ident #ty_generics #where_clause {
            #body
        }
        #insert_columns
    }
}

/// `n` in decimal digits: cheaper than a formatting macro per part in the
/// unoptimised macro.
fn push_decimal(out: &mut String, n: usize) {
    if n >= 10 {
        push_decimal(out, n / 10);
    }
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// A string literal of `text`, escaped by the standard library's `Debug`
/// (optimised code even in an unoptimised macro, where a scan of the text
/// char by char costs more than the compiler's unescaping of the literal).
fn str_literal(text: &str) -> String {
    format!("{text:?}")
}

/// Tokens of Rust text the derive wrote. In a macro the compiler lexes
/// them directly (proc-macro2 would lex them once more first, to check
/// them); elsewhere (the expansion tests) proc-macro2 does.
fn parse_generated(text: &str) -> TokenStream {
    let parsed = if proc_macro::is_available() {
        text.parse::<proc_macro::TokenStream>()
            .map(TokenStream::from)
            .map_err(|_| ())
    } else {
        text.parse::<TokenStream>().map_err(|_| ())
    };
    parsed.unwrap_or_else(|_| panic!("the derive wrote invalid Rust: {text}"))
}

/// Makes cargo rebuild the crate when the snapshot or the variables that
/// choose the source change. Emitted by the crate's first expansion only:
/// one `include_bytes!` of the snapshot per crate, not one per model.
fn track_inputs(crate_dir: &std::path::Path, loaded: &Loaded) -> TokenStream {
    static TRACKED: Mutex<Option<HashSet<PathBuf>>> = Mutex::new(None);
    let mut tracked = TRACKED.lock().unwrap_or_else(|p| p.into_inner());
    if !tracked
        .get_or_insert_with(HashSet::new)
        .insert(crate_dir.to_path_buf())
    {
        return TokenStream::new();
    }
    let snapshot = loaded.snapshot_path().map(|path| {
        let path = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        let path = path.to_string_lossy();
        quote! { const _: &[u8] = include_bytes!(#path); }
    });
    let vars = CHOOSING_VARS.into_iter().filter(|var| recordable(var));
    let span = Span::call_site();
    quote_spanned! {span=>
        #snapshot
        #(const _: ::core::option::Option<&str> = ::core::option_env!(#vars);)*
    }
}

#[cfg(test)]
mod expansion_tests;

#[cfg(test)]
mod tests {
    /// Lengths are written as `write!` writes them.
    #[test]
    fn push_decimal_writes_digits() {
        for n in [0, 7, 10, 42, 100, 1600, 65_535, usize::MAX] {
            let mut out = String::from("x");
            super::push_decimal(&mut out, n);
            assert_eq!(out, format!("x{n}"));
        }
    }

    /// Every literal reads back as the text it was written from.
    #[test]
    fn str_literal_round_trips() {
        for text in [
            "",
            "users",
            "a \"quoted\" name",
            "\"#",
            "ends in a quote\"",
            "\"## and \"#",
            "line\nbreak\tand `ticks` | pipes",
            "back\\slash",
            "carriage\rreturn",
            "nul\0byte",
            "ünïcödé ✓",
        ] {
            let literal = super::str_literal(text);
            let parsed: syn::LitStr = syn::parse_str(&literal).unwrap();
            assert_eq!(parsed.value(), text, "{literal}");
        }
        assert_eq!(super::str_literal("users"), "\"users\"");
    }
}
