//! Enums, newtypes and a composite type that agree with the schema, in
//! every attribute style the derives read.

use pgdrift::{Model, SqlType};

/// pgdrift's own attributes.
#[derive(pgdrift::Enum)]
#[pgdrift(type_name = "media_kind", rename_all = "lowercase")]
pub enum MediaKind {
    Photo,
    Video,
    Audio,
    #[pgdrift(rename = "voice memo")]
    VoiceMemo,
}

/// sqlx's attributes: the labels are the variant names unless renamed.
#[derive(pgdrift::Enum)]
#[sqlx(type_name = "mood")]
pub enum SqlxMood {
    #[sqlx(rename = "sad")]
    Sad,
    #[sqlx(rename = "ok")]
    Ok,
    #[sqlx(rename = "happy")]
    Happy,
}

/// diesel-derive-enum's attributes: the type from the path's last segment
/// in snake_case, labels in snake_case.
#[derive(pgdrift::Enum)]
#[ExistingTypePath = "crate::schema::sql_types::MediaKind"]
pub enum DieselMediaKind {
    Photo,
    Video,
    Audio,
    #[db_rename = "voice memo"]
    VoiceMemo,
}

/// With no type name, the enum's name in snake_case; another schema is
/// named in `type_name`.
#[derive(pgdrift::Enum)]
#[pgdrift(type_name = "app.status")]
pub enum Status {
    Draft,
    Published,
}

/// The SQL type written out; `text` fits a `varchar` column and a domain
/// over `text`.
#[derive(pgdrift::SqlType)]
#[pgdrift(sql_type = "text")]
pub struct Email(pub String);

/// The inner type's SQL type, from the type table.
#[derive(pgdrift::SqlType)]
pub struct Title(pub String);

/// sqlx's transparent newtype.
#[derive(pgdrift::SqlType)]
#[sqlx(transparent)]
pub struct Views(pub i32);

/// diesel's newtype idiom (`AsExpression` + `FromSqlRow`): the SQL type
/// from `#[diesel(sql_type = …)]`, whatever the inner type.
#[derive(pgdrift::SqlType)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub struct DbUrl(pub Box<Opaque>);

/// A newtype over a type with its own `SqlType`.
#[derive(pgdrift::SqlType)]
pub struct Headline {
    pub title: Title,
}

/// By hand, for the composite type.
pub struct Address;

impl SqlType for Address {
    const SQL_TYPE: &'static str = "address";
}

/// pgdrift knows nothing of this type: not checked, and not an error.
pub struct Opaque;

#[derive(Model)]
#[pgdrift(table = "media")]
pub struct Media {
    pub id: i64,
    pub kind: MediaKind,
    pub kinds: Vec<DieselMediaKind>,
    pub title: Headline,
    pub owner_email: Option<Email>,
    pub ship_to: Option<Address>,
    pub views: Views,
    pub status: Status,
}

#[derive(Model)]
#[pgdrift(table = "media", partial)]
pub struct MediaDeclared {
    pub id: i64,
    pub kind: Opaque,
    #[pgdrift(sql_type = "address")]
    pub ship_to: Option<Opaque>,
    #[pgdrift(sql_type = "email_address")]
    pub owner_email: Option<Email>,
}

#[derive(Model)]
#[pgdrift(table = "users", partial)]
pub struct UserMood {
    pub id: i64,
    pub mood: Option<SqlxMood>,
    pub nickname: Option<DbUrl>,
}

/// References to custom types, as diesel's insert structs borrow them:
/// checked as the types they refer to, under `strict` too.
#[derive(Model)]
#[pgdrift(table = "media", partial, strict)]
pub struct MediaRef<'a> {
    pub kind: &'a MediaKind,
    pub kinds: &'a [DieselMediaKind],
    pub owner_email: Option<&'a Email>,
    pub views: &'static Views,
}

fn main() {
    assert_eq!(MediaKind::SQL_TYPE, "media_kind");
    assert_eq!(DieselMediaKind::SQL_TYPE, "media_kind");
    assert_eq!(SqlxMood::SQL_TYPE, "mood");
    assert_eq!(Status::SQL_TYPE, "app.status");
    assert_eq!(Email::SQL_TYPE, "text");
    assert_eq!(Title::SQL_TYPE, "text");
    assert_eq!(Views::SQL_TYPE, "int4");
    assert_eq!(DbUrl::SQL_TYPE, "text");
    assert_eq!(Headline::SQL_TYPE, "text");
    assert_eq!(Media::COLUMNS[1].sql_type, "public.media_kind");
}
