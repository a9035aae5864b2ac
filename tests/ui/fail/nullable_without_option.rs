use pgdrift::Model;

#[derive(Model)]
#[pgdrift(table = "users", partial)]
pub struct User {
    pub id: i64,
    pub nickname: String,
}

fn main() {}
