//! The compile-time check of a field whose type pgdrift does not know: a
//! `const` that the compiler evaluates, comparing the type's
//! `SqlType::SQL_TYPE` (when it has one) with the SQL type names that fit
//! the column. Its panic is the error, spanned on the field's type.

use proc_macro2::TokenStream;
use quote::{quote_spanned, ToTokens};
use schema_check::custom::TypeProbe;

pub fn emit(probes: &[TypeProbe]) -> TokenStream {
    probes.iter().map(probe).collect()
}

fn probe(probe: &TypeProbe) -> TokenStream {
    let span = probe
        .ty
        .to_token_stream()
        .into_iter()
        .next()
        .map_or_else(proc_macro2::Span::call_site, |t| t.span());
    let ty = probe.ty;
    let accepted = &probe.accepted;
    let (before, after) = &probe.mismatch;
    let unchecked = probe.unchecked.as_ref().map(|message| {
        quote_spanned! {span=>
            if SQL.is_none() {
                ::core::panic!("{}", #message)
            }
        }
    });
    quote_spanned! {span=>
        const _: () = {
            #[allow(unused_imports)]
            use ::pgdrift::__private::NoSqlType as _;
            const SQL: ::core::option::Option<&str> = ::pgdrift::__private::Probe::<#ty>::SQL_TYPE;
            const PARTS: &[&str] = &[#before, ::pgdrift::__private::or_empty(SQL), #after];
            const TEXT: [u8; ::pgdrift::__private::len(PARTS)] = ::pgdrift::__private::concat(PARTS);
            if !::pgdrift::__private::fits(SQL, &[#(#accepted),*]) {
                ::core::panic!("{}", ::pgdrift::__private::text(&TEXT))
            }
            #unchecked
        };
    }
}
