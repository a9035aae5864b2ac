//! Extensions: what they own is not the user's schema (kept out of the docs,
//! snapshot diffs and the change log, still there for models that name it),
//! their column types are checked in whatever schema they were installed
//! into, and Citus's shard-visibility settings are harmless on plain
//! PostgreSQL.

use std::path::Path;

use schema_check::testing::{self, TestDatabase};
use schema_check::{introspect, Catalog};

use crate::{all_output, schema_check, stdout};

/// Whether the server can `CREATE EXTENSION postgis` (Debian:
/// `postgresql-15-postgis-3`, which CI installs).
fn postgis_available(db: &TestDatabase) -> bool {
    let available = db.query("SELECT count(*) FROM pg_available_extensions WHERE name = 'postgis'");
    available == [Some("1".to_owned())]
}

const PLACES: &str = "CREATE TABLE places (id bigint PRIMARY KEY, name text NOT NULL)";

const POSTGIS: &str = "
    CREATE EXTENSION postgis;
    ALTER TABLE places
        ADD COLUMN location geometry(Point, 4326) NOT NULL,
        ADD COLUMN area geography;
    CREATE INDEX places_location ON places USING gist (location);";

const RIGHT_MODELS: &str = r#"
#[derive(pgdrift::Model)]
#[pgdrift(table = "places")]
pub struct Place {
    pub id: i64,
    pub name: String,
    pub location: postgis::ewkb::Point,
    pub area: Option<geozero::wkb::Decode<geo_types::Geometry<f64>>>,
}
"#;

/// A model of the extension's own table: still checked against it.
const SPATIAL_REF_MODEL: &str = r#"
#[derive(pgdrift::Model)]
#[pgdrift(table = "spatial_ref_sys")]
pub struct SpatialRef {
    pub srid: i32,
    pub auth_name: Option<String>,
    pub auth_srid: Option<i32>,
    pub srtext: Option<String>,
    pub proj4text: Option<String>,
}
"#;

fn run(root: &Path, db: &TestDatabase, args: &[&str]) -> std::process::Output {
    schema_check(
        root,
        args,
        &[
            ("DATABASE_URL", db.url().expose()),
            ("SOURCE_DATE_EPOCH", "1764028800"),
        ],
    )
}

fn write_models(root: &Path, models: &str) {
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::write(root.join("src/models.rs"), models).unwrap();
}

const POSTGIS_OBJECTS: [&str; 3] = ["spatial_ref_sys", "geometry_columns", "geography_columns"];

fn assert_no_postgis_object(what: &str, text: &str) {
    for object in POSTGIS_OBJECTS {
        assert!(!text.contains(object), "{what} shows {object}:\n{text}");
    }
}

