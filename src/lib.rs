//! pgdrift keeps Rust model structs, a live PostgreSQL schema and the
//! schema's documentation in agreement.
//!
//! Derive [`Model`] on a struct and the build fails, with a diagnostic on the
//! offending field, when the struct drifts from its table: a missing column,
//! a wrong type, wrong nullability, an uncovered column. The schema comes
//! from the database named by `DATABASE_URL`, or from the committed snapshot
//! `.pgdrift/schema.json` (`PGDRIFT_OFFLINE=true`, or no `DATABASE_URL`).
//!
//! ```text
//! use pgdrift::Model;
//!
//! /// A registered user.
//! #[derive(Debug, Model)]
//! #[pgdrift(table = "users")]
//! pub struct User {
//!     pub id: i64,
//!     pub email: String,
//!     /// Argon2 hash, never the plain password.
//!     #[pgdrift(column = "pw_hashed")]
//!     pub password_hash: String,
//!     pub last_login: Option<chrono::DateTime<chrono::Utc>>,
//!     #[pgdrift(skip)]
//!     pub unread: usize,
//! }
//!
//! assert_eq!(User::SELECT_LIST, "id, email, pw_hashed, last_login");
//! ```
//!
//! A struct that writes rows says so: `#[pgdrift(insert)]`,
//! `#[pgdrift(update)]`, or with `read` for both ways. An insert struct's
//! `Option` means `DEFAULT` and an update struct's means "leave unchanged";
//! generated and identity `ALWAYS` columns cannot be written. Insert structs
//! also get an inherent `INSERT_COLUMNS: &'static str`, the columns they
//! write in field order:
//!
//! ```text
//! #[derive(pgdrift::Model)]
//! #[diesel(table_name = crate::schema::posts)]   // diesel's and sqlx's attributes are read too
//! #[pgdrift(insert)]
//! pub struct NewPost<'a> {
//!     pub author_id: i64,
//!     pub title: &'a str,
//!     pub published: Option<bool>,                // None: the column's DEFAULT
//! }
//!
//! assert_eq!(NewPost::INSERT_COLUMNS, "author_id, title, published");
//! ```

pub use schema_derive::Model;

#[cfg(feature = "build")]
pub mod build;

/// A struct checked against a table or view, with what the check learned.
///
/// Implemented by `#[derive(Model)]`; the constants describe the table as
/// the struct maps it.
pub trait Model {
    /// The table's schema, e.g. `"public"`.
    const SCHEMA: &'static str;
    /// The table or view, e.g. `"users"`.
    const TABLE: &'static str;
    /// The mapped columns in field order; skipped fields are left out.
    const COLUMNS: &'static [Column];
    /// The columns for a `SELECT`, identifiers quoted where PostgreSQL needs
    /// it, e.g. `"id, email, pw_hashed, last_login"`.
    const SELECT_LIST: &'static str;
    /// This table's section of `database_schema.md`, byte for byte.
    const SCHEMA_DOC: &'static str;
}

/// One mapped column of a [`Model`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Column {
    /// The column's name in the database.
    pub name: &'static str,
    /// The struct field it maps to.
    pub field: &'static str,
    /// The column's type as PostgreSQL formats it, e.g. `character varying(255)`.
    pub sql_type: &'static str,
    /// Whether the column accepts NULL.
    pub nullable: bool,
}
