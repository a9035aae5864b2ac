#[derive(pgdrift::SqlType)]
pub struct Views(pub i64);

#[derive(pgdrift::SqlType)]
#[pgdrift(sql_type = "int4")]
pub struct Email(pub String);

#[derive(pgdrift::Enum)]
#[pgdrift(rename_all = "lowercase")]
pub enum Mood {
    Sad,
    Ok,
    Happy,
}

#[derive(pgdrift::Model)]
#[pgdrift(table = "media", partial)]
pub struct Media {
    pub id: i64,
    pub views: Views,
    pub owner_email: Option<Email>,
    pub kinds: Vec<Mood>,
}

/// A reference is checked as the type it refers to.
#[derive(pgdrift::Model)]
#[pgdrift(table = "media", partial)]
pub struct MediaRef<'a> {
    pub views: &'a Views,
    pub owner_email: Option<&'a Email>,
    pub kinds: &'a [Mood],
}

/// diesel's newtype idiom: the SQL type its `sql_type` names.
#[derive(pgdrift::SqlType)]
#[diesel(sql_type = diesel::sql_types::BigInt)]
pub struct Count(pub i32);

#[derive(pgdrift::Model)]
#[pgdrift(table = "media", partial)]
pub struct MediaCount {
    pub views: Count,
}

fn main() {}
