//! Insert structs: identity ALWAYS and generated columns cannot be written,
//! `Option` (DEFAULT) needs a default, and columns an INSERT must fill have to
//! be covered, even under `partial`.
use pgdrift::Model;

#[derive(Model)]
#[pgdrift(table = "posts", insert)]
pub struct NewPost {
    pub id: i64,
    pub author_id: Option<i64>,
    pub slug: String,
    pub published: Option<bool>,
}

#[derive(Model)]
#[pgdrift(table = "posts", insert, partial)]
pub struct PartialPost {
    pub author_id: i64,
}

fn main() {}
