// Article-site models in the style of a sqlx web service: tables named
// after the struct, `rename` and `rename_all`, a json column read through
// `#[sqlx(json)]`, counts that only some queries select (`#[sqlx(default)]`),
// `time` timestamps through sqlx's re-export.

use sqlx::types::time::OffsetDateTime;
use uuid::Uuid;

/// What the json column holds; pgdrift does not look inside it.
#[derive(Clone, Debug, Default)]
pub struct ArticleMeta {
    pub reading_minutes: u32,
}

#[derive(Clone, Debug, pgdrift::Model)]
pub struct User {
    pub user_id: Uuid,
    pub username: String,
    pub email: String,
    pub bio: String,
    pub image: Option<String>,
    pub password_hash: String,
    pub created_at: OffsetDateTime,
    pub updated_at: Option<OffsetDateTime>,
}

#[derive(Clone, Debug, pgdrift::Model)]
#[sqlx(rename_all = "snake_case")]
pub struct Article {
    pub article_id: Uuid,
    #[sqlx(rename = "user_id")]
    pub author_id: Uuid,
    pub slug: String,
    pub title: String,
    pub description: String,
    pub body: String,
    pub tag_list: Vec<String>,
    #[sqlx(json)]
    pub metadata: ArticleMeta,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
    #[sqlx(default)]
    pub favorites_count: i64,
    #[sqlx(default)]
    pub favorited: bool,
}

#[derive(Clone, Debug, pgdrift::Model)]
#[pgdrift(table = "article", insert)]
pub struct NewArticle<'a> {
    pub user_id: Uuid,
    pub slug: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub body: &'a str,
    pub tag_list: &'a [String],
}

#[derive(Clone, Debug, Default, pgdrift::Model)]
#[pgdrift(table = "article", update)]
pub struct ArticleChanges {
    pub slug: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub body: Option<String>,
    pub updated_at: Option<OffsetDateTime>,
}

#[derive(Clone, Debug, pgdrift::Model)]
pub struct ArticleFavorite {
    pub article_id: Uuid,
    pub user_id: Uuid,
    pub created_at: OffsetDateTime,
}

/// Stand-ins for sqlx's re-exports: types match by path.
mod sqlx {
    pub mod types {
        pub mod time {
            #[derive(Clone, Copy, Debug)]
            pub struct OffsetDateTime;
        }
    }
}

/// A stand-in for `uuid::Uuid`: types match by path.
mod uuid {
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct Uuid;
}
