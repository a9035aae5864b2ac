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

#[derive(pgdrift::Enum)]
#[pgdrift(type_name = "media_kind")]
pub enum Kind {
    Photo,
    Video,
    Audio,
    #[pgdrift(rename = "voice memo")]
    VoiceMemo,
}

/// A pending rename's old column is probed as the field's column too.
#[derive(Model)]
#[pgdrift(table = "users", partial)]
pub struct UserFeeling {
    #[pgdrift(renamed_from = "mood")]
    pub feeling: Option<Kind>,
}

fn main() {}
