//! Writing snapshots, and telling a stale one from a fresh one.

use std::io::{self, Write};
use std::path::Path;

use serde::Serialize;

use super::{from_bytes, FORMAT};
use crate::catalog::{Catalog, Schema};
use crate::error::Result;
use crate::files;
use crate::finding::{Check, Finding, Level, Place};

#[derive(Serialize)]
struct SnapshotRef<'a> {
    format: u32,
    schemas: &'a [Schema],
}

/// Serialises a catalog into the snapshot's bytes.
pub fn to_bytes(catalog: &Catalog) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 * 1024);
    write(&mut out, catalog).expect("writing to memory cannot fail");
    out
}

/// Writes a catalog in the snapshot format to `out` (a file, standard output).
///
/// The serialiser's many small writes go to a buffer of a known type, which
/// hands `out` (often a `dyn Write`) large blocks: one call through `out` per
/// block rather than per token.
pub fn write<W: io::Write + ?Sized>(out: &mut W, catalog: &Catalog) -> io::Result<()> {
    let mut buffered = io::BufWriter::with_capacity(1 << 16, out);
    let mut ser =
        serde_json::Serializer::with_formatter(&mut buffered, SnapshotFormatter::default());
    SnapshotRef {
        format: FORMAT,
        schemas: &catalog.schemas,
    }
    .serialize(&mut ser)
    .map_err(io::Error::from)?;
    buffered.write_all(b"\n")?;
    buffered.flush()
}

/// Writes the snapshot atomically.
pub fn save(path: &Path, catalog: &Catalog) -> Result<()> {
    files::write_atomic(path, &to_bytes(catalog))
}

/// The snapshot against the database: `None` when `current` (the snapshot
/// file's bytes, `None` when it does not exist) is byte for byte what
/// [`to_bytes`] writes for `catalog`, else a finding listing what changed.
/// `path` is the file, `shown` its name as the user sees it.
pub fn freshness(
    current: Option<&[u8]>,
    catalog: &Catalog,
    path: &Path,
    shown: &str,
) -> Result<Option<Finding>> {
    let finding = |check, message: String, help: &str| Finding {
        place: Some(Place::new(shown, None)),
        help: Some(help.to_owned()),
        ..Finding::about(check, Level::Error, message)
    };
    let Some(current) = current else {
        return Ok(Some(finding(
            Check::SnapshotMissing,
            format!("{shown} does not exist"),
            "run `schema-check snapshot` to create it",
        )));
    };
    if current == to_bytes(catalog) {
        return Ok(None);
    }
    let old = from_bytes(current, path)?;
    let changes = crate::diff::diff(&old, catalog);
    let mut message = format!("{shown} is out of date with the database:");
    if changes.is_empty() && old != *catalog {
        message.push_str("\n  the user's schema is the same; objects that extensions own differ (an extension was created, dropped or updated)");
    } else if changes.is_empty() {
        message.push_str("\n  the content is the same but the file's formatting differs");
    }
    for change in &changes {
        message.push_str(&format!("\n  {change}"));
    }
    Ok(Some(finding(
        Check::SnapshotStale,
        message,
        "run `schema-check snapshot` to update it",
    )))
}

/// Containers nested this deep or deeper are written on one line: a column,
/// a constraint, an index, a partition.
const COMPACT_DEPTH: usize = 7;

/// Indents like serde_json's pretty printer, down to [`COMPACT_DEPTH`].
#[derive(Default)]
struct SnapshotFormatter {
    depth: usize,
    has_value: bool,
}

impl SnapshotFormatter {
    fn compact(&self) -> bool {
        self.depth >= COMPACT_DEPTH
    }

    fn begin_value<W: ?Sized + io::Write>(&mut self, out: &mut W, first: bool) -> io::Result<()> {
        if self.compact() {
            if !first {
                out.write_all(b", ")?;
            }
            return Ok(());
        }
        out.write_all(if first { b"\n" } else { b",\n" })?;
        indent(out, self.depth)
    }

    fn end_container<W: ?Sized + io::Write>(
        &mut self,
        out: &mut W,
        close: &[u8],
    ) -> io::Result<()> {
        let was_compact = self.compact();
        self.depth -= 1;
        if self.has_value && !was_compact {
            out.write_all(b"\n")?;
            indent(out, self.depth)?;
        }
        out.write_all(close)
    }
}

fn indent<W: ?Sized + io::Write>(out: &mut W, depth: usize) -> io::Result<()> {
    for _ in 0..depth {
        out.write_all(b"  ")?;
    }
    Ok(())
}

impl serde_json::ser::Formatter for SnapshotFormatter {
    fn begin_array<W: ?Sized + io::Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(b"[")
    }

    fn end_array<W: ?Sized + io::Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.end_container(out, b"]")
    }

    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.begin_value(out, first)
    }

    fn end_array_value<W: ?Sized + io::Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + io::Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        out.write_all(b"{")
    }

    fn end_object<W: ?Sized + io::Write>(&mut self, out: &mut W) -> io::Result<()> {
        self.end_container(out, b"}")
    }

    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        out: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.begin_value(out, first)
    }

    fn begin_object_value<W: ?Sized + io::Write>(&mut self, out: &mut W) -> io::Result<()> {
        out.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + io::Write>(&mut self, _out: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}
