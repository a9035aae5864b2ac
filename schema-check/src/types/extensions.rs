//! Column types that extensions define, and the Rust types that fit them.
//!
//! An extension's types keep their names in whatever schema the extension
//! was installed into (`public.geometry`, `gis.geometry`), so they are known
//! by name alone; a user's own enum or domain of the same name is resolved
//! before this table is asked. The Rust types are those the established
//! crates decode each type into (their `FromSql`/`Decode` implementations
//! accept the type by name):
//!
//! - PostGIS `geometry`, `geography`: the `postgis` crate's `ewkb` types
//!   (`Point`, `LineString`, `Polygon`, the `Multi…` types, `Geometry`,
//!   `GeometryCollection`, each also in its `Z`, `M` and `ZM` form and as the
//!   generic `…T<P>`), and the `geozero` crate's `wkb::Decode<T>` (which is
//!   how `geo-types` geometries are read) and `wkb::Ewkb`.
//! - pgvector `vector`, `halfvec`, `sparsevec`: the `pgvector` crate's
//!   `Vector`, `HalfVector`, `SparseVector`.
//! - `ltree`, `lquery`: sqlx's `PgLTree`, `PgLQuery`; rust-postgres also
//!   reads them (and `ltxtquery`) as text.
//! - `cube`: sqlx's `PgCube`.
//! - `isn` (`ean13`, `isbn`, `issn`, …): no binary input/output functions,
//!   so no client decodes them as they are; they are read cast to text, into
//!   a `String`.
//!
//! Generic arguments tell apart types that share a last segment: the
//! `postgis` crate's `Point` has none, `geo_types::Point<f64>` (the built-in
//! `point` type's) has one.

use super::{classify, last_segment, Fit, Kind, Shape};

/// One extension's column types and the Rust types that fit them.
pub(super) struct ExtensionType {
    /// `pg_type` names.
    pub names: &'static [&'static str],
    /// Paths as users write them; the last segment is matched, and `<…>`
    /// means "with generic arguments".
    accepted: &'static [&'static str],
    /// What messages suggest, most general first (the accepted list,
    /// shortened).
    pub shown: &'static [&'static str],
    /// `String`, `&str` and friends fit too.
    text: bool,
}

/// The extension types pgdrift knows.
pub(super) const EXTENSION_TYPES: &[ExtensionType] = &[
    ExtensionType {
        names: &["geometry", "geography"],
        accepted: &[
            "postgis::ewkb::Point",
            "postgis::ewkb::PointZ",
            "postgis::ewkb::PointM",
            "postgis::ewkb::PointZM",
            "postgis::ewkb::LineString",
            "postgis::ewkb::LineStringZ",
            "postgis::ewkb::LineStringM",
            "postgis::ewkb::LineStringZM",
            "postgis::ewkb::LineStringT<P>",
            "postgis::ewkb::Polygon",
            "postgis::ewkb::PolygonZ",
            "postgis::ewkb::PolygonM",
            "postgis::ewkb::PolygonZM",
            "postgis::ewkb::PolygonT<P>",
            "postgis::ewkb::MultiPoint",
            "postgis::ewkb::MultiPointZ",
            "postgis::ewkb::MultiPointM",
            "postgis::ewkb::MultiPointZM",
            "postgis::ewkb::MultiPointT<P>",
            "postgis::ewkb::MultiLineString",
            "postgis::ewkb::MultiLineStringZ",
            "postgis::ewkb::MultiLineStringM",
            "postgis::ewkb::MultiLineStringZM",
            "postgis::ewkb::MultiLineStringT<P>",
            "postgis::ewkb::MultiPolygon",
            "postgis::ewkb::MultiPolygonZ",
            "postgis::ewkb::MultiPolygonM",
            "postgis::ewkb::MultiPolygonZM",
            "postgis::ewkb::MultiPolygonT<P>",
            "postgis::ewkb::Geometry",
            "postgis::ewkb::GeometryZ",
            "postgis::ewkb::GeometryM",
            "postgis::ewkb::GeometryZM",
            "postgis::ewkb::GeometryT<P>",
            "postgis::ewkb::GeometryCollection",
            "postgis::ewkb::GeometryCollectionZ",
            "postgis::ewkb::GeometryCollectionM",
            "postgis::ewkb::GeometryCollectionZM",
            "postgis::ewkb::GeometryCollectionT<P>",
            "geozero::wkb::Decode<T>",
            "geozero::wkb::Ewkb",
        ],
        shown: &[
            "postgis::ewkb::Geometry",
            "postgis::ewkb::Point",
            "geozero::wkb::Decode<geo_types::Geometry<f64>>",
            "geozero::wkb::Ewkb",
        ],
        text: false,
    },
    ExtensionType {
        names: &["vector"],
        accepted: &["pgvector::Vector"],
        shown: &["pgvector::Vector"],
        text: false,
    },
    ExtensionType {
        names: &["halfvec"],
        accepted: &["pgvector::HalfVector"],
        shown: &["pgvector::HalfVector"],
        text: false,
    },
    ExtensionType {
        names: &["sparsevec"],
        accepted: &["pgvector::SparseVector"],
        shown: &["pgvector::SparseVector"],
        text: false,
    },
    ExtensionType {
        names: &["ltree"],
        accepted: &["sqlx::postgres::types::PgLTree"],
        shown: &["sqlx::postgres::types::PgLTree", "String"],
        text: true,
    },
    ExtensionType {
        names: &["lquery"],
        accepted: &["sqlx::postgres::types::PgLQuery"],
        shown: &["sqlx::postgres::types::PgLQuery", "String"],
        text: true,
    },
    ExtensionType {
        names: &["ltxtquery"],
        accepted: &[],
        shown: &["String"],
        text: true,
    },
    ExtensionType {
        names: &["cube"],
        accepted: &["sqlx::postgres::types::PgCube"],
        shown: &["sqlx::postgres::types::PgCube"],
        text: false,
    },
    ExtensionType {
        names: &[
            "ean13", "isbn13", "ismn13", "issn13", "isbn", "ismn", "issn", "upc",
        ],
        accepted: &[],
        shown: &["String"],
        text: true,
    },
];

