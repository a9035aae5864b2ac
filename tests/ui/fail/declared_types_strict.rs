use pgdrift::Model;

pub struct UserId(pub i64);

/// Each declared type is wrong for its column: the error is about the
/// declaration only, never that `UserId` cannot be checked.
#[derive(Model)]
#[pgdrift(table = "users", partial, strict)]
pub struct Declared {
    #[pgdrift(sql_type = "text")]
    pub id: UserId,
}

#[derive(Model)]
#[pgdrift(table = "users", partial, strict)]
pub struct DieselSqlType {
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub id: UserId,
}

#[derive(Model)]
#[pgdrift(table = "users", partial, strict)]
pub struct SqlxTryFrom {
    #[sqlx(try_from = "String")]
    pub id: UserId,
}

#[derive(Model)]
#[pgdrift(table = "users", partial, strict)]
pub struct SqlxJson {
    #[sqlx(json)]
    pub id: UserId,
}

fn main() {}
