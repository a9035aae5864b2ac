#[derive(pgdrift::Model)]
pub struct Address {
    pub street: String,
    pub city: String,
}

fn main() {}
