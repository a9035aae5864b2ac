//! Generic structs are checked like any other: enum and newtype fields
//! through their `SqlType`, whatever the struct's parameters, lifetimes
//! and where clause.

use pgdrift::Model;

#[derive(pgdrift::Enum)]
#[pgdrift(type_name = "media_kind", rename_all = "lowercase")]
pub enum MediaKind {
    Photo,
    Video,
    Audio,
    #[pgdrift(rename = "voice memo")]
    VoiceMemo,
}

#[derive(pgdrift::Enum)]
#[pgdrift(type_name = "app.status")]
pub enum Status {
    Draft,
    Published,
}

#[derive(pgdrift::SqlType)]
#[pgdrift(sql_type = "text")]
pub struct Email(pub String);

#[derive(pgdrift::SqlType)]
pub struct Views(pub i32);

#[derive(Clone, Copy)]
pub struct NoId;

#[derive(Model)]
#[pgdrift(table = "media", partial)]
pub struct Media<'a, I = NoId>
where
    I: Copy,
{
    pub id: I,
    pub kind: MediaKind,
    pub kinds: Vec<MediaKind>,
    pub title: &'a str,
    pub owner_email: Option<Email>,
    pub views: Views,
    pub status: Status,
}

/// Strict, with every field checkable: no note, no error.
#[derive(Model)]
#[pgdrift(table = "media", partial, strict)]
pub struct StrictMedia<'a> {
    pub id: i64,
    pub kind: MediaKind,
    pub title: &'a str,
    pub status: Status,
}

fn main() {}
