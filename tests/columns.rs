//! `Model::COLUMNS` as the derive writes it: one text decoded at compile
//! time by `__private::columns`.

use pgdrift::__private::columns;
use pgdrift::Column;

const DECODED: &[Column] = &columns::<4>(
    "2:id2:id6:bigint07:Größe7:groesse21:character varying(32)10:4:kind0:03:9:x1:x4:text1",
);

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
            // Digits and colons in a name are text like any other.
            Column {
                name: "9:x",
                field: "x",
                sql_type: "text",
                nullable: true
            },
        ]
    );
}

#[test]
fn no_columns() {
    const NONE: &[Column] = &columns::<0>("");
    assert!(NONE.is_empty());
}
