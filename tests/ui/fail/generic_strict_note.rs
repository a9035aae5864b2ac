//! Under `strict`, a field whose type names a parameter of the struct
//! cannot be checked at compile time: a note says so (a warning, the one
//! diagnostic a derive can raise on stable Rust). The error below only
//! makes trybuild show the compiler's output.
use pgdrift::Model;

#[derive(Model)]
#[pgdrift(table = "users", partial, strict)]
pub struct User<I = i64, T = String> {
    pub id: I,
    pub nickname: Option<T>,
    pub email: String,
}

fn main() {
    let _: () = "shows the note above";
}
