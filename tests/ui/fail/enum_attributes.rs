#[derive(pgdrift::Enum)]
#[pgdrift(type_nam = "mood", rename = "x")]
pub enum Mood {
    #[pgdrift(rename_all = "lowercase")]
    Sad,
    Ok(i32),
    Happy,
}

fn main() {}
