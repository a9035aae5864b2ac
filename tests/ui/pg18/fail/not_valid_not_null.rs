use pgdrift::Model;

// `region` has a NOT NULL constraint that is NOT VALID: rows from before it
// may still hold NULL, so reading it needs an `Option`.
#[derive(Model)]
#[pgdrift(table = "accounts", partial)]
pub struct Account {
    pub id: i64,
    pub region: String,
}

fn main() {}
