//! Reading the derive's input. Most model structs are named fields whose
//! types are paths (`i64`, `Option<chrono::DateTime<chrono::Utc>>`): those
//! are read here directly, building the same `syn` tree that syn's own
//! parser builds. syn's type parser, unoptimised as proc macros are built by
//! default, tries every kind of type in turn and asks the compiler for the
//! text of an identifier at each keyword it rules out; it was the largest
//! part of reading a struct. Anything else (an enum, a `where` clause, a
//! reference, a lifetime argument, a macro's `$ty` group, an error) is left
//! to syn, from the start.

use proc_macro2::{Delimiter, Span, TokenStream};
use syn::buffer::Cursor;
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::Token;

/// The derive's input as syn would read it.
pub fn derive_input(tokens: TokenStream) -> syn::Result<syn::DeriveInput> {
    match named_struct.parse2(tokens.clone()) {
        Ok(input) => Ok(input),
        Err(_) => syn::parse2(tokens),
    }
}

/// A struct with named fields and no `where` clause; an error for anything
/// else (which syn then reads).
fn named_struct(input: ParseStream) -> syn::Result<syn::DeriveInput> {
    let attrs = input.call(syn::Attribute::parse_outer)?;
    let vis: syn::Visibility = input.parse()?;
    let struct_token: Token![struct] = input.parse()?;
    let ident: syn::Ident = input.parse()?;
    let generics: syn::Generics = input.parse()?;
    let content;
    let brace_token = syn::braced!(content in input);
    let mut named = Punctuated::new();
    while !content.is_empty() {
        named.push_value(field(&content)?);
        if content.is_empty() {
            break;
        }
        named.push_punct(content.parse::<Token![,]>()?);
    }
    Ok(syn::DeriveInput {
        attrs,
        vis,
        ident,
        generics,
        data: syn::Data::Struct(syn::DataStruct {
            struct_token,
            fields: syn::Fields::Named(syn::FieldsNamed { brace_token, named }),
            semi_token: None,
        }),
    })
}

/// A named field whose type is a path type, followed by `,` or nothing.
fn field(input: ParseStream) -> syn::Result<syn::Field> {
    let attrs = input.call(syn::Attribute::parse_outer)?;
    let vis: syn::Visibility = input.parse()?;
    let ident: syn::Ident = input.parse()?;
    let colon_token: Token![:] = input.parse()?;
    let ty = input.step(|cursor| {
        path_type(*cursor)
            .filter(|(_, rest)| rest.eof() || punct(*rest, ',').is_some())
            .ok_or_else(|| cursor.error("not a path type"))
    })?;
    Ok(syn::Field {
        attrs,
        vis,
        modifiers: syn::FieldModifiers::default(),
        ident: Some(ident),
        colon_token: Some(colon_token),
        ty,
        default: None,
    })
}

/// A path type without a leading `::` or `qself`, whose generic arguments
/// are such types.
fn path_type(mut cursor: Cursor) -> Option<(syn::Type, Cursor)> {
    let mut segments = Punctuated::new();
    loop {
        let (ident, rest) = segment_ident(cursor)?;
        cursor = rest;
        let mut arguments = syn::PathArguments::None;
        if let Some((lt, rest)) = punct(cursor, '<') {
            let (args, gt, rest) = generic_args(rest)?;
            arguments = syn::PathArguments::AngleBracketed(syn::AngleBracketedGenericArguments {
                colon2_token: None,
                lt_token: Token![<](lt),
                args,
                gt_token: Token![>](gt),
            });
            cursor = rest;
        }
        segments.push_value(syn::PathSegment { ident, arguments });
        match path_sep(cursor) {
            Some((spans, rest)) => {
                segments.push_punct(Token![::](spans));
                cursor = rest;
            }
            None => break,
        }
    }
    let path = syn::Path {
        leading_colon: None,
        segments,
    };
    let ty = syn::TypePath {
        attrs: Vec::new(),
        qself: None,
        path,
    };
    Some((syn::Type::Path(ty), cursor))
}

/// `T, U>`: types separated by commas, up to the closing `>`.
fn generic_args(
    mut cursor: Cursor,
) -> Option<(Punctuated<syn::GenericArgument, Token![,]>, Span, Cursor)> {
    let mut args = Punctuated::new();
    loop {
        let (ty, rest) = path_type(cursor)?;
        args.push_value(syn::GenericArgument::Type(ty));
        cursor = rest;
        if let Some((gt, rest)) = punct(cursor, '>') {
            return Some((args, gt, rest));
        }
        let (comma, rest) = punct(cursor, ',')?;
        args.push_punct(Token![,](comma));
        cursor = rest;
    }
}

