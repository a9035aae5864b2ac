//! A corpus of models written the way three kinds of public Rust services
//! write theirs (a diesel forum, two sqlx services), in
//! `tests/realworld/models/`. Each struct carries only what sqlx or diesel
//! already need, plus `#[pgdrift(insert | update | table = …)]` where
//! nothing else says it. The same structs are compiled against the schema
//! (`tests/realworld/schema.sql`: clean but for documented subset warnings)
//! and against the schema after `tests/realworld/drift.sql` (every drift
//! caught). `TRYBUILD=overwrite cargo test --test realworld` rewrites the
//! expected output.

#[test]
fn realworld_corpus() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/realworld");
    // trybuild's cargo inherits these; this test binary runs nothing else,
    // and the two sets run one after the other.
    std::env::set_var("PGDRIFT_OFFLINE", "true");
    std::env::remove_var("DATABASE_URL");
    std::env::set_var("PGDRIFT_SNAPSHOT", format!("{dir}/schema.json"));
    trybuild::TestCases::new().compile_fail("tests/realworld/clean/*.rs");
    std::env::set_var("PGDRIFT_SNAPSHOT", format!("{dir}/drift.json"));
    trybuild::TestCases::new().compile_fail("tests/realworld/drift/*.rs");
}
