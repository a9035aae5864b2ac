//! Update structs: `Some(None)` cannot go into a NOT NULL column, generated
//! columns are not written, and views must be updatable.
use pgdrift::Model;

#[derive(Model)]
#[pgdrift(table = "posts", update)]
pub struct PostChanges {
    pub title: Option<Option<String>>,
    pub slug: Option<String>,
}

#[derive(Model)]
#[pgdrift(table = "post_counts", update)]
pub struct CountChanges {
    pub n: Option<i64>,
}

#[derive(Model)]
#[pgdrift(table = "post_counts", read, insert)]
pub struct CountRow {
    pub author_id: Option<i64>,
    pub n: Option<i64>,
}

fn main() {}
