#[derive(pgdrift::Enum)]
pub enum MediaKinds {
    Photo,
}

#[derive(pgdrift::Enum)]
#[sqlx(type_name = "email_address")]
pub enum Email {
    Work,
}

fn main() {}
