//! `schema-check generate-models` against a real PostgreSQL: the output is
//! rustfmt-clean and builds with the derive, with no error and no warning,
//! on the fixture schema and on a generated 1,000-table schema.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Instant;

use schema_check::testing::{self, TestDatabase};
use schema_check::{introspect, snapshot};

use crate::krate::{stderr as build_stderr, TestCrate};
use crate::{schema_check, stderr, stdout, FIXTURE};

/// Names that are no Rust identifiers, keywords, comments that try to
/// break out of a doc comment, and enum labels that need `rename`.
const AWKWARD: &str = r#"
    CREATE TYPE "Media Kind" AS ENUM ('photo', 'Video', 'voice memo', 'self', '2x');
    COMMENT ON TYPE "Media Kind" IS 'What a file holds';
    CREATE TABLE "Größen" (
        "ключ" integer PRIMARY KEY,
        "type" text NOT NULL,
        "self" text,
        "Display Name" text,
        "displayName" text,
        "2fa" boolean NOT NULL DEFAULT false,
        kind "Media Kind" NOT NULL,
        kinds "Media Kind"[],
        span interval,
        body bytea,
        at time,
        stamp timestamp NOT NULL,
        money_left numeric(12, 2)
    );
    COMMENT ON TABLE "Größen" IS E'Sizes */ and \x1b[31mcolours\n```rust\nfn main() {}\n```';
    COMMENT ON COLUMN "Größen"."type" IS E'The kind,\r\n    indented';
    CREATE TABLE categories (id serial PRIMARY KEY, name varchar(40) NOT NULL);
    CREATE TABLE options (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, value jsonb);
    CREATE SCHEMA a_schema_with_a_long_name_to_push_attributes_past_the_line_width;
    CREATE TABLE a_schema_with_a_long_name_to_push_attributes_past_the_line_width.long_names (
        a_column_name_long_enough_to_push_its_field_past_the_line_width timestamptz[],
        "A Column Name Long Enough To Push Its Attribute Past The Width" text
    );"#;

fn generate(db: &TestDatabase, root: &Path, args: &[&str]) -> Output {
    let mut all = vec!["generate-models"];
    all.extend_from_slice(args);
    schema_check(root, &all, &[("DATABASE_URL", db.url().expose())])
}

/// rustfmt as cargo installs it next to itself, else from `PATH`.
fn rustfmt() -> PathBuf {
    let beside_cargo = Path::new(env!("CARGO")).with_file_name("rustfmt");
    if beside_cargo.exists() {
        beside_cargo
    } else {
        PathBuf::from("rustfmt")
    }
}

