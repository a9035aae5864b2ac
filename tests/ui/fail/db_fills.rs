//! `db_fills` acknowledges the columns a BEFORE INSERT row trigger fills:
//! no warning for them (`NewReply`), but an error once the table has no
//! such trigger enabled (`NewVote`: `votes`' are disabled or fire only while
//! replicating), for a name that is not a column, and without `insert`.
use pgdrift::Model;

#[derive(Model)]
#[pgdrift(table = "replies", insert, db_fills = "path, ap_id")]
pub struct NewReply {
    pub body: String,
    pub path: Option<String>,
}

#[derive(Model)]
#[pgdrift(table = "votes", insert, db_fills = "ap_id")]
pub struct NewVote {
    pub score: i32,
}

#[derive(Model)]
#[pgdrift(table = "replies", insert, db_fills = "path, apid")]
pub struct ReplyForm {
    pub body: String,
    pub ap_id: String,
}

#[derive(Model)]
#[pgdrift(table = "replies", update, db_fills = "path")]
pub struct ReplyChanges {
    pub body: Option<String>,
}

#[derive(Model)]
#[pgdrift(table = "replies", insert, db_fills = "path,, ap_id")]
pub struct ReplyDraft {
    pub body: String,
}

fn main() {}
