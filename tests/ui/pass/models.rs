//! Models that agree with the schema, using every attribute.

use chrono::{DateTime, NaiveDateTime, Utc};
use pgdrift::{Column, Model};

/// A Rust enum without `derive(pgdrift::Enum)` or `SqlType` stays unchecked.
#[derive(Debug)]
pub enum Mood {
    Sad,
    Ok,
    Happy,
}

/// A newtype pgdrift cannot see through: `sql_type` declares its column type.
pub struct UserId(pub i64);

#[derive(Model)]
#[pgdrift(table = "users")]
pub struct User {
    #[pgdrift(sql_type = "bigint")]
    pub id: UserId,
    pub email: String,
    /// Argon2 hash, never the plain password.
    #[pgdrift(column = "pw_hashed")]
    pub password_hash: String,
    pub nickname: Option<String>,
    pub age: Option<i32>,
    pub mood: Option<Mood>,
    pub tags: Vec<String>,
    pub scores: Option<Vec<i32>>,
    pub created_at: DateTime<Utc>,
    pub last_seen: Option<NaiveDateTime>,
    #[pgdrift(skip)]
    pub unread: usize,
}

/// Fully qualified paths and borrowed types fit too.
#[derive(Model)]
#[pgdrift(table = "users", partial, strict)]
pub struct UserRef<'a> {
    pub id: i64,
    pub email: &'a str,
    pub created_at: chrono::DateTime<chrono::FixedOffset>,
}

#[derive(Model)]
#[pgdrift(schema = "app", table = "orders", rename_all = "camelCase")]
pub struct Order {
    pub id: i64,
    #[pgdrift(column = "user_id")]
    pub user: i64,
    pub total: rust_decimal_stub::Decimal,
    pub created_at: DateTime<Utc>,
    pub shipped_at: Option<DateTime<Utc>>,
}

/// Quoted identifiers: a table and a column named after keywords.
#[derive(Model)]
#[pgdrift(table = "user")]
pub struct Keyworded {
    pub id: i64,
    pub order: i32,
}

mod rust_decimal_stub {
    /// Types match by path, so any `Decimal` is `rust_decimal::Decimal`'s stand-in.
    pub struct Decimal;
}

fn main() {
    assert_eq!(User::SCHEMA, "public");
    assert_eq!(User::TABLE, "users");
    assert_eq!(
        User::SELECT_LIST,
        "id, email, pw_hashed, nickname, age, mood, tags, scores, created_at, last_seen"
    );
    assert_eq!(
        User::COLUMNS[2],
        Column { name: "pw_hashed", field: "password_hash", sql_type: "text", nullable: false }
    );
    assert_eq!(User::COLUMNS[5].sql_type, "public.mood");
    assert_eq!(User::COLUMNS.len(), 10, "skipped fields have no column");
    assert!(User::SCHEMA_DOC.starts_with("### Table `public.users`\n"));
    assert!(User::SCHEMA_DOC.contains(
        "| `pw_hashed` | `text` | no |  |  | `User.password_hash` | Argon2 hash, never the plain password. |"
    ));
    assert_eq!(UserRef::SELECT_LIST, "id, email, created_at");
    assert_eq!(Order::SCHEMA, "app");
    assert_eq!(Order::SELECT_LIST, "id, user_id, total, \"createdAt\", \"shippedAt\"");
    assert_eq!(Keyworded::SELECT_LIST, "id, \"order\"");
    let _ = (Mood::Sad, Mood::Ok, Mood::Happy);
}
