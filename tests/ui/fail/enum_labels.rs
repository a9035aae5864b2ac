#[derive(pgdrift::Enum)]
#[pgdrift(type_name = "media_kind")]
pub enum MediaKind {
    Photo,
    Audio,
    VoiceMemo,
    Gif,
}

fn main() {}
