use pgdrift::Model;

#[derive(Model)]
#[pgdrift(table = "usres")]
pub struct User {
    pub id: i64,
}

fn main() {}
