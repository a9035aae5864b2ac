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

fn main() {}
