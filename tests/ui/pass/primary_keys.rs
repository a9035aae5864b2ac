//! Primary keys declared as the table has them. (`renamed_from` has no
//! clean state: a pending rename is an error, a done one a warning, both in
//! `fail/renamed_from.rs`.)
use pgdrift::Model;

#[derive(Model)]
#[pgdrift(table = "team_members")]
pub struct Member {
    #[pgdrift(primary_key)]
    pub team_id: i64,
    #[pgdrift(primary_key)]
    pub member_id: i64,
    pub role: String,
}

/// diesel's key, in its own order.
#[derive(Model)]
#[diesel(table_name = team_members, primary_key(member_id, team_id))]
pub struct MemberRow {
    pub team_id: i64,
    pub member_id: i64,
    pub role: String,
}

/// diesel needs a key for a view, so one on a view is not checked.
#[derive(Model)]
#[diesel(table_name = published_posts, primary_key(title))]
pub struct PublishedPost {
    pub id: Option<i64>,
    pub author_id: Option<i64>,
    pub title: Option<String>,
}

/// diesel's default key (`id`) declares nothing: a table without a primary
/// key is fine.
#[derive(Model)]
#[diesel(table_name = page_hits)]
pub struct PageHit {
    pub path: String,
    pub hit_at: chrono::DateTime<chrono::Utc>,
}

/// diesel's key only says the columns identify a row: a unique key that is
/// not the primary key does too.
#[derive(Model)]
#[diesel(table_name = page_hits, primary_key(path, hit_at))]
pub struct PageHitRow {
    pub path: String,
    pub hit_at: chrono::DateTime<chrono::Utc>,
}

fn main() {}
