//! diesel's `skip_insertion` and `skip_update`: the struct's inserts (or
//! updates) leave the field out, so a generated or identity column is fine
//! there, and a field that no direction of the struct writes or reads is no
//! column at all.

#[derive(pgdrift::Model)]
#[diesel(table_name = posts)]
#[pgdrift(read, insert, update, partial)]
pub struct PostRow {
    #[diesel(skip_insertion, skip_update)]
    pub id: i64,
    pub author_id: i64,
    pub title: String,
    #[diesel(skip_insertion)]
    #[diesel(skip_update)]
    pub slug: Option<String>,
}

#[derive(pgdrift::Model)]
#[diesel(table_name = posts)]
#[pgdrift(insert)]
pub struct NewPost {
    pub author_id: i64,
    pub title: String,
    /// Computed by the application; never inserted.
    #[diesel(skip_insertion)]
    pub preview: String,
}

fn main() {
    use pgdrift::Model;
    assert_eq!(PostRow::INSERT_COLUMNS, "author_id, title");
    assert_eq!(PostRow::SELECT_LIST, "id, author_id, title, slug");
    assert_eq!(NewPost::INSERT_COLUMNS, "author_id, title");
}
