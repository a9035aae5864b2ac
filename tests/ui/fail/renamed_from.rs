//! `renamed_from` against the database: a rename that is done (a warning,
//! an error under `strict`), one that is pending (the old column is checked
//! as the field's), and one whose old column does not exist either.
use pgdrift::Model;

#[derive(Model)]
#[pgdrift(table = "users", partial)]
pub struct UserDone {
    #[pgdrift(renamed_from = "nick")]
    pub nickname: Option<String>,
}

#[derive(Model)]
#[pgdrift(table = "users", partial, strict)]
pub struct UserDoneStrict {
    #[pgdrift(renamed_from = "nick")]
    pub nickname: Option<String>,
}

#[derive(Model)]
#[pgdrift(table = "users", partial)]
pub struct UserPending {
    #[pgdrift(renamed_from = "nickname")]
    pub display_name: String,
}

#[derive(Model)]
#[pgdrift(table = "users", partial)]
pub struct UserNeither {
    #[pgdrift(renamed_from = "nicknam")]
    pub handle: Option<String>,
}

fn main() {}
