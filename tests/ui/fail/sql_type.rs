use pgdrift::Model;

pub struct UserId(pub i64);
pub struct Years(pub i32);

#[derive(Model)]
#[pgdrift(table = "users", partial)]
pub struct User {
    #[pgdrift(sql_type = "integer")]
    pub id: UserId,
    #[pgdrift(sql_type = "int4")]
    pub age: Option<Years>,
}

fn main() {}