/// An identifier that syn reads as a path segment: any but a keyword
/// other than `self`, `Self`, `super` and `crate` (`dyn`, `impl`, `fn`
/// and `_` start other kinds of types).
fn segment_ident(cursor: Cursor) -> Option<(syn::Ident, Cursor)> {
    if in_none_group(cursor) {
        return None;
    }
    let (ident, rest) = cursor.ident()?;
    let text = ident.to_string();
    // Every keyword is short and starts in lower case (or is `_`): most
    // type names are decided without comparing them with the list.
    let could_be_keyword = text.len() <= 8 && matches!(text.as_bytes()[0], b'a'..=b'z' | b'_');
    let keyword = could_be_keyword
        && matches!(
            text.as_str(),
            "_" | "abstract"
                | "as"
                | "async"
                | "await"
                | "become"
                | "box"
                | "break"
                | "const"
                | "continue"
                | "do"
                | "dyn"
                | "else"
                | "enum"
                | "extern"
                | "false"
                | "final"
                | "fn"
                | "for"
                | "gen"
                | "if"
                | "impl"
                | "in"
                | "let"
                | "loop"
                | "macro"
                | "match"
                | "mod"
                | "move"
                | "mut"
                | "override"
                | "priv"
                | "pub"
                | "ref"
                | "return"
                | "static"
                | "struct"
                | "trait"
                | "true"
                | "try"
                | "type"
                | "typeof"
                | "unsafe"
                | "unsized"
                | "use"
                | "virtual"
                | "where"
                | "while"
                | "yield"
        );
    (!keyword).then_some((ident, rest))
}

/// The punctuation `ch` (`<`, `>` or `,`).
fn punct(cursor: Cursor, ch: char) -> Option<(Span, Cursor)> {
    if in_none_group(cursor) {
        return None;
    }
    let (punct, rest) = cursor.punct()?;
    (punct.as_char() == ch).then(|| (punct.span(), rest))
}

/// `::`, as its two spans.
fn path_sep(cursor: Cursor) -> Option<([Span; 2], Cursor)> {
    if in_none_group(cursor) {
        return None;
    }
    let (first, rest) = cursor.punct()?;
    if first.as_char() != ':' || first.spacing() != proc_macro2::Spacing::Joint {
        return None;
    }
    let (second, rest) = rest.punct()?;
    (second.as_char() == ':').then(|| ([first.span(), second.span()], rest))
}

