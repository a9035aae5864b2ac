use pgdrift::Model;

pub struct Years(pub i32);

/// The field holds the value: not an `Option`, it cannot hold the NULL a
/// nullable column may send, whatever it is converted from.
#[derive(Model)]
#[pgdrift(table = "users", partial)]
pub struct User {
    pub id: i64,
    #[diesel(deserialize_as = i32)]
    pub age: Years,
}

fn main() {}
