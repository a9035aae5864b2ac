use pgdrift::Model;

#[derive(Model)]
#[pgdrift(table = "user", strict)]
pub struct Keyworded {
    pub id: i64,
}

fn main() {}
