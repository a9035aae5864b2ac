//! pgdrift's engine: everything pgdrift knows about PostgreSQL and drift.
//!
//! The centre is [`Catalog`], a plain, serialisable model of a database's
//! schemas. [`introspect()`] produces one from a live database, [`snapshot`]
//! stores and loads one, [`diff()`] compares two. The `#[derive(Model)]` macro
//! and the `schema-check` CLI are two front doors onto this crate.
//!
//! Features: `live` (default) connects to PostgreSQL; `workflow` writes
//! snapshots and tells stale ones, diffs catalogs, keeps the change log and
//! renders docs documents and generated models; `discover` finds models in
//! Rust files (and brings `workflow`); `cli` (default) builds the
//! `schema-check` binary; `testing` adds `testing`, a throwaway PostgreSQL
//! cluster for tests. Without features, the crate is what the derive needs:
//! reading a schema and checking models against it.

pub mod catalog;
#[cfg(feature = "workflow")]
pub mod catalog_text;
#[cfg(feature = "discover")]
pub mod cfg;
#[cfg(feature = "workflow")]
pub mod changelog;
pub mod check;
#[cfg(feature = "discover")]
pub mod compare;
pub mod config;
pub mod crate_schema;
pub mod custom;
#[cfg(feature = "workflow")]
pub mod diagram;
#[cfg(feature = "workflow")]
pub mod diff;
#[cfg(feature = "discover")]
pub mod discover;
pub mod docs;
pub mod error;
pub mod escape;
pub mod files;
pub mod finding;
pub mod fix;
#[cfg(feature = "workflow")]
pub mod generate;
pub mod input;
pub mod interop;
#[cfg(feature = "discover")]
pub mod report;
pub mod schema_source;
pub mod snapshot;
pub mod sql_name;
pub mod suggest;
pub mod types;
pub mod url;

#[cfg(feature = "live")]
pub mod introspect;
#[cfg(feature = "live")]
pub mod live;
#[cfg(feature = "testing")]
pub mod testing;

pub use catalog::Catalog;
pub use check::check_model;
pub use config::{Env, ProjectConfig};
#[cfg(feature = "workflow")]
pub use diff::{diff, Change, ChangeKind};
pub use error::{Error, Result};
pub use finding::{Check, Comparison, Finding, Level, Place};
pub use fix::{Edit, Fix, TextEdit};
pub use input::ModelDef;
#[cfg(feature = "live")]
pub use introspect::introspect;
#[cfg(feature = "live")]
pub use live::{ConnectOptions, Connection};
pub use schema_source::{SchemaRequest, SchemaSource};
pub use url::DatabaseUrl;
