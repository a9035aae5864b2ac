//! A field an insert leaves out (`skip_insertion`) does not fill its
//! column: a NOT NULL column without a default must still be given.

#[derive(pgdrift::Model)]
#[diesel(table_name = posts)]
#[pgdrift(read, insert, partial)]
pub struct PostRow {
    pub author_id: i64,
    #[diesel(skip_insertion)]
    pub title: String,
}

fn main() {}
