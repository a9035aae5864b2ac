use pgdrift::Model;

/// Every problem of a struct is reported in one compile.
#[derive(Model)]
#[pgdrift(table = "users")]
pub struct User {
    pub id: i32,
    pub emial: String,
    pub nickname: String,
    pub age: Option<i64>,
}

fn main() {}