/// The table entry for a `pg_type` name, in any schema.
pub(super) fn lookup(name: &str) -> Option<&'static ExtensionType> {
    EXTENSION_TYPES.iter().find(|t| t.names.contains(&name))
}

/// The entry whose accepted Rust types include `ty`.
fn owner(ty: &syn::Type) -> Option<&'static ExtensionType> {
    let (name, args) = last_segment(ty)?;
    EXTENSION_TYPES.iter().find(|t| {
        t.accepted.iter().any(|path| {
            let (path, generic) = match path.split_once('<') {
                Some((path, _)) => (path, true),
                None => (*path, false),
            };
            path.rsplit("::").next() == Some(name.as_str()) && generic != args.is_empty()
        })
    })
}

/// Whether `ty` fits a column of the extension type `sql` (a `pg_type` name
/// [`lookup`] knows).
pub(super) fn fits(sql: &str, ty: &syn::Type) -> Fit {
    let Some(expected) = lookup(sql) else {
        return Fit::Unknown;
    };
    if let Some(owner) = owner(ty) {
        return if std::ptr::eq(owner, expected) {
            Fit::Yes
        } else {
            Fit::No
        };
    }
    match classify(ty) {
        Some(Shape::Kind(Kind::Text)) if expected.text => Fit::Yes,
        Some(_) => Fit::No,
        None => Fit::Unknown,
    }
}

/// Whether a Rust type is one of an extension's (so it fits no built-in type).
pub(super) fn is_extension_rust_type(ty: &syn::Type) -> bool {
    owner(ty).is_some()
}

#[cfg(test)]
mod tests {
    use super::super::{fits, resolve, rust_types_for, SqlType};
    use super::*;
    use crate::catalog::{Catalog, Column, Domain, GeneratedKind, Schema, TypeName};

    fn fit(sql: &SqlType, rust: &str) -> Fit {
        fits(sql, &syn::parse_str(rust).unwrap())
    }

    fn column(udt: TypeName, element: Option<TypeName>) -> Column {
        Column {
            name: "c".into(),
            data_type: udt.name.clone(),
            udt,
            element,
            nullable: true,
            default: None,
            identity: None,
            generated: None,
            generated_kind: GeneratedKind::Stored,
            not_null_not_valid: false,
            comment: None,
        }
    }

