//! The example app: prints what pgdrift checked about each model.
//!
//! `cargo run -p example-app` builds against the committed snapshot
//! (`.pgdrift/schema.json`); with `DATABASE_URL` set it checks the live
//! database instead (the build script `build.rs` connects, the derives read
//! the schema it hands them).

use example_app::models::*;
use pgdrift::Model;

fn describe<M: Model>(struct_name: &str) {
    println!("{struct_name} → {}.{}", M::SCHEMA, M::TABLE);
    for column in M::COLUMNS {
        println!(
            "  {:<14} {:<26} {:<9} ← {}",
            column.name,
            column.sql_type,
            if column.nullable {
                "nullable"
            } else {
                "not null"
            },
            column.field
        );
    }
    println!(
        "  SELECT {} FROM {}.{}\n",
        M::SELECT_LIST,
        M::SCHEMA,
        M::TABLE
    );
}

fn main() {
    describe::<Role>("Role");
    describe::<User>("User");
    describe::<Session>("Session");
    describe::<MediaItem>("MediaItem");
    describe::<Album>("Album");
    describe::<AlbumItem>("AlbumItem");
    describe::<AlbumTitle>("AlbumTitle");
    describe::<AlbumSize>("AlbumSize");
}
