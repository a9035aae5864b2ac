use pgdrift::Model;

#[derive(Model)]
#[pgdrift(table = users, partial = true, rename_all = "Title Case")]
pub struct User {
    #[pgdrift(column)]
    pub id: i64,
    #[pgdrift(skip, column = "email")]
    pub email: String,
    #[pgdrift(table = "x")]
    pub other: String,
    #[pgdrift(sql_type = )]
    pub broken: String,
}

fn main() {}