#[test]
fn postgis_objects_stay_out_of_the_users_schema_and_its_types_are_checked() {
    let db = testing::database();
    if !postgis_available(&db) {
        eprintln!("skipped: PostGIS is not installed on this machine (Debian: apt-get install postgresql-15-postgis-3)");
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let root = root.path();
    db.execute(PLACES);
    let out = run(root, &db, &["snapshot"]);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    db.execute(POSTGIS);

    // The catalog marks what PostGIS owns, and keeps it for models.
    let catalog: Catalog = introspect(&db.connect(), None).unwrap();
    for object in POSTGIS_OBJECTS {
        let relation = catalog.relation("public", object).unwrap();
        assert_eq!(relation.extension.as_deref(), Some("postgis"), "{object}");
    }
    assert_eq!(
        catalog.relation("public", "places").unwrap().extension,
        None
    );
    assert_eq!(catalog.schema("public").unwrap().extension, None);
    let out = run(root, &db, &["introspect", "--table", "spatial_ref_sys"]);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    assert!(
        stdout(&out).starts_with("table public.spatial_ref_sys (extension postgis)\n"),
        "{}",
        stdout(&out)
    );

    // Snapshot diff and change log: the user's change only.
    let out = run(root, &db, &["snapshot", "--check"]);
    assert_eq!(out.status.code(), Some(1), "{}", all_output(&out));
    let listed = stdout(&out);
    assert!(
        listed
            .contains("column public.places.location added: public.geometry(Point,4326) NOT NULL"),
        "{listed}"
    );
    assert!(
        listed.contains("index places_location on public.places added"),
        "{listed}"
    );
    assert_no_postgis_object("snapshot --check", &listed);
    let out = run(root, &db, &["changelog", "--message", "Maps"]);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    let log = std::fs::read_to_string(root.join("docs/pgdb_changes.md")).unwrap();
    assert!(
        log.contains("- column public.places.area added: public.geography NULL"),
        "{log}"
    );
    assert_no_postgis_object("the change log", &log);
    let snapshot = std::fs::read_to_string(root.join(".pgdrift/schema.json")).unwrap();
    assert!(
        snapshot.contains("\"name\": \"spatial_ref_sys\"")
            && snapshot.contains("\"extension\": \"postgis\""),
        "the snapshot keeps extension objects, marked, for offline checks of models that name them"
    );
    let out = run(root, &db, &["changelog"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "nothing changed: {}",
        all_output(&out)
    );

    // Docs: the user's table with its PostGIS columns, no PostGIS object.
    write_models(root, RIGHT_MODELS);
    let out = run(root, &db, &["generate-docs"]);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    let docs = std::fs::read_to_string(root.join("docs/database_schema.md")).unwrap();
    assert!(
        docs.contains("<!-- pgdrift:begin public.places -->"),
        "{docs}"
    );
    assert!(
        docs.contains("| `location` | `public.geometry(Point,4326)` | no |"),
        "{docs}"
    );
    assert_no_postgis_object("the docs", &docs);

    // Models: the right Rust types pass, offline from the snapshot too; a
    // model of the extension's table is checked against it.
    write_models(root, &format!("{RIGHT_MODELS}{SPATIAL_REF_MODEL}"));
    for args in [
        &["compare-db-models"][..],
        &["--offline", "compare-db-models"],
    ] {
        let out = run(root, &db, args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", all_output(&out));
        assert_eq!(stdout(&out), "0 errors, 0 warnings in 2 models (1 files)\n");
    }
    let wrong = format!("{RIGHT_MODELS}{SPATIAL_REF_MODEL}")
        .replace(
            "pub location: postgis::ewkb::Point,",
            "pub location: String,",
        )
        .replace(
            "pub area: Option<geozero::wkb::Decode<geo_types::Geometry<f64>>>,",
            "pub area: Option<pgvector::Vector>,",
        )
        .replace("pub srid: i32,", "pub srid: i64,");
    write_models(root, &wrong);
    let out = run(root, &db, &["compare-db-models"]);
    assert_eq!(out.status.code(), Some(1), "{}", all_output(&out));
    let found = stdout(&out);
    assert!(
        found.contains("error[type-mismatch]: column \"places.location\" is `public.geometry(Point,4326)`, which `String` does not fit"),
        "{found}"
    );
    assert!(
        found.contains("help: use one of `postgis::ewkb::Geometry`, `postgis::ewkb::Point`, `geozero::wkb::Decode<geo_types::Geometry<f64>>`"),
        "{found}"
    );
    assert!(
        found.contains(
            "error[type-mismatch]: column \"places.area\" is `public.geography`, which `pgvector::Vector` does not fit"
        ),
        "{found}"
    );
    assert!(
        found.contains(
            "error[type-mismatch]: column \"spatial_ref_sys.srid\" is `integer`, which `i64` does not fit"
        ),
        "{found}"
    );
    assert!(found.contains("3 errors"), "{found}");
}

#[test]
fn an_extension_installed_into_its_own_schema_keeps_its_types() {
    let db = testing::database();
    if !postgis_available(&db) {
        eprintln!("skipped: PostGIS is not installed on this machine (Debian: apt-get install postgresql-15-postgis-3)");
        return;
    }
    db.execute(&format!(
        "CREATE SCHEMA gis; CREATE EXTENSION postgis SCHEMA gis; {PLACES};
         ALTER TABLE places ADD COLUMN location gis.geometry NOT NULL;"
    ));
    let catalog = introspect(&db.connect(), None).unwrap();
    let places = catalog.relation("public", "places").unwrap();
    assert_eq!(
        places.column("location").unwrap().udt,
        schema_check::catalog::TypeName::new("gis", "geometry")
    );
    assert!(catalog
        .relation("gis", "spatial_ref_sys")
        .unwrap()
        .extension
        .is_some());
    let root = tempfile::tempdir().unwrap();
    write_models(
        root.path(),
        "#[derive(pgdrift::Model)]\n#[pgdrift(table = \"places\")]\npub struct Place {\n    pub id: i64,\n    pub name: String,\n    pub location: postgis::ewkb::Geometry,\n}\n",
    );
    let out = run(root.path(), &db, &["compare-db-models"]);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    let out = run(root.path(), &db, &["generate-docs"]);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    let docs = std::fs::read_to_string(root.path().join("docs/database_schema.md")).unwrap();
    assert_no_postgis_object("the docs", &docs);
    assert!(
        !docs.contains("pgdrift:begin gis."),
        "the schema holds only PostGIS's objects, so it has no section: {docs}"
    );
}

/// Contrib extensions, shipped with PostgreSQL itself: an extension's domain
/// (earthdistance's `earth`, over cube's `cube`) and the types of ltree,
/// cube and isn.
#[test]
fn contrib_extension_types_and_an_extension_domain() {
    let db = testing::database();
    db.execute(
        "CREATE EXTENSION cube; CREATE EXTENSION earthdistance;
         CREATE EXTENSION ltree; CREATE EXTENSION isn;
         CREATE TABLE shelves (
             id int PRIMARY KEY, path ltree NOT NULL, size cube, spot earth, isbn isbn13
         );",
    );
    let catalog = introspect(&db.connect(), None).unwrap();
    let public = catalog.schema("public").unwrap();
    let earth = public.domains.iter().find(|d| d.name == "earth").unwrap();
    assert_eq!(earth.extension.as_deref(), Some("earthdistance"));
    let root = tempfile::tempdir().unwrap();
    let root = root.path();
    let out = run(root, &db, &["introspect"]);
    assert!(
        stdout(&out).contains("domain public.earth (extension earthdistance): public.cube"),
        "{}",
        stdout(&out)
    );
    let models = r#"
use sqlx::postgres::types::{PgCube, PgLTree};

#[derive(pgdrift::Model)]
#[pgdrift(table = "shelves")]
pub struct Shelf {
    pub id: i32,
    pub path: PgLTree,
    pub size: Option<PgCube>,
    pub spot: Option<PgCube>,
    pub isbn: Option<String>,
}
"#;
    write_models(root, models);
    let out = run(root, &db, &["compare-db-models"]);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    let out = run(root, &db, &["generate-docs"]);
    assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
    let docs = std::fs::read_to_string(root.join("docs/database_schema.md")).unwrap();
    assert!(
        docs.contains("<!-- pgdrift:begin public.shelves -->"),
        "{docs}"
    );
    assert!(
        !docs.contains("pgdrift:begin public.earth"),
        "the extension's domain is not the user's: {docs}"
    );

    write_models(
        root,
        &models
            .replace("pub path: PgLTree,", "pub path: i64,")
            .replace("pub spot: Option<PgCube>,", "pub spot: Option<PgLTree>,"),
    );
    let out = run(root, &db, &["compare-db-models"]);
    assert_eq!(out.status.code(), Some(1), "{}", all_output(&out));
    let found = stdout(&out);
    assert!(
        found
            .contains("error[type-mismatch]: column \"shelves.path\" is `public.ltree`, which `i64` does not fit"),
        "{found}"
    );
    assert!(
        found.contains(
            "error[type-mismatch]: column \"shelves.spot\" is `public.earth`, which `PgLTree` does not fit"
        ),
        "{found}"
    );
    assert!(found.contains("2 errors"), "{found}");

    // generate-models writes a type of a crate the package depends on:
    // sqlx's PgLTree with sqlx, else the String the type table also lists
    // (cube has no type outside sqlx: that one stays).
    let generated = |manifest: &str| {
        std::fs::write(root.join("Cargo.toml"), manifest).unwrap();
        let out = run(root, &db, &["generate-models", "--table", "shelves"]);
        assert_eq!(out.status.code(), Some(0), "{}", all_output(&out));
        stdout(&out)
    };
    let diesel_only = generated("[package]\nname = \"app\"\n\n[dependencies]\ndiesel = \"2\"\n");
    assert!(diesel_only.contains("pub path: String,"), "{diesel_only}");
    let with_sqlx = generated("[package]\nname = \"app\"\n\n[dependencies]\nsqlx = \"0.8\"\n");
    assert!(
        with_sqlx.contains("pub path: sqlx::postgres::types::PgLTree,"),
        "{with_sqlx}"
    );
}

#[test]
fn citus_shard_settings_change_nothing_on_plain_postgres() {
    let db = testing::database();
    db.execute(crate::FIXTURE);
    let before = introspect(&db.connect(), None).unwrap();
    // An administrator's setting that makes Citus show shards to every tool.
    db.execute(&format!(
        "ALTER DATABASE {} SET citus.show_shards_for_app_name_prefixes = '*'",
        db.name()
    ));
    let connection = db.connect();
    assert_eq!(introspect(&connection, None).unwrap(), before);
    assert_eq!(
        connection
            .query_strings("SHOW citus.show_shards_for_app_name_prefixes")
            .unwrap(),
        [Some("*".to_owned())],
        "introspection set Citus's settings for its own transaction only"
    );
}

#[test]
fn the_fingerprint_sees_a_table_join_or_leave_an_extension() {
    let db = testing::database();
    db.execute("CREATE EXTENSION cube; CREATE TABLE boxes (id int PRIMARY KEY);");
    let connection = db.connect();
    let before = schema_check::introspect::fingerprint(&connection).unwrap();
    db.execute("ALTER EXTENSION cube ADD TABLE boxes");
    let added = schema_check::introspect::fingerprint(&connection).unwrap();
    assert_ne!(
        before, added,
        "joining an extension changes what introspection reads"
    );
    db.execute("ALTER EXTENSION cube DROP TABLE boxes");
    let dropped = schema_check::introspect::fingerprint(&connection).unwrap();
    assert_ne!(
        added, dropped,
        "leaving an extension changes what introspection reads"
    );
}
