// Forum models in the style of a large diesel service: singular table names
// through `table_name`, newtype ids over serial keys, separate insert and
// update forms, `Option<Option<T>>` changesets, borrowed slices for array
// columns, a subset struct with an embedded row and a computed column.
// Every struct carries only `#[derive(pgdrift::Model)]` besides its diesel
// attributes, and `insert` / `update` where it writes.

use chrono::{DateTime, Utc};

/// Newtype ids (diesel-newtype style): pgdrift cannot see through them, so
/// only existence and nullability are checked for these fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PersonId(pub i32);
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PostId(pub i32);
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommunityId(pub i32);
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LanguageId(pub i32);
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DbUrl(pub String);

/// A PostgreSQL enum, mapped by the project's enum derive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListingKind {
    All,
    Local,
    Subscribed,
}

#[derive(Clone, Debug, pgdrift::Model)]
#[diesel(table_name = person)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct Person {
    pub id: PersonId,
    pub name: String,
    #[diesel(sql_type = Nullable<Varchar>)]
    pub display_name: Option<String>,
    pub avatar: Option<DbUrl>,
    pub banned: bool,
    pub published: DateTime<Utc>,
    pub updated: Option<DateTime<Utc>>,
    pub actor_id: DbUrl,
    pub bio: Option<String>,
    pub local: bool,
    pub inbox_url: DbUrl,
    pub matrix_user_id: Option<String>,
    pub bot_account: bool,
    pub ban_expires: Option<DateTime<Utc>>,
    pub instance_id: i32,
}

/// The public part of a person, embedded in listings.
#[derive(Clone, Debug, pgdrift::Model)]
#[diesel(table_name = person)]
pub struct PersonSafe {
    pub id: PersonId,
    pub name: String,
    pub display_name: Option<String>,
    pub avatar: Option<DbUrl>,
    pub banned: bool,
    pub actor_id: DbUrl,
    pub local: bool,
    pub bot_account: bool,
}

#[derive(Clone, Debug, pgdrift::Model)]
#[diesel(table_name = person)]
#[pgdrift(insert)]
pub struct PersonInsertForm {
    pub name: String,
    pub display_name: Option<String>,
    pub avatar: Option<DbUrl>,
    pub banned: Option<bool>,
    pub published: Option<DateTime<Utc>>,
    pub actor_id: DbUrl,
    pub bio: Option<String>,
    pub local: Option<bool>,
    pub inbox_url: DbUrl,
    pub bot_account: Option<bool>,
    pub instance_id: i32,
}

#[derive(Clone, Debug, Default, pgdrift::Model)]
#[diesel(table_name = person)]
#[pgdrift(update)]
pub struct PersonUpdateForm {
    pub display_name: Option<Option<String>>,
    pub avatar: Option<Option<DbUrl>>,
    pub banned: Option<bool>,
    pub updated: Option<Option<DateTime<Utc>>>,
    pub bio: Option<Option<String>>,
    pub bot_account: Option<bool>,
    pub ban_expires: Option<Option<DateTime<Utc>>>,
}

#[derive(Clone, Debug, pgdrift::Model)]
#[diesel(table_name = post)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct Post {
    pub id: PostId,
    pub name: String,
    pub url: Option<DbUrl>,
    pub body: Option<String>,
    pub creator_id: PersonId,
    pub community_id: CommunityId,
    pub removed: bool,
    pub locked: bool,
    pub published: DateTime<Utc>,
    pub updated: Option<DateTime<Utc>>,
    pub deleted: bool,
    pub nsfw: bool,
    pub thumbnail_url: Option<DbUrl>,
    pub ap_id: DbUrl,
    pub language_id: LanguageId,
    pub featured_community: bool,
    #[diesel(sql_type = Array<Int4>)]
    pub tag_ids: Vec<i32>,
    #[diesel(sql_type = Nullable<Array<Nullable<Text>>>)]
    pub alt_texts: Option<Vec<Option<String>>>,
    pub listing: ListingKind,
}

#[derive(Clone, Debug, pgdrift::Model)]
#[diesel(table_name = post)]
#[pgdrift(insert)]
pub struct PostInsertForm<'a> {
    pub name: &'a str,
    pub url: Option<&'a str>,
    pub body: Option<&'a str>,
    pub creator_id: i32,
    pub community_id: i32,
    pub nsfw: Option<bool>,
    pub ap_id: &'a str,
    pub language_id: Option<i32>,
    pub tag_ids: &'a [i32],
    pub alt_texts: Option<&'a [&'a str]>,
}

#[derive(Clone, Debug, Default, pgdrift::Model)]
#[diesel(table_name = post)]
#[pgdrift(update)]
pub struct PostUpdateForm {
    pub name: Option<String>,
    pub url: Option<Option<DbUrl>>,
    pub body: Option<Option<String>>,
    pub removed: Option<bool>,
    pub locked: Option<bool>,
    pub updated: Option<Option<DateTime<Utc>>>,
    pub deleted: Option<bool>,
    pub nsfw: Option<bool>,
    pub tag_ids: Option<Vec<i32>>,
}

#[derive(Clone, Debug, pgdrift::Model)]
#[diesel(table_name = post_aggregates)]
#[diesel(primary_key(post_id))]
pub struct PostAggregates {
    pub post_id: PostId,
    pub comments: i64,
    pub score: i64,
    pub upvotes: i64,
    pub downvotes: i64,
    pub published: DateTime<Utc>,
    pub hot_rank: f64,
}

/// A listing row: a subset of the post, its creator embedded, its score
/// computed by the query. Reading a subset is a warning, not an error.
#[derive(Clone, Debug, pgdrift::Model)]
#[diesel(table_name = post)]
#[diesel(check_for_backend(diesel::pg::Pg))]
pub struct PostListing {
    pub id: PostId,
    pub name: String,
    pub url: Option<DbUrl>,
    pub published: DateTime<Utc>,
    #[diesel(embed)]
    pub creator: PersonSafe,
    #[diesel(select_expression = post_aggregates::score.nullable())]
    #[diesel(select_expression_type = Nullable<post_aggregates::score>)]
    pub score: Option<i64>,
}
