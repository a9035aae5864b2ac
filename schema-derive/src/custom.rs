//! `#[derive(Enum)]` and `#[derive(SqlType)]`: a PostgreSQL type for a Rust
//! enum or newtype, as `pgdrift::SqlType`. The enum's labels are checked
//! against the schema here; newtypes need no schema.

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;
use schema_check::crate_schema::catalog_for_crate;
use schema_check::custom::{check_enum, enum_sql_type};
use schema_check::input::{EnumDef, NewtypeDef, NewtypeSqlType};
use schema_check::{Check, Finding, Level};

use crate::{errors as diagnostics, track_inputs};

pub fn expand_enum(input: &syn::DeriveInput) -> TokenStream {
    let def = match EnumDef::parse(input) {
        Ok(def) => def,
        Err(findings) => return diagnostics(&findings),
    };
    let crate_dir =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into()));
    let source_error = |message: String| {
        let name = def.ident.to_string();
        vec![Finding::new(
            Check::SchemaSource,
            Level::Error,
            def.ident.span(),
            &name,
            message,
        )]
    };
    let (findings, tracking, sql_type) = match catalog_for_crate(&crate_dir) {
        Ok(loaded) => match loaded.as_ref() {
            Ok(l) => (
                check_enum(&def, &l.catalog),
                track_inputs(&crate_dir, l),
                enum_sql_type(&def, Some(&l.catalog)),
            ),
            Err(e) => (
                source_error(e.to_string()),
                TokenStream::new(),
                enum_sql_type(&def, None),
            ),
        },
        Err(e) => (
            source_error(e.to_string()),
            TokenStream::new(),
            enum_sql_type(&def, None),
        ),
    };
    let diagnostics = diagnostics(&findings);
    let ident = &def.ident;
    let (impl_generics, ty_generics, where_clause) = def.generics.split_for_impl();
    quote! {
        #diagnostics
        impl #impl_generics ::pgdrift::SqlType for #ident #ty_generics #where_clause {
            const SQL_TYPE: &'static str = #sql_type;
        }
        #tracking
    }
}

pub fn expand_sql_type(input: &syn::DeriveInput) -> TokenStream {
    let def = match NewtypeDef::parse(input) {
        Ok(def) => def,
        Err(findings) => return diagnostics(&findings),
    };
    let sql_type = match &def.sql_type {
        NewtypeSqlType::Named(name) => quote!(#name),
        NewtypeSqlType::Inner(inner) => quote!(<#inner as ::pgdrift::SqlType>::SQL_TYPE),
    };
    let ident = &def.ident;
    let (impl_generics, ty_generics, where_clause) = def.generics.split_for_impl();
    quote! {
        impl #impl_generics ::pgdrift::SqlType for #ident #ty_generics #where_clause {
            const SQL_TYPE: &'static str = #sql_type;
        }
    }
}
