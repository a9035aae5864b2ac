//! Every diagnostic of `#[derive(Model)]`, with rustc's expected output
//! committed next to each case (`tests/ui/fail/*.stderr`). The cases compile
//! offline against `tests/fixtures/ui-schema.json` (made from
//! `tests/fixtures/ui-schema.sql`). After a deliberate change of a message,
//! `TRYBUILD=overwrite cargo test --test ui` rewrites the expected output.

#[test]
fn ui() {
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/ui-schema.json");
    // trybuild's cargo inherits these; this test binary runs nothing else.
    std::env::set_var("PGDRIFT_SNAPSHOT", fixture);
    std::env::set_var("PGDRIFT_OFFLINE", "true");
    std::env::remove_var("DATABASE_URL");
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/fail/*.rs");
}
