use pgdrift::Model;

// Reading a virtual generated column is fine, and a NOT VALID NOT NULL
// column reads into an `Option`.
#[derive(Model)]
#[pgdrift(table = "accounts")]
pub struct Account {
    pub id: i64,
    pub balance_cents: i64,
    pub balance_units: Option<i64>,
    pub region: Option<String>,
    pub owner: String,
}

fn main() {}
