//! The fields declared as the primary key (`#[pgdrift(primary_key)]`, or
//! diesel's `primary_key(…)`) against the table's primary key.
use pgdrift::Model;

/// `member_id` is in the key but not marked; `role` is marked but not in it.
#[derive(Model)]
#[pgdrift(table = "team_members")]
pub struct Member {
    #[pgdrift(primary_key)]
    pub team_id: i64,
    pub member_id: i64,
    #[pgdrift(primary_key)]
    pub role: String,
}

/// diesel's key names `role`, and no field maps `member_id`: no key of the
/// table is (team_id, role), so warnings.
#[derive(Model)]
#[diesel(table_name = team_members, primary_key(team_id, role))]
#[pgdrift(partial)]
pub struct MemberRow {
    pub team_id: i64,
    pub role: String,
}

#[derive(Model)]
#[pgdrift(table = "page_hits")]
pub struct PageHit {
    #[pgdrift(primary_key)]
    pub path: String,
    pub hit_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Model)]
#[pgdrift(table = "published_posts", partial)]
pub struct PublishedPost {
    #[pgdrift(primary_key)]
    pub id: Option<i64>,
}

fn main() {}
