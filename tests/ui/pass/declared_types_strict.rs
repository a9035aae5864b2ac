//! Under `strict`, a field whose SQL type is declared — by pgdrift's
//! `sql_type`, diesel's `sql_type`, `deserialize_as` or `serialize_as`,
//! sqlx's `try_from` or `json` — is checked through that declaration; its
//! own type is not probed, so it needs no `SqlType`.

use pgdrift::Model;

/// No `SqlType`: pgdrift cannot see through it.
pub struct UserId(pub i64);

/// A `SqlType` that disagrees with the column: not probed, since the
/// field declares the type it is read as.
pub struct Tagged(pub i64);

impl pgdrift::SqlType for Tagged {
    const SQL_TYPE: &'static str = "text";
}

pub struct Prefs;

#[derive(Model)]
#[pgdrift(table = "users", partial, strict)]
pub struct Declared {
    #[pgdrift(sql_type = "bigint")]
    pub id: Tagged,
}

#[derive(Model)]
#[pgdrift(table = "users", partial, strict)]
pub struct DieselSqlType {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub id: UserId,
}

#[derive(Model)]
#[pgdrift(table = "users", partial, strict)]
pub struct DieselDeserializeAs {
    #[diesel(deserialize_as = i64)]
    pub id: UserId,
}

#[derive(Model)]
#[pgdrift(table = "users", partial, strict)]
pub struct DieselSerializeAs {
    #[diesel(serialize_as = i64)]
    pub id: Tagged,
}

#[derive(Model)]
#[pgdrift(table = "users", partial, strict)]
pub struct SqlxTryFrom {
    #[sqlx(try_from = "i64")]
    pub id: UserId,
}

#[derive(Model)]
#[pgdrift(table = "measurements", partial, strict)]
pub struct SqlxJson {
    pub id: i64,
    #[sqlx(json)]
    pub meta: Option<Prefs>,
}

fn main() {}
