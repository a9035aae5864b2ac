//! sqlx's attributes name the columns; `try_from` and `json` change what is
//! type-checked.
use pgdrift::Model;

#[derive(Model)]
#[sqlx(rename_all = "camelCase")]
#[pgdrift(table = "users", partial)]
pub struct User {
    pub id: i64,
    pub pw_hashed: String,
    #[sqlx(rename = "nick")]
    pub nickname: Option<String>,
    #[sqlx(try_from = "String")]
    pub age: Option<Age>,
    #[sqlx(json)]
    pub tags: Vec<String>,
    /// May be missing: no error.
    #[sqlx(default)]
    pub karma: i64,
}

pub struct Age;

fn main() {}
