//! pgdrift keeps Rust model structs, a live PostgreSQL schema and the
//! schema's documentation in agreement.
//!
//! Derive [`Model`] on a struct and the build fails, with a diagnostic on the
//! offending field, when the struct drifts from its table: a missing column,
//! a wrong type, wrong nullability, an uncovered column. The schema comes
//! from the database named by `DATABASE_URL`, or from the committed snapshot
//! `.pgdrift/schema.json` (`PGDRIFT_OFFLINE=true`, or no `DATABASE_URL`).
//!
//! ```rust
//! use pgdrift::Model;
//!
//! /// A registered account.
//! #[derive(Debug, Model)]
//! #[pgdrift(table = "users")]
//! pub struct User {
//!     pub id: i64,
//!     pub email: String,
//!     pub display_name: String,
//!     /// Argon2id hash, never the plain password.
//!     #[pgdrift(column = "pw_hashed")]
//!     pub password_hash: String,
//!     pub role_id: i32,
//!     pub bio: Option<String>,
//!     pub last_login: Option<chrono::DateTime<chrono::Utc>>,
//!     pub created_at: chrono::DateTime<chrono::Utc>,
//!     #[pgdrift(skip)]
//!     pub unread: usize,
//! }
//!
//! assert_eq!(
//!     User::SELECT_LIST,
//!     "id, email, display_name, pw_hashed, role_id, bio, last_login, created_at"
//! );
//! assert_eq!(User::COLUMNS[3].field, "password_hash");
//! ```
//!
//! A struct that writes rows says so: `#[pgdrift(insert)]`,
//! `#[pgdrift(update)]`, or with `read` for both ways. An insert struct's
//! `Option` means `DEFAULT` and an update struct's means "leave unchanged";
//! generated and identity `ALWAYS` columns cannot be written. Insert structs
//! also get an inherent `INSERT_COLUMNS: &'static str`, the columns they
//! write in field order. diesel's and sqlx's attributes are read too:
//!
//! ```rust
//! # mod schema { pub mod users {} }
//! #[derive(pgdrift::Model)]
//! #[diesel(table_name = crate::schema::users)]
//! #[pgdrift(insert)]
//! pub struct NewUser<'a> {
//!     pub email: &'a str,
//!     pub display_name: &'a str,
//!     #[pgdrift(column = "pw_hashed")]
//!     pub password_hash: &'a str,
//!     pub role_id: i32,
//!     pub bio: Option<&'a str>,
//!     pub created_at: Option<chrono::DateTime<chrono::Utc>>, // None: the column's DEFAULT
//! }
//!
//! assert_eq!(
//!     NewUser::INSERT_COLUMNS,
//!     "email, display_name, pw_hashed, role_id, bio, created_at"
//! );
//! ```
//!
//! The examples above compile against the example app's schema (this
//! workspace's `pgdrift.toml` points there); in your crate, the derive reads
//! your own snapshot or database.

pub use schema_derive::{Enum, Model, SqlType};

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

/// A Rust type with a PostgreSQL type: a field of this type is checked
/// against its column at compile time, also inside `Option<_>` and `Vec<_>`.
///
/// Derive it on a one-field newtype (`#[derive(pgdrift::SqlType)]`), get it
/// from `#[derive(pgdrift::Enum)]`, or implement it by hand:
///
/// ```
/// struct Email(String);
/// impl pgdrift::SqlType for Email {
///     const SQL_TYPE: &'static str = "text";
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no PostgreSQL type that pgdrift knows",
    note = "derive `pgdrift::SqlType` for it, or give the newtype `#[pgdrift(sql_type = \"…\")]`"
)]
pub trait SqlType {
    /// The PostgreSQL type's name as `pg_type` spells it (`int4`, `text`,
    /// `media_kind`), schema-qualified outside `public` and `pg_catalog`
    /// (`app.price`); an array type ends in `[]`. It is read as PostgreSQL
    /// reads a name: unquoted letters fold to lower case, a quoted part is
    /// exact (`"\"RoutingApproach\""`); an unquoted name that folds to no
    /// type names the one type that equals it ignoring case.
    const SQL_TYPE: &'static str;
}

/// What the derives' generated code calls; not a public API.
#[doc(hidden)]
pub mod __private {
    use core::marker::PhantomData;

    /// `Probe::<T>::SQL_TYPE` is `Some(T::SQL_TYPE)` when `T: SqlType` (an
    /// inherent constant wins over a trait's), else `None` through
    /// [`NoSqlType`]: a test for a trait usable in a `const`.
    pub struct Probe<T: ?Sized>(PhantomData<T>);

    impl<T: ?Sized + crate::SqlType> Probe<T> {
        pub const SQL_TYPE: Option<&'static str> = Some(T::SQL_TYPE);
    }

    pub trait NoSqlType {
        const SQL_TYPE: Option<&'static str> = None;
    }

    impl<T: ?Sized> NoSqlType for Probe<T> {}

