use pgdrift::Model;

#[derive(Model)]
#[pgdrift(table = "orders", partial)]
pub struct Order {
    pub id: i64,
}

fn main() {}
