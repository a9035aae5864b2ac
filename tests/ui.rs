//! Every diagnostic of `#[derive(Model)]`, with rustc's expected output
//! committed next to each case (`tests/ui/fail/*.stderr`). The cases compile
//! offline against `tests/fixtures/ui-schema.json` (made from
//! `tests/fixtures/ui-schema.sql`); those under `tests/ui/pg18/` against
//! `tests/fixtures/ui-schema-18.json`, a schema only PostgreSQL 18 and newer
//! can hold (a virtual generated column, a NOT VALID NOT NULL constraint).
//! After a deliberate change of a message, `TRYBUILD=overwrite cargo test
//! --test ui` rewrites the expected output.

fn run(snapshot: &str, dir: &str) {
    let fixture = format!("{}/tests/fixtures/{snapshot}", env!("CARGO_MANIFEST_DIR"));
    // trybuild's cargo inherits these; this test binary runs nothing else,
    // and each set of cases has run when `cases` is dropped.
    std::env::set_var("PGDRIFT_SNAPSHOT", fixture);
    std::env::set_var("PGDRIFT_OFFLINE", "true");
    std::env::remove_var("DATABASE_URL");
    let cases = trybuild::TestCases::new();
    cases.pass(format!("{dir}/pass/*.rs"));
    cases.compile_fail(format!("{dir}/fail/*.rs"));
}

#[test]
fn ui() {
    run("ui-schema.json", "tests/ui");
    run("ui-schema-18.json", "tests/ui/pg18");
}
