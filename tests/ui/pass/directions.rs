//! Insert and update structs: `Option` means DEFAULT (insert) or "leave
//! unchanged" (update), and a struct that only writes is not held to the
//! read rules.

use pgdrift::Model;

/// diesel's `Insertable`: `Option` on NOT NULL columns with a default sends
/// DEFAULT; a plain value into a nullable column is fine; the identity and
/// generated columns are left out.
#[derive(Model)]
#[diesel(table_name = posts)]
#[pgdrift(insert)]
pub struct NewPost<'a> {
    pub author_id: i64,
    pub title: &'a str,
    pub body: Option<&'a str>,
    pub published: Option<bool>,
    pub subtitle: &'a str,
    pub tag_ids: &'a [i32],
    pub labels: Option<&'a [&'a str]>,
}

/// diesel's insert idiom: `None` sends DEFAULT, `Some(None)` NULL, on
/// nullable columns.
#[derive(Model)]
#[diesel(table_name = posts)]
#[pgdrift(insert)]
pub struct NewPostDraft {
    pub author_id: i64,
    pub title: String,
    pub subtitle: Option<Option<String>>,
    pub labels: Option<Option<Vec<String>>>,
}

/// diesel's `AsChangeset`: `Option` leaves a column unchanged, and
/// `Option<Option<T>>` can set a nullable one to NULL.
#[derive(Model)]
#[diesel(table_name = posts)]
#[pgdrift(update)]
pub struct PostChanges {
    pub title: Option<String>,
    pub subtitle: Option<Option<String>>,
    pub labels: Option<Option<Vec<Option<String>>>>,
}

/// A read-and-update struct (`Queryable` + `AsChangeset`): the update finds
/// the row by its key and never sets it, so an identity `GENERATED ALWAYS`
/// key is fine.
#[derive(Model)]
#[diesel(table_name = posts)]
#[pgdrift(read, update, partial)]
pub struct PostEdit {
    pub id: i64,
    pub title: String,
}

/// Both at once (`Insertable` + `AsChangeset`).
#[derive(Model)]
#[pgdrift(table = "posts", insert, update)]
pub struct PostForm {
    pub author_id: i64,
    pub title: String,
    pub published: Option<bool>,
}

/// A BEFORE INSERT row trigger fills `actor`, so leaving it out is only a
/// warning; giving it makes the struct clean.
#[derive(Model)]
#[pgdrift(table = "audit_entries", insert)]
pub struct AuditEntry {
    pub action: String,
    pub actor: String,
}

/// An automatically updatable view takes inserts.
#[derive(Model)]
#[pgdrift(table = "published_posts", insert)]
pub struct NewPublishedPost {
    pub author_id: i64,
    pub title: String,
}

fn main() {
    assert_eq!(
        NewPost::INSERT_COLUMNS,
        "author_id, title, body, published, subtitle, tag_ids, labels"
    );
    assert_eq!(
        NewPostDraft::INSERT_COLUMNS,
        "author_id, title, subtitle, labels"
    );
    assert_eq!(PostForm::INSERT_COLUMNS, "author_id, title, published");
    assert_eq!(AuditEntry::INSERT_COLUMNS, "action, actor");
    assert_eq!(PostChanges::TABLE, "posts");
    assert_eq!(NewPublishedPost::INSERT_COLUMNS, "author_id, title");
}
