use std::process::Command;

use schema_check::catalog::*;
use schema_check::testing::{self, Cluster, ClusterOptions};
use schema_check::{introspect, snapshot};

use crate::{FIXTURE, FIXTURE_18};

fn fixture_catalog() -> (testing::TestDatabase, Catalog) {
    let db = testing::database();
    db.execute(FIXTURE);
    let catalog = introspect(&db.connect(), None).unwrap();
    (db, catalog)
}

fn column<'a>(relation: &'a Relation, name: &str) -> &'a Column {
    relation
        .column(name)
        .unwrap_or_else(|| panic!("column {name} in {}", relation.name))
}

#[test]
fn fixture_introspects_to_the_expected_catalog() {
    let (_db, catalog) = fixture_catalog();

    let schemas: Vec<&str> = catalog.schemas.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(schemas, ["app", "public"]);
    assert_eq!(
        catalog.schema("app").unwrap().comment.as_deref(),
        Some("Application data")
    );

    let relations: Vec<String> = catalog
        .relations()
        .map(|(s, r)| format!("{s}.{} {:?}", r.name, r.kind))
        .collect();
    assert_eq!(
        relations,
        [
            "app.Orders Table",
            "app.order_totals MaterializedView",
            "app.remote_items ForeignTable",
            "public.active_users View",
            "public.events PartitionedTable",
            "public.users Table",
            "public.Ünïcode Täble Table",
        ],
        "partitions are listed under their parent, not as relations"
    );

    let users = catalog.relation("public", "users").unwrap();
    assert_eq!(users.comment.as_deref(), Some("A registered user"));
    let names: Vec<&str> = users.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "id",
            "email",
            "name",
            "pw_hashed",
            "mood",
            "name_length",
            "tags",
            "created_at",
            "Display Name",
            "größe",
            "last_seen"
        ],
        "attnum order, dropped columns left out"
    );
    let id = column(users, "id");
    assert_eq!(
        (id.data_type.as_str(), id.nullable, id.identity),
        ("bigint", false, Some(Identity::Always))
    );
    assert_eq!(id.default, None);
    let email = column(users, "email");
    assert_eq!(
        (email.data_type.as_str(), &email.udt),
        ("public.email", &TypeName::new("public", "email"))
    );
    let name = column(users, "name");
    assert_eq!(name.data_type, "character varying(255)");
    assert_eq!(name.udt, TypeName::builtin("varchar"));
    assert_eq!(name.default.as_deref(), Some("'anon'::character varying"));
    assert_eq!(
        column(users, "pw_hashed").comment.as_deref(),
        Some("Argon2 hash, never the plain password")
    );
    let mood = column(users, "mood");
    assert_eq!((mood.udt.name.as_str(), mood.nullable), ("mood", true));
    let generated = column(users, "name_length");
    assert_eq!(generated.generated.as_deref(), Some("length((name)::text)"));
    assert_eq!(generated.default, None);
    let tags = column(users, "tags");
    assert_eq!(tags.data_type, "text[]");
    assert_eq!(tags.udt, TypeName::builtin("_text"));
    assert_eq!(tags.element, Some(TypeName::builtin("text")));
    assert_eq!(tags.default.as_deref(), Some("'{}'::text[]"));
    assert_eq!(
        column(users, "created_at").data_type,
        "timestamp with time zone"
    );
    assert_eq!(
        column(users, "created_at").default.as_deref(),
        Some("now()")
    );
    assert_eq!(
        column(users, "last_seen").data_type,
        "timestamp without time zone"
    );
    assert_eq!(column(users, "größe").data_type, "smallint");
    assert_eq!(
        users.primary_key,
        Some(KeyConstraint {
            name: "users_pkey".into(),
            columns: vec!["id".into()],
            without_overlaps: false,
        })
    );
    assert_eq!(
        users.unique_constraints,
        [KeyConstraint {
            name: "users_email_key".into(),
            columns: vec!["email".into()],
            without_overlaps: false,
        }]
    );

    let orders = catalog.relation("app", "Orders").unwrap();
    assert_eq!(column(orders, "id").identity, Some(Identity::ByDefault));
    assert_eq!(column(orders, "total").data_type, "app.price");
    assert_eq!(column(orders, "matrix").data_type, "integer[]");
    assert_eq!(
        column(orders, "matrix").element,
        Some(TypeName::builtin("int4"))
    );
    assert_eq!(column(orders, "labels").udt, TypeName::new("app", "labels"));
    assert_eq!(
        orders.foreign_keys,
        [ForeignKey {
            name: "orders_user_fk".into(),
            columns: vec!["user_id".into()],
            references: RelationName {
                schema: "public".into(),
                name: "users".into()
            },
            referenced_columns: vec!["id".into()],
            on_update: ReferentialAction::NoAction,
            on_delete: ReferentialAction::Cascade,
            not_enforced: false,
            period: false,
        }]
    );
    assert_eq!(
        orders.check_constraints,
        [CheckConstraint {
            name: "positive_total".into(),
            definition: "CHECK (total::numeric > 0::numeric)".into()
        }]
    );
    let indexes: Vec<(&str, Vec<&str>, bool, bool)> = orders
        .indexes
        .iter()
        .map(|i| {
            (
                i.name.as_str(),
                i.columns.iter().map(String::as_str).collect(),
                i.unique,
                i.primary,
            )
        })
        .collect();
    assert_eq!(
        indexes,
        [
            ("orders_pk", vec!["id"], true, true),
            (
                "orders_text_idx",
                vec!["lower(total::text)", "id"],
                true,
                false
            ),
            ("orders_user_idx", vec!["user_id"], false, false),
        ]
    );
    assert_eq!(
        orders.indexes[1].definition,
        "CREATE UNIQUE INDEX orders_text_idx ON app.\"Orders\" USING btree (lower((total)::text), id) WHERE (id > 0)"
    );

    let view = catalog.relation("public", "active_users").unwrap();
    assert_eq!(view.comment.as_deref(), Some("Users seen lately"));
    assert_eq!(view.columns.len(), 2);
    assert!(
        view.columns.iter().all(|c| c.nullable),
        "view columns are nullable"
    );
    let totals = catalog.relation("app", "order_totals").unwrap();
    assert_eq!(column(totals, "total").data_type, "numeric");

    let events = catalog.relation("public", "events").unwrap();
    assert_eq!(events.partition_key.as_deref(), Some("RANGE (at)"));
    assert_eq!(
        events.partitions,
        [
            Partition {
                schema: "app".into(),
                name: "events_2025".into(),
                bound: "FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')".into(),
                partitions: vec![Partition {
                    schema: "app".into(),
                    name: "events_2025_small".into(),
                    bound: "FOR VALUES IN ('1', '2')".into(),
                    partitions: vec![],
                }],
            },
            Partition {
                schema: "public".into(),
                name: "events_2024".into(),
                bound: "FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')".into(),
                partitions: vec![],
            },
        ]
    );
    assert_eq!(
        events.indexes.len(),
        1,
        "the partitioned index only, not the partitions' copies"
    );

    let remote = catalog.relation("app", "remote_items").unwrap();
    assert!(!column(remote, "id").nullable);

    let unicode = catalog.relation("public", "Ünïcode Täble").unwrap();
    assert_eq!(unicode.primary_key.as_ref().unwrap().columns, ["ключ"]);
    assert_eq!(column(unicode, "user").data_type, "text");

    let public = catalog.schema("public").unwrap();
    assert_eq!(
        public.enums,
        [EnumType {
            name: "mood".into(),
            labels: vec!["sad".into(), "meh".into(), "ok".into(), "happy".into()],
            comment: Some("How a user feels".into()),
            extension: None,
        }],
        "labels in sort order, not creation order"
    );
    assert_eq!(public.domains.len(), 1);
    assert_eq!(public.domains[0].base, TypeName::builtin("text"));
    assert!(!public.domains[0].not_null);
    assert_eq!(
        public.domains[0].checks[0].definition,
        "CHECK (VALUE ~~ '%@%'::text)"
    );
    let app = catalog.schema("app").unwrap();
    let price = app.domains.iter().find(|d| d.name == "price").unwrap();
    assert_eq!(
        (
            price.data_type.as_str(),
            &price.base,
            price.not_null,
            price.default.as_deref()
        ),
        (
            "numeric(10,2)",
            &TypeName::builtin("numeric"),
            true,
            Some("0")
        )
    );
    assert_eq!(
        price.checks,
        [CheckConstraint {
            name: "price_not_negative".into(),
            definition: "CHECK (VALUE >= 0::numeric)".into()
        }]
    );
    let labels = app.domains.iter().find(|d| d.name == "labels").unwrap();
    assert_eq!(labels.data_type, "character varying(20)[]");
    assert_eq!(labels.element, Some(TypeName::builtin("varchar")));
}

