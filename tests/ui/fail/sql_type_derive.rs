#[derive(pgdrift::SqlType)]
pub struct Pair(i32, i32);

#[derive(pgdrift::SqlType)]
pub enum Kind {
    A,
}

#[derive(pgdrift::SqlType)]
#[pgdrift(sql_typ = "text")]
pub struct Email(String);

pub struct Opaque;

#[derive(pgdrift::SqlType)]
pub struct Wrapper(Opaque);

fn main() {}
