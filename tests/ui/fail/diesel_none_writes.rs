//! diesel can be told that `None` writes NULL: `treat_none_as_null = true`
//! on an `AsChangeset` (else `None` leaves the column alone) and
//! `treat_none_as_default_value = false` on an `Insertable` (else `None`
//! sends DEFAULT), on the struct or on one field. An `Option` on a NOT NULL
//! column then fails the write; on a nullable column it is fine.

#[derive(pgdrift::Model)]
#[pgdrift(update)]
#[diesel(table_name = posts, treat_none_as_null = true)]
pub struct PostChanges {
    pub title: Option<String>,
    pub subtitle: Option<String>,
    /// The field's own word wins over the struct's.
    #[diesel(treat_none_as_null = false)]
    pub body: Option<String>,
}

#[derive(pgdrift::Model)]
#[pgdrift(insert)]
#[diesel(table_name = posts, treat_none_as_default_value = false)]
pub struct NewPost {
    pub author_id: i64,
    pub title: String,
    pub body: Option<String>,
    pub subtitle: Option<String>,
}

/// A field-level `treat_none_as_default_value = false`; the others still
/// send DEFAULT for `None`.
#[derive(pgdrift::Model)]
#[pgdrift(insert)]
#[diesel(table_name = posts)]
pub struct PostDraft {
    pub author_id: i64,
    pub title: String,
    pub body: Option<String>,
    #[diesel(treat_none_as_default_value = false)]
    pub published: Option<bool>,
}

fn main() {}
