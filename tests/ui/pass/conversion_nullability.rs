//! A conversion type (`deserialize_as`, `serialize_as`, `try_from`) takes
//! the field's place in the type check only: an `Option` field reads a
//! nullable column whatever the conversion type is.

use pgdrift::Model;

/// diesel's idiom for a nullable array read through a wrapper.
pub struct OptionalDieselArray<T>(pub Option<Vec<T>>);

pub struct Label(pub String);
pub struct Score(pub i32);
pub struct Years(pub i32);

#[derive(Model)]
#[pgdrift(table = "posts", partial)]
pub struct PostLabels {
    pub id: i64,
    #[diesel(deserialize_as = OptionalDieselArray<_>)]
    pub labels: Option<Vec<Label>>,
}

#[derive(Model)]
#[pgdrift(table = "users", partial)]
pub struct UserNumbers {
    pub id: i64,
    #[diesel(serialize_as = Vec<i32>)]
    pub scores: Option<Vec<Score>>,
    #[sqlx(try_from = "i32")]
    pub age: Option<Years>,
}

fn main() {}
