//! `Model::COLUMNS` as the derive writes it: one text decoded at compile
//! time by `__private::columns`.

use pgdrift::__private::columns;
use pgdrift::Column;

const DECODED: &[Column] =
    &columns::<3>("id\x00id\x00bigint\x000\x00Größe\x00groesse\x00character varying(32)\x001\x00\x00kind\x00\x000\x00");

#[test]
fn columns_decode_every_part() {
    assert_eq!(
        DECODED,
        &[
            Column {
                name: "id",
                field: "id",
                sql_type: "bigint",
                nullable: false
            },
            Column {
                name: "Größe",
                field: "groesse",
                sql_type: "character varying(32)",
                nullable: true,
            },
            // An unknown column's type is empty.
            Column {
                name: "",
                field: "kind",
                sql_type: "",
                nullable: false
            },
        ]
    );
}

#[test]
fn no_columns() {
    const NONE: &[Column] = &columns::<0>("");
    assert!(NONE.is_empty());
}
