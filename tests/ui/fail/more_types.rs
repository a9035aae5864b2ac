//! The types beyond the basic table are checked too.
use pgdrift::Model;

#[derive(Model)]
#[pgdrift(table = "measurements", partial)]
pub struct Measurement {
    pub took: String,
    pub price: f64,
    pub valid: PgRange<i64>,
    pub mac: Option<String>,
    pub search: Option<String>,
    pub at_local: Option<std::time::SystemTime>,
}

pub struct PgRange<T>(T);

fn main() {}
