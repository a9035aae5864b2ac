use pgdrift::Model;

/// Quoted names are exact: `"routingapproach"` is not `"RoutingApproach"`.
#[derive(pgdrift::Enum)]
#[pgdrift(type_name = "\"routingApproach\"")]
pub enum RoutingApproach {
    Direct,
    #[pgdrift(rename = "via hub")]
    ViaHub,
}

/// An unclosed quote says where.
#[derive(pgdrift::Enum)]
#[pgdrift(type_name = "public.\"RoutingApproach")]
pub enum Unclosed {
    Direct,
}

pub struct Raw;

/// The help's suggestion is a valid Rust string literal.
#[derive(Model)]
#[pgdrift(table = "routes", partial)]
pub struct Route {
    pub id: i64,
    #[pgdrift(sql_type = "\"routingapproach\"")]
    pub approach: Raw,
}

/// A hand-written SQL type is read as PostgreSQL reads it: quoted, exact.
pub struct Kind;

impl pgdrift::SqlType for Kind {
    const SQL_TYPE: &'static str = "\"Media_Kind\"";
}

#[derive(Model)]
#[pgdrift(table = "media", partial)]
pub struct Media {
    pub id: i64,
    pub kind: Kind,
}

fn main() {}