    #[test]
    fn the_extension_type_table() {
        let cases: &[(&str, &[&str], &[&str])] = &[
            (
                "geometry",
                &[
                    "postgis::ewkb::Point",
                    "ewkb::PointZM",
                    "postgis::ewkb::LineString",
                    "postgis::ewkb::LineStringT<postgis::ewkb::PointZ>",
                    "postgis::ewkb::MultiPolygonM",
                    "postgis::ewkb::Geometry",
                    "postgis::ewkb::GeometryCollectionZ",
                    "geozero::wkb::Decode<geo_types::Geometry<f64>>",
                    "wkb::Decode<geo_types::Point<f64>>",
                    "geozero::wkb::Ewkb",
                ],
                &[
                    "String",
                    "Vec<u8>",
                    "pgvector::Vector",
                    "sqlx::postgres::types::PgCube",
                ],
            ),
            (
                "geography",
                &["postgis::ewkb::Point", "geozero::wkb::Ewkb"],
                &["f64"],
            ),
            (
                "vector",
                &["pgvector::Vector", "Vector"],
                &["Vec<f32>", "pgvector::HalfVector", "String"],
            ),
            (
                "halfvec",
                &["pgvector::HalfVector"],
                &["pgvector::Vector", "Vec<f32>"],
            ),
            (
                "sparsevec",
                &["pgvector::SparseVector"],
                &["pgvector::Vector", "Vec<f32>"],
            ),
            (
                "ltree",
                &["sqlx::postgres::types::PgLTree", "String", "&'a str"],
                &["sqlx::postgres::types::PgLQuery", "i64"],
            ),
            (
                "lquery",
                &["sqlx::postgres::types::PgLQuery", "String"],
                &["PgLTree"],
            ),
            ("ltxtquery", &["String"], &["PgLTree", "PgLQuery"]),
            (
                "cube",
                &["sqlx::postgres::types::PgCube"],
                &["Vec<f64>", "String"],
            ),
            ("isbn13", &["String"], &["i64", "u64"]),
            ("ean13", &["String"], &["i64"]),
        ];
        for (sql, good, bad) in cases {
            let sql_type = SqlType::Extension(
                lookup(sql)
                    .unwrap()
                    .names
                    .iter()
                    .find(|n| n == &sql)
                    .unwrap(),
            );
            for rust in *good {
                assert_eq!(fit(&sql_type, rust), Fit::Yes, "{sql} ← {rust}");
            }
            for rust in *bad {
                assert_eq!(fit(&sql_type, rust), Fit::No, "{sql} ← {rust}");
            }
        }
        let geometry = SqlType::Extension("geometry");
        assert_eq!(
            fit(&geometry, "geo_types::Point<f64>"),
            Fit::Unknown,
            "geo-types geometries are read through geozero's Decode, and `point`'s Point<f64> is not PostGIS's"
        );
        assert_eq!(fit(&geometry, "Location"), Fit::Unknown, "a newtype");
        assert_eq!(
            fit(&SqlType::Mapped("int4"), "pgvector::Vector"),
            Fit::No,
            "an extension's Rust type fits no built-in type"
        );
        assert_eq!(
            fit(&SqlType::Mapped("bytea"), "postgis::ewkb::Point"),
            Fit::No
        );
        assert!(rust_types_for(&SqlType::Extension("vector")) == ["pgvector::Vector"]);
    }

    #[test]
    fn extension_types_are_found_in_any_schema_after_the_users_own_types() {
        let mut catalog = Catalog {
            schemas: vec![Schema {
                name: "app".into(),
                domains: vec![Domain {
                    name: "cube".into(),
                    data_type: "integer".into(),
                    base: TypeName::builtin("int4"),
                    element: None,
                    not_null: false,
                    default: None,
                    checks: vec![],
                    comment: None,
                    extension: None,
                }],
                ..Schema::default()
            }],
        };
        catalog.normalize();
        for schema in ["public", "gis", "extensions"] {
            let sql = resolve(&catalog, &column(TypeName::new(schema, "geometry"), None));
            assert_eq!(sql, SqlType::Extension("geometry"), "{schema}");
        }
        let array = resolve(
            &catalog,
            &column(
                TypeName::new("ext", "_vector"),
                Some(TypeName::new("ext", "vector")),
            ),
        );
        assert_eq!(fit(&array, "Vec<pgvector::Vector>"), Fit::Yes);
        assert_eq!(fit(&array, "pgvector::Vector"), Fit::No);
        assert_eq!(
            resolve(&catalog, &column(TypeName::new("app", "cube"), None)),
            SqlType::Mapped("int4"),
            "the user's domain named like an extension type is the user's"
        );
    }
}
