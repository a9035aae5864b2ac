use pgdrift::Model;

#[derive(Model)]
#[pgdrift(table = "users", partial)]
pub struct User {
    pub id: i64,
    pub pw_hashed: String,
    #[pgdrift(column = "pw_hashed")]
    pub password_hash: String,
}

fn main() {}
