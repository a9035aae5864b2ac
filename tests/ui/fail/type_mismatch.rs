use chrono::{DateTime, NaiveDateTime, Utc};
use pgdrift::Model;

#[derive(Model)]
#[pgdrift(table = "users", partial)]
pub struct User {
    /// Integer width: bigint needs i64.
    pub id: i32,
    /// Text where the column is an integer.
    pub age: Option<String>,
    /// timestamptz needs a time zone.
    pub created_at: NaiveDateTime,
    /// timestamp has none.
    pub last_seen: Option<DateTime<Utc>>,
    /// Array element: text[] holds strings.
    pub tags: Vec<i32>,
}

fn main() {}
