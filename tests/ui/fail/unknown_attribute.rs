use pgdrift::Model;

#[derive(Model)]
#[pgdrift(tabel = "users", partial)]
pub struct User {
    #[pgdrift(colunm = "id")]
    pub id: i64,
}

fn main() {}