#[test]
fn snapshot_round_trip_is_lossless_and_deterministic() {
    let (db, catalog) = fixture_catalog();
    let bytes = snapshot::to_bytes(&catalog);
    let path = std::path::Path::new("schema.json");
    assert_eq!(snapshot::from_bytes(&bytes, path).unwrap(), catalog);
    let again = introspect(&db.connect(), None).unwrap();
    assert_eq!(snapshot::to_bytes(&again), bytes, "same schema, same bytes");
}

#[test]
fn schema_filter_reads_only_the_named_schemas() {
    let (db, _) = fixture_catalog();
    let catalog = introspect(&db.connect(), Some(&["app".to_owned()])).unwrap();
    let schemas: Vec<&str> = catalog.schemas.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(schemas, ["app"]);
    // A foreign key into an unread schema still names its target.
    let orders = catalog.relation("app", "Orders").unwrap();
    assert_eq!(orders.foreign_keys[0].references.name, "users");
}

#[test]
fn introspection_changes_nothing_and_needs_no_table_privileges() {
    let (db, catalog) = fixture_catalog();
    db.execute(
        "INSERT INTO public.users (email, pw_hashed) VALUES ('a@b.c', 'x');
         CREATE ROLE pgdrift_nobody LOGIN;
         REVOKE ALL ON ALL TABLES IN SCHEMA public, app FROM PUBLIC;
         REVOKE ALL ON SCHEMA public FROM PUBLIC;",
    );
    let dump = || {
        let out = Command::new(testing::program("pg_dump"))
            .arg("--no-sync")
            .arg(db.url().expose())
            .output()
            .expect("pg_dump runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        // Newer pg_dumps guard their output with a random `\\restrict` key.
        let text = String::from_utf8(out.stdout).unwrap();
        let lines: Vec<&str> = text.lines().filter(|l| !l.contains("restrict ")).collect();
        assert!(lines.len() > 100, "a real dump");
        lines.join("\n")
    };
    let before = dump();
    let as_nobody = introspect(
        &schema_check::Connection::open(&db.url_as("pgdrift_nobody", ""), &Default::default())
            .unwrap(),
        None,
    )
    .unwrap();
    assert_eq!(
        as_nobody, catalog,
        "a role without privileges sees the same catalog"
    );
    introspect(&db.connect(), None).unwrap();
    assert!(before == dump(), "introspection changed the database");
    db.execute("DROP OWNED BY pgdrift_nobody; DROP ROLE pgdrift_nobody;");
}

/// Creates `count` tables with foreign keys, indexes and comments.
fn many_tables(count: usize) -> String {
    let mut sql = String::from(
        "CREATE TYPE state AS ENUM ('new', 'done'); CREATE TYPE pair AS (a int, b text);
         CREATE TABLE t0 (id bigint PRIMARY KEY);\n",
    );
    for i in 1..count {
        sql.push_str(&format!(
            "CREATE TABLE t{i} (id bigint PRIMARY KEY, parent bigint REFERENCES t{} (id), name text NOT NULL, state state, tags text[]);
             CREATE INDEX t{i}_name ON t{i} (name);
             COMMENT ON TABLE t{i} IS 'table {i}';\n",
            i - 1
        ));
    }
    sql
}

#[test]
fn the_number_of_queries_does_not_grow_with_the_tables() {
    let cluster = Cluster::start(&ClusterOptions {
        settings: vec![
            ("log_statement".into(), "all".into()),
            ("log_line_prefix".into(), "%a|".into()),
        ],
        ..ClusterOptions::default()
    })
    .unwrap();
    let mut counts = Vec::new();
    for tables in [10, 500] {
        let db = cluster.create_database();
        db.execute(&many_tables(tables));
        let app = format!("pgdrift-count-{tables}");
        let url =
            schema_check::DatabaseUrl::new(format!("{}&application_name={app}", db.url().expose()));
        let catalog = introspect(
            &schema_check::Connection::open(&url, &Default::default()).unwrap(),
            None,
        )
        .unwrap();
        assert_eq!(catalog.relations().count(), tables);
        let log = std::fs::read_to_string(cluster.log_path()).unwrap();
        let statements: Vec<&str> = log
            .lines()
            .filter(|l| l.starts_with(&format!("{app}|")))
            .filter(|l| l.contains("LOG:  statement: ") || l.contains("LOG:  execute "))
            .collect();
        assert!(
            statements[0].contains("statement: BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;"),
            "{statements:#?}"
        );
        // Both sessions hide Citus's shards within their opening statement.
        let hiding = statements
            .iter()
            .filter(|s| s.contains("SET LOCAL citus.show_shards_for_app_name_prefixes = ''"))
            .filter(|s| s.contains("statement: BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;"))
            .count();
        assert_eq!(hiding, 2, "{statements:#?}");
        counts.push(statements.len());
    }
    assert_eq!(counts, [schema_check::introspect::STATEMENTS; 2]);
}

#[test]
fn composite_types_come_with_their_attributes_in_order() {
    let db = testing::database();
    db.execute(
        "CREATE SCHEMA geo;
         CREATE TYPE geo.point3 AS (x float8, y float8, z float8);
         CREATE TYPE address AS (street text, zip varchar(10), tags text[], home geo.point3);
         COMMENT ON TYPE address IS 'A postal address';
         COMMENT ON COLUMN address.zip IS 'Postal code';
         CREATE TABLE shop (id int PRIMARY KEY, ship_to address);",
    );
    let catalog = introspect(&db.connect(), None).unwrap();
    let relations: Vec<&str> = catalog.relations().map(|(_, r)| r.name.as_str()).collect();
    assert_eq!(relations, ["shop"], "a composite type is not a relation");
    let address = catalog
        .composite(&TypeName::new("public", "address"))
        .unwrap();
    let attribute =
        |name: &str, data_type: &str, udt: TypeName, element: Option<TypeName>| Attribute {
            name: name.into(),
            data_type: data_type.into(),
            udt,
            element,
            comment: None,
        };
    let mut zip = attribute(
        "zip",
        "character varying(10)",
        TypeName::builtin("varchar"),
        None,
    );
    zip.comment = Some("Postal code".into());
    assert_eq!(
        address,
        &CompositeType {
            name: "address".into(),
            attributes: vec![
                attribute("street", "text", TypeName::builtin("text"), None),
                zip,
                attribute(
                    "tags",
                    "text[]",
                    TypeName::builtin("_text"),
                    Some(TypeName::builtin("text"))
                ),
                attribute("home", "geo.point3", TypeName::new("geo", "point3"), None),
            ],
            comment: Some("A postal address".into()),
            extension: None,
        }
    );
    let point = catalog.composite(&TypeName::new("geo", "point3")).unwrap();
    assert_eq!(point.attributes.len(), 3);
    let ship_to = column(catalog.relation("public", "shop").unwrap(), "ship_to");
    assert_eq!(ship_to.udt, TypeName::new("public", "address"));

    let sections = schema_check::docs::sections(&catalog, &Default::default());
    let section = sections.iter().find(|s| s.key == "public.address").unwrap();
    assert_eq!(
        section.body,
        "### Composite type `public.address`\n\nA postal address\n\n\
         | Attribute | Type | Description |\n| --- | --- | --- |\n\
         | `street` | `text` |  |\n\
         | `zip` | `character varying(10)` | Postal code |\n\
         | `tags` | `text[]` |  |\n\
         | `home` | `geo.point3` |  |\n"
    );
    let json = String::from_utf8(snapshot::to_bytes(&catalog)).unwrap();
    assert!(json.contains("\"composites\""));
    let path = std::path::Path::new("schema.json");
    assert_eq!(
        snapshot::from_bytes(json.as_bytes(), path).unwrap(),
        catalog
    );
}

#[test]
fn index_definitions_are_what_postgres_prints() {
    let (db, _) = fixture_catalog();
    db.execute(
        r#"CREATE TABLE public."Keyed" ("user" text, "order" int, "Mixed Case" text, n int, t text COLLATE "C");
           CREATE INDEX "Keyed_user_order" ON public."Keyed" ("user", "order");
           CREATE UNIQUE INDEX keyed_mixed ON public."Keyed" ("Mixed Case");
           CREATE INDEX keyed_desc ON public."Keyed" (n DESC NULLS LAST);
           CREATE INDEX keyed_include ON public."Keyed" (n) INCLUDE ("user");
           CREATE INDEX keyed_partial ON public."Keyed" (n) WHERE n > 10;
           CREATE INDEX keyed_opclass ON public."Keyed" ("user" text_pattern_ops);
           CREATE INDEX keyed_collate ON public."Keyed" ("user" COLLATE "C");
           CREATE INDEX keyed_column_collation ON public."Keyed" (t);
           CREATE INDEX keyed_hash ON public."Keyed" USING hash (n);
           CREATE INDEX keyed_fillfactor ON public."Keyed" (n) WITH (fillfactor = 70);
           CREATE INDEX users_tags_gin ON public.users USING gin (tags);"#,
    );
    // NULLS NOT DISTINCT is PostgreSQL 15 and newer.
    let nulls_not_distinct = db.server_version_num() >= 150000;
    if nulls_not_distinct {
        db.execute(r#"CREATE UNIQUE INDEX keyed_nulls ON public."Keyed" (n) NULLS NOT DISTINCT"#);
    }
    let catalog = introspect(&db.connect(), None).unwrap();
    let printed = db.query(
        "SET search_path = pg_catalog;
         SELECT n.nspname || '.' || ic.relname || ' ' || pg_get_indexdef(i.indexrelid)
         FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
         JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname IN ('public', 'app') AND NOT c.relispartition ORDER BY 1",
    );
    let mut ours: Vec<String> = catalog
        .relations()
        .flat_map(|(schema, r)| {
            r.indexes
                .iter()
                .map(move |i| format!("{schema}.{} {}", i.name, i.definition))
        })
        .collect();
    ours.sort();
    let printed: Vec<String> = printed.into_iter().flatten().collect();
    assert_eq!(ours, printed);
    assert_eq!(
        ours.len(),
        if nulls_not_distinct { 19 } else { 18 },
        "{ours:#?}"
    );
}

#[test]
fn partial_index_definitions_are_what_postgres_prints() {
    let db = testing::database();
    db.execute(
        r#"CREATE SCHEMA "Part Ial";
           CREATE TABLE "Part Ial"."Orders" (id int, "Status" text, total numeric(10,2), at date,
                                              code varchar(8), flags int[]);
           CREATE INDEX open_orders ON "Part Ial"."Orders" (id) WHERE "Status" = 'open';
           CREATE UNIQUE INDEX "Big Ones" ON "Part Ial"."Orders" (id, "Status")
             WHERE total > 100.5 AND at >= '2024-01-01'::date;
           CREATE INDEX listed ON "Part Ial"."Orders" (code)
             WHERE code IN ('a', 'b''s') OR lower(code) LIKE 'x%' OR flags @> ARRAY[1];
           CREATE INDEX hashed ON "Part Ial"."Orders" USING hash (id) WHERE id IS NOT NULL;
           CREATE INDEX nested ON "Part Ial"."Orders" (at) WHERE NOT (id < 0 AND coalesce(total, 0) = 0);
           CREATE TABLE "Part Ial".parted (id int, k int) PARTITION BY RANGE (id);
           CREATE TABLE "Part Ial".parted_1 PARTITION OF "Part Ial".parted FOR VALUES FROM (0) TO (10);
           CREATE INDEX parted_k ON "Part Ial".parted (k) WHERE k > 0;"#,
    );
    let catalog = introspect(&db.connect(), None).unwrap();
    let printed = db.query(
        "SET search_path = pg_catalog;
         SELECT ic.relname || ' ' || pg_get_indexdef(i.indexrelid)
         FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
         JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'Part Ial' AND NOT c.relispartition ORDER BY 1",
    );
    let mut ours: Vec<String> = catalog
        .schema("Part Ial")
        .unwrap()
        .relations
        .iter()
        .flat_map(|r| r.indexes.iter())
        .map(|i| format!("{} {}", i.name, i.definition))
        .collect();
    ours.sort();
    let printed: Vec<String> = printed.into_iter().flatten().collect();
    assert_eq!(ours, printed);
    assert_eq!(ours.len(), 6, "{ours:#?}");
    assert!(ours.iter().all(|d| d.contains(" WHERE ")), "{ours:#?}");
}

#[test]
fn one_session_suffices_when_a_second_cannot_be_had() {
    let (db, catalog) = fixture_catalog();
    db.execute("CREATE ROLE pgdrift_single LOGIN CONNECTION LIMIT 1");
    let single =
        schema_check::Connection::open(&db.url_as("pgdrift_single", ""), &Default::default())
            .unwrap();
    assert_eq!(introspect(&single, None).unwrap(), catalog);
    drop(single);
    db.execute("DROP ROLE pgdrift_single");
}

#[test]
fn triggers_and_view_writability_are_read() {
    let db = testing::database();
    db.execute(
        "CREATE TABLE entries (id serial PRIMARY KEY, actor text NOT NULL);
         CREATE FUNCTION fill() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
         CREATE TRIGGER b_fill BEFORE INSERT OR UPDATE ON entries FOR EACH ROW EXECUTE FUNCTION fill();
         CREATE TRIGGER a_log AFTER DELETE ON entries FOR EACH STATEMENT EXECUTE FUNCTION fill();
         CREATE TRIGGER c_off BEFORE INSERT ON entries FOR EACH ROW EXECUTE FUNCTION fill();
         ALTER TABLE entries DISABLE TRIGGER c_off;
         CREATE TRIGGER d_replica BEFORE INSERT ON entries FOR EACH ROW EXECUTE FUNCTION fill();
         ALTER TABLE entries ENABLE REPLICA TRIGGER d_replica;
         CREATE TRIGGER e_always BEFORE INSERT ON entries FOR EACH ROW EXECUTE FUNCTION fill();
         ALTER TABLE entries ENABLE ALWAYS TRIGGER e_always;
         CREATE TABLE other (id integer PRIMARY KEY REFERENCES entries (id));
         CREATE VIEW simple AS SELECT id, actor FROM entries;
         CREATE VIEW counted AS SELECT count(*) AS n FROM entries;
         CREATE VIEW guarded AS SELECT count(*) AS n FROM entries;
         CREATE FUNCTION nothing() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$;
         CREATE TRIGGER g INSTEAD OF INSERT ON guarded FOR EACH ROW EXECUTE FUNCTION nothing();",
    );
    let catalog = introspect(&db.connect(), None).unwrap();
    let entries = catalog.relation("public", "entries").unwrap();
    let before_insert = |name: &str, disabled| Trigger {
        name: name.into(),
        timing: TriggerTiming::Before,
        events: vec!["insert".into()],
        row: true,
        disabled,
    };
    assert_eq!(
        entries.triggers,
        [
            Trigger {
                name: "a_log".into(),
                timing: TriggerTiming::After,
                events: vec!["delete".into()],
                row: false,
                disabled: false,
            },
            Trigger {
                name: "b_fill".into(),
                timing: TriggerTiming::Before,
                events: vec!["insert".into(), "update".into()],
                row: true,
                disabled: false,
            },
            before_insert("c_off", true),
            before_insert("d_replica", true),
            before_insert("e_always", false),
        ]
    );
    let fills: Vec<bool> = entries.triggers.iter().map(|t| t.fills_inserts()).collect();
    assert_eq!(
        fills,
        [false, true, false, false, true],
        "a disabled or replica-only trigger does not fire on an application's insert"
    );
    let path = std::path::Path::new("triggers.json");
    let bytes = snapshot::to_bytes(&catalog);
    assert_eq!(snapshot::from_bytes(&bytes, path).unwrap(), catalog);
    let text = String::from_utf8(bytes).unwrap();
    assert_eq!(
        text.matches("\"disabled\": true").count(),
        2,
        "only a disabled trigger says so in the snapshot: {text}"
    );
    assert!(
        catalog
            .relation("public", "other")
            .unwrap()
            .triggers
            .is_empty(),
        "the triggers PostgreSQL makes for a foreign key are internal"
    );
    assert_eq!(entries.writable, None, "tables are always writable");
    let writable = |name: &str| catalog.relation("public", name).unwrap().writable;
    assert_eq!(
        writable("simple"),
        Some(Writable {
            insert: true,
            update: true
        })
    );
    assert_eq!(
        writable("counted"),
        Some(Writable {
            insert: false,
            update: false
        })
    );
    assert_eq!(
        writable("guarded"),
        Some(Writable {
            insert: true,
            update: false
        })
    );
}

/// The relation of the PostgreSQL 18 fixture, as the snapshot stores it.
const READINGS_18: &str = r#"{
  "name": "readings",
  "kind": "table",
  "columns": [
    {
      "name": "id",
      "type": "bigint",
      "udt": "int8",
      "nullable": false
    },
    {
      "name": "celsius",
      "type": "numeric",
      "udt": "\"numeric\"",
      "nullable": false
    },
    {
      "name": "fahrenheit",
      "type": "numeric",
      "udt": "\"numeric\"",
      "nullable": true,
      "generated": "(((celsius * (9)::numeric) / (5)::numeric) + (32)::numeric)",
      "generated_kind": "virtual",
      "comment": "Computed when read"
    },
    {
      "name": "kelvin",
      "type": "numeric",
      "udt": "\"numeric\"",
      "nullable": true,
      "generated": "(celsius + 273.15)"
    },
    {
      "name": "station",
      "type": "text",
      "udt": "text",
      "nullable": true,
      "not_null_not_valid": true
    },
    {
      "name": "note",
      "type": "text",
      "udt": "text",
      "nullable": true
    }
  ],
  "primary_key": {
    "name": "readings_pkey",
    "columns": [
      "id"
    ]
  },
  "foreign_keys": [
    {
      "name": "readings_station_fk",
      "columns": [
        "station"
      ],
      "references": {
        "schema": "public",
        "name": "stations"
      },
      "referenced_columns": [
        "name"
      ],
      "on_update": "no_action",
      "on_delete": "no_action",
      "not_enforced": true
    }
  ],
  "check_constraints": [
    {
      "name": "readings_above_absolute_zero",
      "definition": "CHECK (celsius > '-273.15'::numeric) NOT ENFORCED"
    }
  ],
  "indexes": [
    {
      "name": "readings_pkey",
      "columns": [
        "id"
      ],
      "unique": true,
      "primary": true,
      "definition": "CREATE UNIQUE INDEX readings_pkey ON public.readings USING btree (id)"
    }
  ]
}"#;

#[test]
fn postgres_18_virtual_generated_and_not_valid_not_null_columns() {
    let db = testing::database();
    if db.server_version_num() < 180000 {
        // Older servers know neither feature: the fixture is refused there.
        let refused = db.connect().batch_execute(FIXTURE_18).unwrap_err();
        assert!(refused.to_string().contains("syntax error"), "{refused}");
        return;
    }
    db.execute(FIXTURE_18);
    let catalog = introspect(&db.connect(), None).unwrap();
    let readings = catalog.relation("public", "readings").unwrap();
    assert_eq!(serde_json::to_string_pretty(readings).unwrap(), READINGS_18);
    let fahrenheit = column(readings, "fahrenheit");
    assert_eq!(fahrenheit.generated_as(), Some(GeneratedKind::Virtual));
    assert_eq!(
        fahrenheit.default, None,
        "a generation expression, not a default"
    );
    assert_eq!(
        column(readings, "kelvin").generated_as(),
        Some(GeneratedKind::Stored)
    );
    let station = column(readings, "station");
    assert!(station.nullable && station.not_null_not_valid);
    assert!(!station.accepts_null_on_write());
    assert_eq!(
        db.query("SELECT count(*) FROM public.readings WHERE station IS NULL"),
        [Some("1".to_owned())],
        "a row from before the constraint still holds NULL"
    );
    let docs = schema_check::docs::relation_section("public", readings, &[]);
    assert!(
        docs.contains("| `fahrenheit` | `numeric` | yes | generated (virtual): `(((celsius * (9)::numeric) / (5)::numeric) + (32)::numeric)` |"),
        "{docs}"
    );
    assert!(
        docs.contains("| `kelvin` | `numeric` | yes | generated (stored): `(celsius + 273.15)` |"),
        "{docs}"
    );
    assert!(
        docs.contains("| `station` | `text` | yes (`NOT NULL NOT VALID`) |  | FK → `public.stations.name` (not enforced) |"),
        "{docs}"
    );
    let mut text = String::new();
    schema_check::catalog_text::render_relation(&mut text, "public", readings);
    assert!(
        text.contains("generated always as ((((celsius * (9)::numeric) / (5)::numeric) + (32)::numeric)) virtual"),
        "{text}"
    );
    assert!(text.contains("yes (not null not valid)"), "{text}");
    assert!(
        text.contains("foreign key readings_station_fk (station) references public.stations (name) on delete no action not enforced"),
        "{text}"
    );
    let note = column(readings, "note");
    assert!(note.nullable && !note.not_null_not_valid && note.accepts_null_on_write());
    // Once validated, the constraint is an ordinary NOT NULL.
    db.execute(
        "UPDATE public.readings SET station = 'north';
         ALTER TABLE public.readings VALIDATE CONSTRAINT readings_station_not_null;",
    );
    let validated = introspect(&db.connect(), None).unwrap();
    let station = column(validated.relation("public", "readings").unwrap(), "station");
    assert!(!station.nullable && !station.not_null_not_valid);
}

/// PostgreSQL 18's temporal keys: a range column compared `WITHOUT
/// OVERLAPS` in a primary or unique key, and a foreign key whose last
/// columns are `PERIOD`s.
const TEMPORAL_18: &str = "
    CREATE EXTENSION btree_gist;
    CREATE TABLE rooms (
        id int, valid_at daterange,
        PRIMARY KEY (id, valid_at WITHOUT OVERLAPS)
    );
    CREATE TABLE bookings (
        id int, room int, valid_at daterange,
        UNIQUE (id, valid_at WITHOUT OVERLAPS),
        FOREIGN KEY (room, PERIOD valid_at) REFERENCES rooms (id, PERIOD valid_at)
    );";

#[test]
fn postgres_18_temporal_keys_are_not_read_as_plain_keys() {
    let db = testing::database();
    if db.server_version_num() < 180000 {
        // Older servers know no temporal keys: the fixture is refused there.
        let refused = db.connect().batch_execute(TEMPORAL_18).unwrap_err();
        assert!(refused.to_string().contains("syntax error"), "{refused}");
        return;
    }
    db.execute(TEMPORAL_18);
    let catalog = introspect(&db.connect(), None).unwrap();
    let rooms = catalog.relation("public", "rooms").unwrap();
    let key = rooms.primary_key.as_ref().unwrap();
    assert!(key.without_overlaps, "{key:?}");
    assert_eq!(key.column_list(), "id, valid_at WITHOUT OVERLAPS");
    let bookings = catalog.relation("public", "bookings").unwrap();
    assert!(bookings.unique_constraints[0].without_overlaps);
    let fk = &bookings.foreign_keys[0];
    assert!(fk.period, "{fk:?}");
    let json = serde_json::to_string(&catalog).unwrap();
    assert!(json.contains(r#""without_overlaps":true"#), "{json}");
    assert!(json.contains(r#""period":true"#), "{json}");
    assert_eq!(serde_json::from_str::<Catalog>(&json).unwrap(), catalog);

    let mut text = String::new();
    schema_check::catalog_text::render_relation(&mut text, "public", bookings);
    assert!(
        text.contains("unique bookings_id_valid_at_key (id, valid_at WITHOUT OVERLAPS)"),
        "{text}"
    );
    assert!(
        text.contains("(room, PERIOD valid_at) references public.rooms (id, PERIOD valid_at)"),
        "{text}"
    );
    let docs = schema_check::docs::relation_section("public", bookings, &[]);
    assert!(
        docs.contains("FK → `public.rooms.valid_at` (period)"),
        "{docs}"
    );
    let docs = schema_check::docs::relation_section("public", rooms, &[]);
    assert!(docs.contains("| PK (without overlaps) |"), "{docs}");

    // The same keys without their temporal part are a change.
    let mut plain = catalog.clone();
    for schema in &mut plain.schemas {
        for relation in &mut schema.relations {
            if let Some(key) = &mut relation.primary_key {
                key.without_overlaps = false;
            }
            for fk in &mut relation.foreign_keys {
                fk.period = false;
            }
        }
    }
    let changes: Vec<String> = schema_check::diff(&catalog, &plain)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        changes,
        [
            "foreign key bookings_room_valid_at_fkey on public.bookings changed: definition (room, PERIOD valid_at) → public.rooms (id, PERIOD valid_at) ON UPDATE NO ACTION ON DELETE NO ACTION → (room, valid_at) → public.rooms (id, valid_at) ON UPDATE NO ACTION ON DELETE NO ACTION",
            "primary key rooms_pkey on public.rooms changed: columns (id, valid_at WITHOUT OVERLAPS) → (id, valid_at)",
        ]
    );
}
