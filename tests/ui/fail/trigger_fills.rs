//! Only a BEFORE INSERT row trigger can fill a new row's columns: on a table
//! with such triggers an insert struct that leaves a required column out, or
//! sends `None` for it, gets a warning naming every one of them; triggers
//! that fire after the insert, once per statement or on update fill nothing,
//! nor do disabled or replica-only ones, so on a table with only those
//! (`votes`) it is an error.
use pgdrift::Model;

#[derive(Model)]
#[pgdrift(table = "replies", insert)]
pub struct NewReply {
    pub body: String,
    pub path: String,
}

#[derive(Model)]
#[pgdrift(table = "replies", insert)]
pub struct ReplyForm {
    pub body: String,
    pub path: String,
    pub ap_id: Option<String>,
}

/// `db_fills` acknowledges `path`; `ap_id` still gets the warning.
#[derive(Model)]
#[pgdrift(table = "replies", insert, db_fills = "path")]
pub struct ReplyDraft {
    pub body: String,
}

#[derive(Model)]
#[pgdrift(table = "votes", insert)]
pub struct NewVote {
    pub score: i32,
}

#[derive(Model)]
#[pgdrift(table = "votes", insert)]
pub struct VoteForm {
    pub score: i32,
    pub ap_id: Option<String>,
}

fn main() {}
