//! Columns a BEFORE INSERT row trigger fills, acknowledged with `db_fills`:
//! no warning for them, left out or sent as `None`.
#![deny(deprecated)]

use pgdrift::Model;

#[derive(Model)]
#[pgdrift(table = "replies", insert, db_fills = "path, ap_id")]
pub struct NewReply {
    pub body: String,
}

#[derive(Model)]
#[pgdrift(table = "replies", insert, db_fills = "ap_id,path")]
pub struct ReplyForm {
    pub body: String,
    pub path: Option<String>,
    pub ap_id: Option<String>,
}

fn main() {
    assert_eq!(NewReply::INSERT_COLUMNS, "body");
    assert_eq!(ReplyForm::INSERT_COLUMNS, "body, path, ap_id");
}
