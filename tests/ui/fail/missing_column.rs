use pgdrift::Model;

#[derive(Model)]
#[pgdrift(table = "users", partial)]
pub struct User {
    pub id: i64,
    pub pw_hash: String,
    #[pgdrift(column = "nick_name")]
    pub nickname: Option<String>,
}

fn main() {}
