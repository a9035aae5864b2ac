//! The forum corpus against its schema: no errors, and no warnings but the
//! documented ones for structs that read a subset of the columns. The
//! error at the end only makes trybuild show every warning.
include!("../models/forum.rs");

fn main() {
    let _: () = "shows every warning above";
}
