//! Warnings of writing structs: a BEFORE INSERT row trigger may fill a
//! required column, and `read, insert` takes the stricter rule of the two.
//! The error at the end only makes trybuild show the compiler's output.
use pgdrift::Model;

#[derive(Model)]
#[pgdrift(table = "audit_entries", insert)]
pub struct AuditEntry {
    pub action: String,
}

#[derive(Model)]
#[pgdrift(table = "audit_entries", insert)]
pub struct NewAudit {
    pub action: String,
    pub actor: Option<String>,
}

#[derive(Model)]
#[pgdrift(table = "posts", read, insert, partial)]
pub struct PostRow {
    pub author_id: i64,
    pub title: String,
    pub body: Option<String>,
}

fn main() {
    let _: () = "shows the warnings above";
}
