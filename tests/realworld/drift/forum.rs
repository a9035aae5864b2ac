//! The forum corpus, unchanged, against the drifted schema (drift.sql): every
//! drift is caught at the field or struct it breaks.
include!("../models/forum.rs");

fn main() {}
