use pgdrift::Model;

#[derive(Model)]
pub struct Pair(i64, String);

#[derive(Model)]
pub enum Mood {
    Sad,
}

fn main() {}
