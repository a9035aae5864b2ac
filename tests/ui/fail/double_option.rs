//! `Option<Option<T>>`: an insert or update struct's way to write NULL with
//! `Some(None)`, so an error on a NOT NULL column (with a default or not);
//! no client reads a column into it, so an error in a read struct.
use pgdrift::Model;

#[derive(Model)]
#[pgdrift(table = "posts", insert)]
pub struct NewPost {
    pub author_id: i64,
    pub title: Option<Option<String>>,
    pub body: Option<Option<String>>,
    pub subtitle: Option<Option<String>>,
}

#[derive(Model)]
#[pgdrift(table = "posts", partial)]
pub struct PostRow {
    pub subtitle: Option<Option<String>>,
}

#[derive(Model)]
#[pgdrift(table = "posts", read, update, partial)]
pub struct PostForm {
    pub subtitle: Option<Option<String>>,
}

fn main() {}
