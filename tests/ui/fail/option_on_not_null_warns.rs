//! `Option` on a NOT NULL column is a warning; the error below only makes
//! trybuild show the compiler's output.
use pgdrift::Model;

#[derive(Model)]
#[pgdrift(table = "users", partial)]
pub struct User {
    pub id: i64,
    pub email: Option<String>,
}

fn main() {
    let _: () = "shows the warning above";
}
