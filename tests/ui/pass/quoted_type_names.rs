//! A type created with a quoted name (`CREATE TYPE "RoutingApproach" …`)
//! is named as PostgreSQL names it — quoted, or qualified — and, since no
//! type is called `routingapproach`, also as diesel and sqlx users write it,
//! unquoted.

use pgdrift::{Model, SqlType};

/// Unquoted, as diesel's `print-schema` users write it.
#[derive(pgdrift::Enum)]
#[pgdrift(type_name = "RoutingApproach")]
pub enum RoutingApproach {
    Direct,
    #[pgdrift(rename = "via hub")]
    ViaHub,
}

/// Quoted, in sqlx's attribute.
#[derive(pgdrift::Enum)]
#[sqlx(type_name = "\"RoutingApproach\"")]
pub enum Quoted {
    #[sqlx(rename = "direct")]
    Direct,
    #[sqlx(rename = "via hub")]
    ViaHub,
}

/// Qualified and quoted.
#[derive(pgdrift::Enum)]
#[pgdrift(type_name = "public.\"RoutingApproach\"")]
pub enum Qualified {
    Direct,
    #[pgdrift(rename = "via hub")]
    ViaHub,
}

/// By hand, unquoted.
pub struct ByHand;

impl SqlType for ByHand {
    const SQL_TYPE: &'static str = "RoutingApproach";
}

/// A newtype whose SQL type is written quoted.
#[derive(pgdrift::SqlType)]
#[pgdrift(sql_type = "\"RoutingApproach\"")]
pub struct Wrapped(pub String);

/// pgdrift knows nothing of it: the declared type is checked.
pub struct Raw;

#[derive(Model)]
#[pgdrift(table = "routes", strict)]
pub struct Route {
    pub id: i64,
    pub approach: RoutingApproach,
    pub fallback: Option<Quoted>,
}

#[derive(Model)]
#[pgdrift(table = "routes", strict)]
pub struct RouteByHand {
    pub id: i64,
    pub approach: ByHand,
    pub fallback: Option<Qualified>,
}

#[derive(Model)]
#[pgdrift(table = "routes", strict)]
pub struct RouteDeclared {
    pub id: i64,
    #[pgdrift(sql_type = "RoutingApproach")]
    pub approach: Raw,
    #[pgdrift(sql_type = "public.\"RoutingApproach\"")]
    pub fallback: Option<Wrapped>,
}

fn main() {}
