use chrono::{DateTime, Utc};
use pgdrift::Model;

#[derive(Model)]
#[pgdrift(schema = "app", table = "orders", rename_all = "camelCase", partial)]
pub struct Order {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    /// camelCase gives "shipped_on" → "shippedOn", which does not exist.
    pub shipped_on: Option<DateTime<Utc>>,
}

fn main() {}
