//! diesel's attributes name the table and columns, and its `sql_type` is
//! checked against the database.
use pgdrift::Model;

/// `table_name`'s last segment is the table.
#[derive(Model)]
#[diesel(table_name = crate::schema::post)]
pub struct Post {
    pub id: i64,
}

/// diesel's default table is the struct's name plus `s`: `comments`.
#[derive(Model)]
#[diesel(belongs_to(Post))]
pub struct Comment {
    pub id: i64,
}

#[derive(Model)]
#[diesel(table_name = posts)]
#[pgdrift(partial)]
pub struct PostRow {
    #[diesel(sql_type = Int4)]
    pub id: i64,
    #[diesel(column_name = titel)]
    pub title: String,
    #[diesel(sql_type = Text)]
    pub subtitle: Option<String>,
    #[diesel(deserialize_as = i32)]
    pub author_id: AuthorId,
    #[diesel(sql_type = Array<Text>)]
    pub tag_ids: Vec<i32>,
}

pub struct AuthorId;

fn main() {}
