use pgdrift::Model;

#[derive(Model)]
#[pgdrift(table = "users", partial, strict)]
pub struct User {
    pub id: i64,
    pub email: Option<String>,
}

fn main() {}
