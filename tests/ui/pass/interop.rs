//! Row structs written for sqlx and diesel adopt `#[derive(Model)]` with no
//! `#[pgdrift(...)]` attribute: their own attributes name the table and the
//! columns. `diesel` and `sqlx` are helper attributes of the derive, so this
//! compiles without either crate.

use chrono::{DateTime, Utc};
use pgdrift::Model;

/// diesel: `table_name`'s last segment, `column_name`, `sql_type` in
/// diesel's vocabulary, `embed` and `select_expression` skipped, and
/// attributes pgdrift does not know (`check_for_backend`) ignored.
#[derive(Model)]
#[diesel(table_name = crate::schema::posts)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct PostRow {
    pub id: i64,
    #[diesel(column_name = author_id)]
    pub author: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub title: String,
    pub body: String,
    pub slug: Option<String>,
    pub published: bool,
    #[diesel(sql_type = Nullable<Text>)]
    pub subtitle: Option<String>,
    #[diesel(sql_type = Array<Int4>)]
    pub tag_ids: Vec<i32>,
    #[diesel(sql_type = Nullable<Array<Nullable<Text>>>)]
    pub labels: Option<Vec<Option<String>>>,
    #[diesel(deserialize_as = DateTime<Utc>)]
    pub created_at: Stamp,
    #[diesel(embed)]
    pub author_row: Author,
    #[diesel(select_expression = users::email)]
    pub author_email: String,
}

/// diesel's default table: the struct's name in snake_case plus `s`.
#[derive(Model)]
#[diesel(primary_key(id))]
#[pgdrift(partial)]
pub struct Post {
    pub id: i64,
    pub title: String,
}

/// sqlx: `rename_all`, `rename`, `skip`, `flatten`, `default` (a column the
/// table lacks), `try_from` (the column's type is checked), `json`.
#[derive(Model)]
#[sqlx(rename_all = "snake_case")]
#[pgdrift(table = "users")]
pub struct UserRow {
    #[sqlx(try_from = "i64")]
    pub id: UserId,
    pub email: String,
    #[sqlx(rename = "pw_hashed")]
    pub password_hash: String,
    pub nickname: Option<String>,
    pub age: Option<i32>,
    pub mood: Option<Mood>,
    pub tags: Vec<String>,
    pub scores: Option<Vec<i32>>,
    pub created_at: DateTime<Utc>,
    pub last_seen: Option<chrono::NaiveDateTime>,
    #[sqlx(default)]
    pub karma: Option<i64>,
    #[sqlx(skip)]
    pub unread: usize,
    #[sqlx(flatten)]
    pub settings: Settings,
}

/// `#[sqlx(json)]`: the column is jsonb-like; the field's type is free.
#[derive(Model)]
#[pgdrift(table = "measurements", partial)]
pub struct Reading {
    pub id: i64,
    #[sqlx(rename = "took", unknown_key, json = 5)]
    pub duration: Interval,
}

/// `#[pgdrift(...)]` wins over the others.
#[derive(Model)]
#[diesel(table_name = nowhere)]
#[pgdrift(table = "users", partial)]
pub struct Wins {
    #[sqlx(rename = "nope")]
    #[pgdrift(column = "id")]
    pub key: i64,
}

pub struct Stamp;
pub struct Author;
pub struct UserId;
pub struct Settings;
pub struct Interval;
pub enum Mood {}

fn main() {
    assert_eq!(PostRow::TABLE, "posts");
    assert_eq!(
        PostRow::SELECT_LIST,
        "id, author_id, title, body, slug, published, subtitle, tag_ids, labels, created_at"
    );
    assert_eq!(Post::TABLE, "posts");
    assert_eq!(
        UserRow::SELECT_LIST,
        "id, email, pw_hashed, nickname, age, mood, tags, scores, created_at, last_seen",
        "a `#[sqlx(default)]` column the table lacks is not selected"
    );
    assert_eq!(Wins::SELECT_LIST, "id");
    let _ = (Stamp, Author, UserId, Settings, Interval, Reading::SELECT_LIST);
}

/// `#[sqlx(json)]` on a jsonb column: any field type.
#[derive(Model)]
#[pgdrift(table = "measurements", partial)]
pub struct Meta {
    pub id: i64,
    #[sqlx(json)]
    pub meta: Option<Settings>,
}
