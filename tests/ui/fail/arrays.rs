//! Array columns: the element type is checked in every array form, and the
//! help names the forms that fit.
use pgdrift::Model;

#[derive(Model)]
#[pgdrift(table = "posts", partial)]
pub struct Arrays<'a> {
    pub tag_ids: &'a [i64],
    pub labels: Option<Vec<Option<i32>>>,
    pub title: Vec<String>,
    pub body: Box<[u8]>,
}

fn main() {}
