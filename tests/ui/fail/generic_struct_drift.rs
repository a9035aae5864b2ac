//! A generic struct's fields whose types name none of its parameters are
//! checked as in any struct: an enum or newtype that does not fit its
//! column is an error on the field.
use pgdrift::Model;

#[derive(Clone)]
pub struct NoId;

#[derive(pgdrift::Enum)]
#[pgdrift(rename_all = "lowercase")]
pub enum Mood {
    Sad,
    Ok,
    Happy,
}

#[derive(pgdrift::SqlType)]
pub struct Views(pub i64);

#[derive(pgdrift::SqlType)]
#[pgdrift(sql_type = "int4")]
pub struct Email(pub String);

#[derive(Model)]
#[pgdrift(table = "media", partial)]
pub struct Media<'a, I = NoId>
where
    I: Clone,
{
    pub id: I,
    pub title: &'a str,
    pub kind: Mood,
    pub kinds: Vec<Mood>,
    pub views: Views,
    pub owner_email: Option<Email>,
}

fn main() {}
