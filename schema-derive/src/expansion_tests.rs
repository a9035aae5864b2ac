//! What the derives generate, reviewed like any other code: each expansion
//! is pretty-printed and compared with its committed snapshot
//! (`cargo insta review` after a deliberate change).

use std::path::Path;

fn pretty(tokens: proc_macro2::TokenStream) -> String {
    let file: syn2::File = syn2::parse2(tokens).expect("the expansion parses as items");
    let text = prettyplease::unparse(&file);
    // The tracked snapshot's absolute path differs from machine to machine.
    let fixture = fixture().canonicalize().unwrap();
    text.replace(&fixture.to_string_lossy().into_owned(), "<snapshot>")
}

fn fixture() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/ui-schema.json")
}

fn input(src: &str) -> syn::DeriveInput {
    syn::parse_str(src).unwrap()
}

/// One test: the expansions read the schema through process-wide variables.
#[test]
fn expansions() {
    std::env::set_var("PGDRIFT_SNAPSHOT", fixture());
    std::env::set_var("PGDRIFT_OFFLINE", "true");
    std::env::remove_var("DATABASE_URL");

    let model = crate::expand(&input(
        r#"
        #[pgdrift(table = "media", partial, strict)]
        pub struct Media {
            pub id: i64,
            pub kind: MediaKind,
            pub kinds: Vec<MediaKind>,
            pub owner_email: Option<Email>,
        }"#,
    ));
    insta::assert_snapshot!("model_with_custom_types", pretty(model));

    // An insert struct with a lifetime, a renamed quoted column, and a
    // warning (an `Option` on a NOT NULL column it reads back).
    let insert = crate::expand(&input(
        r#"
        #[pgdrift(schema = "app", table = "orders", insert, read)]
        pub struct NewOrder<'a> {
            pub user_id: i64,
            pub total: &'a str,
            #[pgdrift(column = "createdAt")]
            pub created_at: Option<chrono::DateTime<chrono::Utc>>,
            #[pgdrift(skip)]
            pub note: &'a str,
        }"#,
    ));
    insta::assert_snapshot!("insert_with_warning", pretty(insert));

    let media_kind = crate::custom::expand_enum(&input(
        r#"
        #[pgdrift(rename_all = "lowercase")]
        pub enum MediaKind { Photo, Video, Audio, #[pgdrift(rename = "voice memo")] VoiceMemo }"#,
    ));
    insta::assert_snapshot!("enum", pretty(media_kind));

    let newtypes = [
        "#[sqlx(transparent)] pub struct Views(i32);",
        r#"#[pgdrift(sql_type = "character varying(200)")] pub struct Title(String);"#,
        "pub struct Headline { title: Title }",
    ]
    .map(|src| pretty(crate::custom::expand_sql_type(&input(src))))
    .join("\n");
    insta::assert_snapshot!("newtypes", newtypes);
}
