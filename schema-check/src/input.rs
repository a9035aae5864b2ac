//! The derive's input model: what a `Model` struct, an `Enum` or an
//! `SqlType` newtype says, read into plain data.
//!
//! [`ast`] builds the definitions from a `syn::DeriveInput`, `attr` parses
//! every attribute (pgdrift's own and those of sqlx and diesel) and `ctxt`
//! collects the errors, so that one compile reports them all. Checking the
//! definitions against a schema is the job of [`crate::check`] and
//! [`crate::custom`].

pub mod ast;
pub(crate) mod attr;
pub(crate) mod ctxt;

pub use ast::{
    doc_comment, type_text, DbFills, Directions, EnumDef, FieldDef, KeySource, ModelDef,
    NewtypeDef, NewtypeSqlType, VariantDef,
};
