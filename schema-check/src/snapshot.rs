//! The offline snapshot: a [`Catalog`] stored as versioned JSON
//! (`.pgdrift/schema.json`).
//!
//! The file is deterministic (the same catalog gives the same bytes) and
//! diff-friendly: containers are indented down to one line per column,
//! constraint and index.

use std::path::Path;

use serde::Deserialize;

use crate::catalog::{Catalog, Schema};
use crate::error::{Error, Result};
use crate::files;

/// The snapshot format this pgdrift reads and writes.
pub const FORMAT: u32 = 1;

#[cfg(feature = "workflow")]
mod write;
#[cfg(feature = "workflow")]
pub use write::{freshness, save, to_bytes, write};

#[derive(Deserialize)]
struct SnapshotOwned {
    format: u32,
    #[serde(default)]
    schemas: Vec<Schema>,
}

#[derive(Deserialize)]
struct Header {
    format: u32,
}

/// Parses a snapshot's bytes; `path` names the file in errors.
pub fn from_bytes(bytes: &[u8], path: &Path) -> Result<Catalog> {
    let shown = path.display();
    let corrupt = |e: serde_json::Error| {
        Error::Snapshot(format!(
            "snapshot {shown} is corrupt at line {}, column {}: {}; regenerate it with `schema-check snapshot`",
            e.line(),
            e.column(),
            strip_position(&e.to_string())
        ))
    };
    let newer = |format: u32| {
        let line = line_of(bytes, b"\"format\"");
        Error::Snapshot(format!(
            "snapshot {shown} line {line} has format {format}, but this pgdrift reads format {FORMAT}: upgrade pgdrift, or regenerate the snapshot with `schema-check snapshot`"
        ))
    };
    match crate::catalog::reading_shared(|| serde_json::from_slice::<SnapshotOwned>(bytes)) {
        Ok(snapshot) if snapshot.format == FORMAT => {
            let mut catalog = Catalog {
                schemas: snapshot.schemas,
            };
            catalog.normalize();
            Ok(catalog)
        }
        Ok(snapshot) => Err(newer(snapshot.format)),
        Err(e) => match serde_json::from_slice::<Header>(bytes) {
            Ok(header) if header.format != FORMAT => Err(newer(header.format)),
            _ => Err(corrupt(e)),
        },
    }
}

/// Loads the snapshot at `path`.
pub fn load(path: &Path) -> Result<Catalog> {
    match files::read_if_exists(path)? {
        Some(bytes) => from_bytes(&bytes, path),
        None => Err(Error::Snapshot(format!(
            "snapshot {} does not exist: run `schema-check snapshot` with DATABASE_URL set to create it",
            path.display()
        ))),
    }
}

/// serde_json's messages end with " at line L column C"; we say it first.
fn strip_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(i) => &message[..i],
        None => message,
    }
}

fn line_of(haystack: &[u8], needle: &[u8]) -> usize {
    let at = haystack
        .windows(needle.len())
        .position(|w| w == needle)
        .unwrap_or(0);
    1 + haystack[..at].iter().filter(|&&b| b == b'\n').count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::*;

    fn sample() -> Catalog {
        Catalog {
            schemas: vec![Schema {
                name: "public".into(),
                comment: Some("standard public schema".into()),
                relations: vec![Relation {
                    name: "users".into(),
                    kind: RelationKind::Table,
                    comment: None,
                    columns: vec![Column {
                        name: "id".into(),
                        data_type: "bigint".into(),
                        udt: TypeName::builtin("int8"),
                        element: None,
                        nullable: false,
                        default: None,
                        identity: Some(Identity::Always),
                        generated: None,
                        generated_kind: GeneratedKind::Stored,
                        not_null_not_valid: false,
                        comment: Some("ключ \"id\"".into()),
                    }],
                    primary_key: Some(KeyConstraint {
                        name: "users_pkey".into(),
                        columns: vec!["id".into()],
                        without_overlaps: false,
                    }),
                    foreign_keys: vec![],
                    unique_constraints: vec![],
                    check_constraints: vec![],
                    indexes: vec![],
                    partition_key: None,
                    triggers: Vec::new(),
                    writable: None,
                    distribution: None,
                    partitions: vec![],
                    extension: None,
                }],
                enums: vec![EnumType {
                    name: "mood".into(),
                    labels: vec!["sad".into(), "ok".into()],
                    comment: None,
                    extension: None,
                }],
                domains: vec![],
                extension: None,
                composites: vec![],
            }],
        }
    }

    #[test]
    fn round_trip_is_lossless_and_columns_take_one_line() {
        let bytes = to_bytes(&sample());
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(text.starts_with("{\n  \"format\": 1,\n"), "{text}");
        assert!(
            text.contains("\n            {\"name\": \"id\", \"type\": \"bigint\", \"udt\": \"int8\", \"nullable\": false, \"identity\": \"always\", \"comment\": \"ключ \\\"id\\\"\"}\n"),
            "{text}"
        );
        let back = from_bytes(&bytes, Path::new("schema.json")).unwrap();
        assert_eq!(back, sample());
        assert_eq!(to_bytes(&back), bytes);
    }

    #[test]
    fn corrupt_file_names_file_and_line() {
        let bytes = b"{\n  \"format\": 1,\n  \"schemas\": [\n    {\"name\": }\n  ]\n}\n";
        let err = from_bytes(bytes, Path::new(".pgdrift/schema.json")).unwrap_err();
        let message = err.to_string();
        assert!(
            message.starts_with(
                "snapshot .pgdrift/schema.json is corrupt at line 4, column 14: expected value"
            ),
            "{message}"
        );
    }

    #[test]
    fn newer_format_is_refused_with_its_line() {
        let bytes = b"{\n  \"format\": 99,\n  \"schemas\": [{\"tables\": 3}]\n}\n";
        let err = from_bytes(bytes, Path::new("s.json")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "snapshot s.json line 2 has format 99, but this pgdrift reads format 1: upgrade pgdrift, or regenerate the snapshot with `schema-check snapshot`"
        );
    }

    #[test]
    fn missing_file_says_how_to_create_it() {
        let err = load(Path::new("/nonexistent/.pgdrift/schema.json")).unwrap_err();
        assert!(err
            .to_string()
            .contains("does not exist: run `schema-check snapshot`"));
    }
}
