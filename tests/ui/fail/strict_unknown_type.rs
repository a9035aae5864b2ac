use pgdrift::Model;

pub struct UserId(pub i64);

#[derive(Model)]
#[pgdrift(table = "users", partial, strict)]
pub struct User {
    pub id: UserId,
}

fn main() {}