fn assert_rustfmt_clean(code: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("models.rs");
    std::fs::write(&file, code).unwrap();
    let out = Command::new(rustfmt())
        .args(["--check", "--edition", "2021"])
        .arg(&file)
        .output()
        .expect("rustfmt runs (it comes with cargo: `rustup component add rustfmt`)");
    assert!(
        out.status.success(),
        "generated code is not rustfmt-clean:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Whether this build's facade has `#[derive(pgdrift::Enum)]`.
fn facade_has_enum_derive() -> bool {
    include_str!("../../../src/lib.rs")
        .lines()
        .any(|l| l.starts_with("pub use schema_derive::") && l.contains("Enum"))
}

fn facade_has_insert_direction() -> bool {
    include_str!("../../src/input/attr.rs").contains("\"insert\"")
}

/// Crates the test crate depends on (or that come with Rust): their types
/// are the real ones.
const REAL_CRATES: &[&str] = &["std", "core", "alloc", "chrono", "serde_json", "pgdrift"];

/// A stand-in's place in the module tree: a module, or a struct (generic
/// when the code gives it type arguments).
enum StandIn {
    Module(BTreeMap<String, StandIn>),
    Struct { generic: bool },
}

/// Every path of another crate that the field types of `code` name, as
/// local modules with a struct each: the derive matches types by path, so
/// `sqlx::postgres::types::PgRange<i32>` checks as sqlx's own does.
fn stand_in_crates(code: &str) -> String {
    let file: syn::File = syn::parse_str(code).expect("the generated code parses");
    let mut root = BTreeMap::new();
    for item in &file.items {
        if let syn::Item::Struct(item) = item {
            for field in &item.fields {
                add_stand_ins(&field.ty, &mut root);
            }
        }
    }
    let mut out = String::new();
    write_stand_ins(&root, &mut out);
    out
}

fn add_stand_ins(ty: &syn::Type, root: &mut BTreeMap<String, StandIn>) {
    let syn::Type::Path(path) = ty else {
        return;
    };
    let mut generic = false;
    for segment in &path.path.segments {
        if let syn::PathArguments::AngleBracketed(args) = &segment.arguments {
            generic = true;
            for arg in &args.args {
                if let syn::GenericArgument::Type(inner) = arg {
                    add_stand_ins(inner, root);
                }
            }
        }
    }
    let names: Vec<String> = path
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    let Some((last, modules)) = names.split_last() else {
        return;
    };
    if modules.is_empty() || REAL_CRATES.contains(&modules[0].as_str()) {
        return;
    }
    let mut level = root;
    for module in modules {
        let node = level
            .entry(module.clone())
            .or_insert_with(|| StandIn::Module(BTreeMap::new()));
        let StandIn::Module(inner) = node else {
            panic!("{module} is both a type and a module");
        };
        level = inner;
    }
    level.insert(last.clone(), StandIn::Struct { generic });
}

fn write_stand_ins(level: &BTreeMap<String, StandIn>, out: &mut String) {
    for (name, node) in level {
        match node {
            StandIn::Module(inner) => {
                out.push_str(&format!("pub mod {name} {{\n"));
                write_stand_ins(inner, out);
                out.push_str("}\n");
            }
            StandIn::Struct { generic: false } => out.push_str(&format!(
                "#[derive(Debug, Clone, PartialEq)]\npub struct {name};\n"
            )),
            StandIn::Struct { generic: true } => out.push_str(&format!(
                "#[derive(Debug, Clone, PartialEq)]\npub struct {name}<T>(pub std::marker::PhantomData<T>);\n"
            )),
        }
    }
}

/// Builds `code` as a library against the catalog of `db` (offline, from a
/// snapshot) and asserts that the build is clean: no error, no warning.
fn assert_builds_clean(db: &TestDatabase, name: &str, code: &str) {
    let lib = format!("{}\n{code}", stand_in_crates(code));
    let krate = TestCrate::library(name, &lib);
    snapshot::save(
        &krate.path().join(".pgdrift/schema.json"),
        &introspect(&db.connect(), None).unwrap(),
    )
    .unwrap();
    let out = krate.build(&[("PGDRIFT_OFFLINE", "true")]);
    let err = build_stderr(&out);
    assert!(
        out.status.success(),
        "the generated models do not build:\n{err}"
    );
    assert!(
        !err.contains("warning"),
        "the generated models build with warnings:\n{err}"
    );
}

/// The relations the round trip can build on this branch: all of them once
/// the facade has `#[derive(pgdrift::Enum)]`, else those without enum columns.
fn buildable_tables(db: &TestDatabase) -> Vec<String> {
    let catalog = introspect(&db.connect(), None).unwrap();
    catalog
        .relations()
        .filter(|(_, r)| {
            facade_has_enum_derive()
                || r.columns.iter().all(|c| {
                    !matches!(
                        schema_check::types::resolve(&catalog, c),
                        schema_check::types::SqlType::Enum(_)
                    ) && c
                        .element
                        .as_ref()
                        .is_none_or(|e| catalog.enum_type(e).is_none())
                })
        })
        .map(|(s, r)| format!("{s}.{}", r.name))
        .collect()
}

fn table_args(tables: &[String]) -> Vec<&str> {
    tables
        .iter()
        .flat_map(|t| ["--table", t.as_str()])
        .collect()
}

#[test]
fn fixture_schema_round_trip() {
    let db = testing::database();
    db.execute(FIXTURE);
    let dir = tempfile::tempdir().unwrap();
    let all = generate(&db, dir.path(), &[]);
    assert_eq!(all.status.code(), Some(0), "{}", stderr(&all));
    let code = stdout(&all);
    insta::assert_snapshot!("generated_fixture_models", code);
    assert_rustfmt_clean(&code);

    let tables = buildable_tables(&db);
    let some = generate(&db, dir.path(), &table_args(&tables));
    assert_builds_clean(&db, "pgdrift_generated_fixture", &stdout(&some));
}

#[test]
fn awkward_names_round_trip() {
    let db = testing::database();
    db.execute(AWKWARD);
    let dir = tempfile::tempdir().unwrap();
    let out = generate(&db, dir.path(), &["--output", "src/models.rs"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), "wrote src/models.rs (4 relations)\n");
    let code = std::fs::read_to_string(dir.path().join("src/models.rs")).unwrap();
    insta::assert_snapshot!("generated_awkward_models", code);
    assert!(!code.contains('\u{1b}') && !code.contains('\r'));
    assert_rustfmt_clean(&code);
    let tables = buildable_tables(&db);
    let some = generate(
        &db,
        dir.path(),
        &[
            &["--derive", "Clone", "--derive", "PartialEq"],
            &table_args(&tables)[..],
        ]
        .concat(),
    );
    assert_builds_clean(&db, "pgdrift_generated_awkward", &stdout(&some));
    let many_derives = generate(
        &db,
        dir.path(),
        &[
            "--table",
            "long_names",
            "--derive",
            "sqlx::FromRow",
            "--derive",
            "serde::Serialize",
            "--derive",
            "serde::Deserialize",
            "--derive",
            "Clone",
            "--derive",
            "PartialEq",
        ],
    );
    assert_rustfmt_clean(&stdout(&many_derives));
}

#[test]
fn families_derives_and_insert_structs() {
    let db = testing::database();
    db.execute(
        "CREATE TABLE users (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            email text NOT NULL,
            nickname text,
            joined timestamptz NOT NULL DEFAULT now(),
            born date,
            score numeric,
            email_length integer GENERATED ALWAYS AS (length(email)) STORED
        );
        CREATE VIEW emails AS SELECT email FROM users;",
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("pgdrift.toml"), "time = \"jiff\"\n").unwrap();
    let out = generate(
        &db,
        dir.path(),
        &[
            "--table",
            "users",
            "--table",
            "emails",
            "--decimal",
            "bigdecimal",
            "--derive",
            "sqlx::FromRow",
            "--derive",
            "serde::Serialize",
            "--insert",
        ],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let code = stdout(&out);
    insta::assert_snapshot!("generated_families_insert", code);
    assert_rustfmt_clean(&code);

    let time = generate(&db, dir.path(), &["--table", "users", "--time", "time"]);
    let code = stdout(&time);
    assert!(code.contains("pub joined: time::OffsetDateTime,"), "{code}");
    assert!(code.contains("pub born: Option<time::Date>,"), "{code}");
    assert!(code.contains("pub score: Option<rust_decimal::Decimal>,"));

    if facade_has_insert_direction() {
        let chrono = generate(
            &db,
            dir.path(),
            &["--table", "users", "--insert", "--time", "chrono"],
        );
        assert_builds_clean(&db, "pgdrift_generated_insert", &stdout(&chrono));
    }
}

#[test]
fn selection_errors_exit_2_with_one_sentence() {
    let db = testing::database();
    db.execute(
        "CREATE SCHEMA app; CREATE TABLE public.items (id int); CREATE TABLE app.items (id int);",
    );
    let dir = tempfile::tempdir().unwrap();
    for (args, message) in [
        (
            &["--table", "nope"][..],
            "error: --table nope: no such table or view in the schema\n",
        ),
        (
            &["--table", "items"][..],
            "error: --table items is ambiguous: it names app.items and public.items; qualify it with its schema\n",
        ),
        (
            &["--schema", "nope"][..],
            "error: --schema nope: the database has no such schema (or it is not introspected)\n",
        ),
        (
            &["--derive", "not a path"][..],
            "error: --derive \"not a path\" is not a path to a derive macro (like `sqlx::FromRow`)\n",
        ),
    ] {
        let out = generate(&db, dir.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert_eq!(stderr(&out), message, "{args:?}");
    }
    let out = generate(
        &db,
        dir.path(),
        &["--table", "app.items", "--schema", "app"],
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stdout(&out).contains("#[pgdrift(schema = \"app\", table = \"items\")]\npub struct Item {")
    );
    assert!(!stdout(&out).contains("table = \"items\")]\npub struct Item2"));
}

/// Extensions whose types the type table maps, created where the server
/// has them.
const EXTENSIONS: &[&str] = &[
    "citext", "hstore", "ltree", "cube", "isn", "postgis", "vector",
];

/// The type table's types that only an extension this server may lack
/// (PostGIS, pgvector) defines.
const TYPES_OF_OPTIONAL_EXTENSIONS: &[&str] =
    &["geometry", "geography", "vector", "halfvec", "sparsevec"];

/// Types the type table does not map, as the column types they make.
const UNMAPPED: &[(&str, &str)] = &[
    ("xml", "xml"),
    ("point", "point"),
    ("tsquery", "tsquery"),
    ("pg_lsn", "pg_lsn"),
    ("multirange", "int4multirange"),
    ("internal_char", "\"char\""),
    ("composite", "addr"),
];

/// One table with four columns for each type of the engine's type table
/// (`NOT NULL`, nullable, an array, a domain over it) that the server
/// knows, and three (`NOT NULL`, nullable, array) for an enum and types
/// outside the table; the types this server lacks, for a skip note.
fn every_type(db: &TestDatabase) -> (String, Vec<&'static str>) {
    for extension in EXTENSIONS {
        let available = db.query(&format!(
            "SELECT count(*) FROM pg_available_extensions WHERE name = '{extension}'"
        ));
        if available == [Some("1".to_owned())] {
            db.execute(&format!("CREATE EXTENSION \"{extension}\""));
        }
    }
    let mut sql = String::from(
        "CREATE TYPE mood AS ENUM ('sad', 'ok');\nCREATE TYPE addr AS (street text, zip text);\n",
    );
    let mut columns = Vec::new();
    let mut missing = Vec::new();
    for name in schema_check::types::mapped_type_names() {
        let exists = db.query(&format!("SELECT to_regtype('{name}') IS NOT NULL"));
        if exists != [Some("t".to_owned())] {
            missing.push(name);
            continue;
        }
        sql.push_str(&format!("CREATE DOMAIN d_{name} AS {name};\n"));
        columns.push(format!("{name}_domain d_{name}"));
        columns.push(format!("{name}_nn {name} NOT NULL"));
        columns.push(format!("{name}_null {name}"));
        columns.push(format!("{name}_array {name}[]"));
    }
    for (name, ty) in UNMAPPED.iter().chain(&[("mood", "mood")]) {
        // Multiranges came with PostgreSQL 14; `addr` and `mood` are made above.
        let made_here = ["addr", "mood"].contains(ty);
        let exists = db.query(&format!("SELECT to_regtype('{ty}') IS NOT NULL"));
        if !made_here && exists != [Some("t".to_owned())] {
            eprintln!("not on this server: {ty}");
            continue;
        }
        columns.push(format!("{name}_nn {ty} NOT NULL"));
        columns.push(format!("{name}_null {ty}"));
        columns.push(format!("{name}_array {ty}[]"));
    }
    sql.push_str(&format!(
        "CREATE TABLE every_type (\n    id bigint PRIMARY KEY,\n    {}\n);\n",
        columns.join(",\n    ")
    ));
    (sql, missing)
}

#[test]
fn every_type_of_the_type_table_generates_models_that_build_clean() {
    let db = testing::database();
    let (sql, missing) = every_type(&db);
    if !missing.is_empty() {
        eprintln!("not on this server (its extension is not installed): {missing:?}");
    }
    assert!(
        missing
            .iter()
            .all(|t| TYPES_OF_OPTIONAL_EXTENSIONS.contains(t)),
        "every type outside PostGIS and pgvector can be tested: {missing:?}"
    );
    db.execute(&sql);
    let dir = tempfile::tempdir().unwrap();
    for (crate_name, args) in [
        ("pgdrift_every_type_chrono", &["--insert"][..]),
        (
            "pgdrift_every_type_time",
            &["--time", "time", "--decimal", "bigdecimal"][..],
        ),
        ("pgdrift_every_type_jiff", &["--time", "jiff"][..]),
    ] {
        let out = generate(
            &db,
            dir.path(),
            &[&["--table", "every_type"], args].concat(),
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        let code = stdout(&out);
        assert!(
            code.contains("    pub int4range_nn: sqlx::postgres::types::PgRange<i32>,\n"),
            "{code}"
        );
        assert!(
            code.contains(
                "    // pgdrift knows no Rust type for `xml[]`: `String` stands in for one that decodes it.\n    \
                 #[pgdrift(sql_type = \"xml[]\")]\n    \
                 pub xml_array: Option<Vec<String>>,\n"
            ),
            "{code}"
        );
        assert_rustfmt_clean(&code);
        assert_builds_clean(&db, crate_name, &code);
    }
}

/// 1,000 tables of mixed column types, each with a comment, some in a
/// second schema.
fn thousand_tables() -> String {
    const COLUMNS: &[&str] = &[
        "name text NOT NULL",
        "label varchar(80)",
        "active boolean NOT NULL DEFAULT true",
        "amount numeric(12, 2)",
        "created_at timestamptz NOT NULL DEFAULT now()",
        "day date",
        "payload jsonb",
        "tags text[] NOT NULL DEFAULT '{}'",
        "small smallint",
        "ratio double precision",
        "note text",
        "seen timestamp",
    ];
    let mut sql = String::from("CREATE SCHEMA app;\n");
    for i in 0..1000 {
        let schema = if i % 5 == 0 { "app" } else { "public" };
        let mut columns = vec!["id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY".to_owned()];
        for k in 0..(4 + i % 9) {
            let column = COLUMNS[(i + k) % COLUMNS.len()];
            let (name, ty) = column.split_once(' ').unwrap();
            columns.push(format!("{name}_{k} {ty}"));
        }
        sql.push_str(&format!(
            "CREATE TABLE {schema}.entries_{i} ({});\nCOMMENT ON TABLE {schema}.entries_{i} IS 'Entry table {i}';\n",
            columns.join(", ")
        ));
    }
    sql
}

#[test]
fn a_thousand_tables_round_trip() {
    let db = testing::database();
    db.execute(&thousand_tables());
    let dir = tempfile::tempdir().unwrap();
    let vars = [("DATABASE_URL", db.url().expose())];
    let started = Instant::now();
    let introspected = schema_check(dir.path(), &["introspect", "--format", "json"], &vars);
    let introspect_time = started.elapsed();
    assert!(introspected.status.success());
    let started = Instant::now();
    let out = schema_check(dir.path(), &["generate-models"], &vars);
    let generate_time = started.elapsed();
    assert!(out.status.success(), "{}", stderr(&out));
    eprintln!("1,000 tables: introspect --format json {introspect_time:?}, generate-models {generate_time:?}");
    let code = stdout(&out);
    assert_eq!(
        code.matches("#[derive(Debug, pgdrift::Model)]").count(),
        1000
    );
    assert_rustfmt_clean(&code);
    assert_builds_clean(&db, "pgdrift_generated_thousand", &code);
}
