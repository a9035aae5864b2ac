//! Columns no field maps are a warning: reading a subset is valid. The
//! error at the end only makes trybuild show the compiler's output.
use chrono::{DateTime, Utc};
use pgdrift::Model;

#[derive(Model)]
#[pgdrift(table = "users")]
pub struct User {
    pub id: i64,
    pub email: String,
    pub pw_hashed: String,
    pub tags: Vec<String>,
    pub created_at: DateTime<Utc>,
}

fn main() {
    let _: () = "shows the warning above";
}