    /// The next unit of a type name as PostgreSQL reads it, from byte `at`
    /// (`quoted`: inside double quotes), and where to go on: unquoted ASCII
    /// letters fold to lower case; quotes are dropped (`""` inside quotes
    /// is one `"`); a `.` inside quotes is kept apart from the separator.
    const fn unit(text: &[u8], mut at: usize, mut quoted: bool) -> Option<(u16, usize, bool)> {
        while at < text.len() {
            let b = text[at];
            if b == b'"' {
                if quoted && at + 1 < text.len() && text[at + 1] == b'"' {
                    return Some((b'"' as u16, at + 2, true));
                }
                quoted = !quoted;
                at += 1;
                continue;
            }
            let unit = match (quoted, b) {
                (true, b'.') => 0x100,
                (true, _) => b as u16,
                (false, _) => b.to_ascii_lowercase() as u16,
            };
            return Some((unit, at + 1, quoted));
        }
        None
    }

    /// Whether two type names name the same type as PostgreSQL reads them:
    /// `"RoutingApproach"` and `public."RoutingApproach"` differ (the engine
    /// lists both spellings), `Media_Kind` and `media_kind` do not.
    const fn same(a: &str, b: &str) -> bool {
        let (a, b) = (a.as_bytes(), b.as_bytes());
        let (mut at_a, mut at_b, mut quoted_a, mut quoted_b) = (0, 0, false, false);
        loop {
            match (unit(a, at_a, quoted_a), unit(b, at_b, quoted_b)) {
                (None, None) => return true,
                (Some((x, next_a, qa)), Some((y, next_b, qb))) if x == y => {
                    (at_a, at_b, quoted_a, quoted_b) = (next_a, next_b, qa, qb);
                }
                _ => return false,
            }
        }
    }

    /// Whether `sql` is one of `accepted`; a type without `SqlType` fits.
    pub const fn fits(sql: Option<&str>, accepted: &[&str]) -> bool {
        let Some(sql) = sql else {
            return true;
        };
        let mut i = 0;
        while i < accepted.len() {
            if same(sql, accepted[i]) {
                return true;
            }
            i += 1;
        }
        false
    }

    pub const fn or_empty(sql: Option<&'static str>) -> &'static str {
        match sql {
            Some(sql) => sql,
            None => "",
        }
    }

    /// The length of `parts` joined.
    pub const fn len(parts: &[&str]) -> usize {
        let mut total = 0;
        let mut i = 0;
        while i < parts.len() {
            total += parts[i].len();
            i += 1;
        }
        total
    }

    /// `parts` joined, as bytes (`N` is [`len`] of them).
    pub const fn concat<const N: usize>(parts: &[&str]) -> [u8; N] {
        let mut out = [0u8; N];
        let mut at = 0;
        let mut i = 0;
        while i < parts.len() {
            let bytes = parts[i].as_bytes();
            let mut j = 0;
            while j < bytes.len() {
                out[at] = bytes[j];
                at += 1;
                j += 1;
            }
            i += 1;
        }
        out
    }

    /// The columns a derive wrote as one text, `COLUMNS` of `Model`: per
    /// column its name, field and SQL type, each as its length in bytes,
    /// `:` and the text (`2:id`), then `1` (nullable) or `0`. Lengths need
    /// no separator that a name could hold, and leave the literal nothing
    /// to unescape. One literal is far cheaper for the compiler than `N`
    /// struct expressions, and is only decoded where `COLUMNS` is used.
    pub const fn columns<const N: usize>(spec: &'static str) -> [crate::Column; N] {
        let empty = crate::Column {
            name: "",
            field: "",
            sql_type: "",
            nullable: false,
        };
        let mut out = [empty; N];
        let mut rest = spec.as_bytes();
        let mut i = 0;
        while i < N {
            let (name, after_name) = part(rest);
            let (field, after_field) = part(after_name);
            let (sql_type, after_type) = part(after_field);
            let Some((flag, after_flag)) = after_type.split_first() else {
                panic!("pgdrift: a column text ends early");
            };
            out[i] = crate::Column {
                name,
                field,
                sql_type,
                nullable: *flag == b'1',
            };
            rest = after_flag;
            i += 1;
        }
        out
    }

    /// The text of one `length:text` part at the start of `bytes`, and what
    /// follows it.
    const fn part(bytes: &'static [u8]) -> (&'static str, &'static [u8]) {
        let mut len = 0;
        let mut at = 0;
        while at < bytes.len() && bytes[at] != b':' {
            len = len * 10 + (bytes[at] - b'0') as usize;
            at += 1;
        }
        let (_, text) = bytes.split_at(at + 1);
        let (head, tail) = text.split_at(len);
        match core::str::from_utf8(head) {
            Ok(head) => (head, tail),
            Err(_) => panic!("pgdrift: a column text split inside a character"),
        }
    }

    /// What [`concat`] joined, as text.
    pub const fn text(bytes: &[u8]) -> &str {
        match core::str::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => "",
        }
    }
}