/// Whether the next token is a group without delimiters (a macro's `$ty`),
/// which syn reads as a `Type::Group`.
fn in_none_group(cursor: Cursor) -> bool {
    cursor.group(Delimiter::None).is_some()
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    /// Whether the fast path (not syn) read `src`.
    fn read_directly(src: &str) -> bool {
        use syn::parse::Parser;
        super::named_struct.parse_str(src).is_ok()
    }

    fn shapes(input: &syn::DeriveInput) -> Vec<String> {
        let syn::Data::Struct(data) = &input.data else {
            return Vec::new();
        };
        data.fields
            .iter()
            .map(|f| {
                let kind = match &f.ty {
                    syn::Type::Path(p) => format!(
                        "path {}",
                        p.path
                            .segments
                            .iter()
                            .map(|s| match &s.arguments {
                                syn::PathArguments::None => format!("{}", s.ident),
                                syn::PathArguments::AngleBracketed(a) => {
                                    format!("{}<{}>", s.ident, a.args.len())
                                }
                                syn::PathArguments::Parenthesized(_) => format!("{}()", s.ident),
                            })
                            .collect::<Vec<_>>()
                            .join("::")
                    ),
                    other => format!("other {}", other.to_token_stream()),
                };
                format!("{} {kind}", f.attrs.len())
            })
            .collect()
    }

    /// Structs of path types are read directly, into the tree syn builds;
    /// everything else is syn's, with syn's errors.
    #[test]
    fn reads_what_syn_reads() {
        let direct = [
            "struct A { }",
            "pub struct A { pub id: i64 }",
            "#[pgdrift(table = \"t\")] pub(crate) struct A<'a, T: Clone> {
                /// doc
                #[pgdrift(column = \"x\")] pub a: Option<chrono::DateTime<chrono::Utc>>,
                b: Vec<Option<String>>, c: std::collections::HashMap<String, Option<String>>,
                d: Self, e: self::x::Y, f: crate::Z, g: super::W, r#type: r#dyn,
             }",
        ];
        let left_to_syn = [
            "enum E { A }",
            "struct T(i64);",
            "struct U;",
            "struct W where Self: Sized { a: i64 }",
            "struct L<'a> { a: &'a str }",
            "struct L<'a> { a: Cow<'a, str> }",
            "struct D { a: Box<dyn Fn() -> i64> }",
            "struct D { a: Box<dyn Send> }",
            "struct I { a: <T as Tr>::X }",
            "struct G { a: ::std::string::String }",
            "struct G { a: Vec<::std::string::String> }",
            "struct A { a: [u8; 16] }",
            "struct A { a: (i64, i64) }",
            "struct A { a: Foo<3> }",
            "struct A { a: Foo<Item = i64> }",
            "struct A { a: Foo<> }",
            "struct A { a: Foo<i64,> }",
            "struct A { a: fn(i64) }",
            "struct A { a: _ }",
        ];
        for src in direct {
            assert!(read_directly(src), "{src}");
        }
        for src in left_to_syn {
            assert!(!read_directly(src), "{src}");
        }
        for src in direct.iter().chain(&left_to_syn) {
            let tokens: proc_macro2::TokenStream = src.parse().unwrap();
            match (
                super::derive_input(tokens),
                syn::parse_str::<syn::DeriveInput>(src),
            ) {
                (Ok(ours), Ok(theirs)) => {
                    assert_eq!(
                        ours.to_token_stream().to_string(),
                        theirs.to_token_stream().to_string(),
                        "{src}"
                    );
                    assert_eq!(shapes(&ours), shapes(&theirs), "{src}");
                    assert_eq!(ours.generics.params.len(), theirs.generics.params.len());
                }
                (Err(ours), Err(theirs)) => {
                    assert_eq!(ours.to_string(), theirs.to_string(), "{src}")
                }
                (ours, _) => panic!("{src}: ours {}", ours.is_ok()),
            }
        }
    }

    mod properties {
        use proptest::prelude::*;
        use quote::ToTokens;

        /// A type: mostly paths the fast reader takes, with the shapes it
        /// leaves to syn mixed in at any depth.
        fn ty() -> impl Strategy<Value = String> {
            let leaf = prop_oneof![
                Just("i64".to_owned()),
                Just("String".to_owned()),
                Just("Self".to_owned()),
                Just("r#type".to_owned()),
                Just("crate::Id".to_owned()),
                Just("chrono::DateTime<chrono::Utc>".to_owned()),
                Just("::std::string::String".to_owned()),
                Just("&'a str".to_owned()),
                Just("[u8; 4]".to_owned()),
                Just("()".to_owned()),
                Just("_".to_owned()),
                Just("dyn Send".to_owned()),
                Just("fn(i64) -> i64".to_owned()),
                Just("<T as Tr>::X".to_owned()),
                Just("Foo<3>".to_owned()),
                Just("Foo<Item = i64>".to_owned()),
                Just("'a".to_owned()),
                Just("i64 i64".to_owned()),
                Just(",".to_owned()),
                Just("".to_owned()),
            ];
            leaf.prop_recursive(3, 12, 3, |inner| {
                (
                    prop_oneof![
                        Just("Option"),
                        Just("Vec"),
                        Just("std::collections::HashMap"),
                        Just("Box")
                    ],
                    prop::collection::vec(inner, 0..3),
                    any::<bool>(),
                )
                    .prop_map(|(outer, args, trailing)| {
                        let comma = if trailing && !args.is_empty() {
                            ","
                        } else {
                            ""
                        };
                        format!("{outer}<{}{comma}>", args.join(", "))
                    })
            })
        }

        /// A struct (now and then another item) with fields of [`ty`].
        fn source() -> impl Strategy<Value = String> {
            let attr = prop_oneof![
                Just(""),
                Just("#[pgdrift(table = \"t\")]"),
                Just("/// doc"),
                Just("#[serde(default)]"),
            ];
            let field = (
                attr.clone(),
                prop_oneof![Just(""), Just("pub "), Just("pub(crate) ")],
                ty(),
            )
                .prop_map(|(attr, vis, ty)| format!("{attr} {vis}f: {ty}"));
            (
                attr,
                prop_oneof![
                    Just("struct S"),
                    Just("pub struct S<'a, T>"),
                    Just("enum S"),
                    Just("struct S where T: X")
                ],
                prop::collection::vec(field, 0..4),
                any::<bool>(),
            )
                .prop_map(|(attr, head, fields, trailing)| {
                    let comma = if trailing && !fields.is_empty() {
                        ","
                    } else {
                        ""
                    };
                    format!("{attr} {head} {{ {}{comma} }}", fields.join(", "))
                })
        }

        proptest! {
            /// Whatever the struct, the derive reads what syn reads: the same
            /// tree, or syn's own error.
            #[test]
            fn the_derive_reads_what_syn_reads(src in source()) {
                let Ok(tokens) = src.parse::<proc_macro2::TokenStream>() else {
                    return Ok(());
                };
                match (super::super::derive_input(tokens.clone()), syn::parse2::<syn::DeriveInput>(tokens)) {
                    (Ok(ours), Ok(theirs)) => {
                        prop_assert_eq!(
                            ours.to_token_stream().to_string(),
                            theirs.to_token_stream().to_string()
                        );
                        prop_assert_eq!(super::shapes(&ours), super::shapes(&theirs));
                    }
                    (Err(ours), Err(theirs)) => prop_assert_eq!(ours.to_string(), theirs.to_string()),
                    (ours, theirs) => prop_assert!(
                        false,
                        "{src}: ours {:?}, syn's {:?}",
                        ours.map(|_| ()),
                        theirs.map(|_| ())
                    ),
                }
            }
        }
    }
}
