//! Arrays in every form a client accepts, and the types beyond the basic
//! table, written with the paths their crates (and sqlx's re-exports) use.

use pgdrift::Model;

#[derive(Model)]
#[pgdrift(table = "posts", partial)]
pub struct Arrays<'a> {
    pub tag_ids: &'a [i32],
    pub labels: Option<&'a [&'a str]>,
}

#[derive(Model)]
#[pgdrift(table = "posts", partial)]
pub struct MoreArrays<'a> {
    pub tag_ids: Box<[i32]>,
    pub labels: Option<&'a [Option<&'a str>]>,
}

#[derive(Model)]
#[pgdrift(table = "posts", partial)]
pub struct OwnedArrays {
    pub tag_ids: Vec<Option<i32>>,
    pub labels: Option<Box<[Option<String>]>>,
}

#[derive(Model)]
#[pgdrift(table = "measurements")]
pub struct Measurement {
    pub id: i64,
    pub took: sqlx::postgres::types::PgInterval,
    pub price: sqlx::postgres::types::PgMoney,
    pub valid: sqlx::postgres::types::PgRange<i32>,
    pub during: Option<(Bound<chrono::DateTime<chrono::Utc>>, Bound<chrono::DateTime<chrono::Utc>>)>,
    pub mac: Option<[u8; 6]>,
    pub flags: Option<bit_vec::BitVec>,
    pub mask: Option<sqlx::types::BitVec>,
    pub doc: Option<String>,
    pub search: Option<diesel_full_text_search::TsVector>,
    pub at_local: Option<jiff::civil::DateTime>,
    pub at: Option<std::time::SystemTime>,
    pub day: Option<jiff::civil::Date>,
    pub clock: Option<jiff::civil::Time>,
    pub meta: Option<sqlx::types::JsonValue>,
}

#[derive(Model)]
#[pgdrift(table = "measurements", partial)]
pub struct Other {
    pub id: i64,
    pub took: chrono::Duration,
    pub mac: Option<sqlx::types::mac_address::MacAddress>,
    pub at: Option<jiff::Timestamp>,
    pub during: Option<sqlx::postgres::types::PgRange<sqlx::types::chrono::DateTime<sqlx::types::chrono::Utc>>>,
}

use std::ops::Bound;

/// Stand-ins: types match by path, so these play the crates' types.
mod sqlx {
    pub mod postgres {
        pub mod types {
            pub struct PgInterval;
            pub struct PgMoney;
            pub struct PgRange<T>(pub T);
        }
    }
    pub mod types {
        pub use chrono;
        pub struct BitVec;
        pub struct JsonValue;
        pub mod mac_address {
            pub struct MacAddress;
        }
    }
}
mod bit_vec {
    pub struct BitVec;
}
mod diesel_full_text_search {
    pub struct TsVector;
}
mod jiff {
    pub struct Timestamp;
    pub mod civil {
        pub struct DateTime;
        pub struct Date;
        pub struct Time;
    }
}

fn main() {
    assert_eq!(Measurement::COLUMNS.len(), 15);
    let _ = (Arrays::SELECT_LIST, MoreArrays::SELECT_LIST, OwnedArrays::SELECT_LIST, Other::SELECT_LIST);
}
