//! Update structs: `Some(None)` cannot go into a NOT NULL column, generated
//! columns and identity columns that are not the row's key are not written,
//! and views must be updatable.
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

/// An update never sets the row's key, but a struct that declares another
/// key writes `id`, which is GENERATED ALWAYS.
#[derive(Model)]
#[pgdrift(table = "posts", update)]
pub struct PostRetitle {
    pub id: Option<i64>,
    #[pgdrift(primary_key)]
    pub title: String,
}

fn main() {}
