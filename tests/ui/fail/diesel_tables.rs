//! diesel implements a struct for each `table_name` it is given, so each
//! of those tables is checked; here `users` has no `title`.

#[derive(pgdrift::Model)]
#[pgdrift(update)]
#[diesel(table_name = posts)]
#[diesel(table_name = users)]
pub struct Retitle {
    pub title: Option<String>,
}

/// `table = "…"` names the one table pgdrift checks.
#[derive(pgdrift::Model)]
#[pgdrift(table = "posts", update)]
#[diesel(table_name = posts, table_name = users)]
pub struct RetitlePost {
    pub title: Option<String>,
}

fn main() {
    use pgdrift::Model;
    assert_eq!(Retitle::TABLE, "posts");
}
