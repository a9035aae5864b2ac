//! Reading around a running migration.
//!
//! PostgreSQL's functions that print a check, an index, a generation
//! expression, a partition key or bound, or that tell a view's writability,
//! take a lock on the relation, so another session's `ACCESS EXCLUSIVE` lock
//! (a running `ALTER TABLE`), granted or still waiting in the queue, makes
//! them wait. Plain catalog reads, `format_type` and a default printed
//! without its relation take none; a locked relation's defaults are left
//! out all the same, so that its texts are all read or all left out. Each
//! query that calls such a function first lists those locks (a `locked`
//! CTE, no statement of its own) and, when asked to
//! ([`OnLocked::SkipTexts`]), does not call the function for a locked
//! relation: PostgreSQL evaluates a `CASE` branch only when its condition
//! holds.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::fields::Fields;
use crate::catalog::RelationName;
use crate::live::exclusive_locks;
pub use crate::live::LockHolder;

/// What introspection does about a relation another session holds, or
/// waits for, in `ACCESS EXCLUSIVE` mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnLocked {
    /// Wait for the lock, at most the query timeout, then fail naming the
    /// relation: every text is read, for whatever writes or judges them.
    Wait,
    /// Read everything else and leave the relation's texts out (each shows
    /// as [`NOT_READ`]), listing it in [`Introspection::skipped`]: for
    /// builds and for commands that only print findings.
    SkipTexts,
}

/// Stands for a text that was not read because another session locks its
/// relation: a default (so that whether a column has one stays exact), a
/// generation expression, a check, an index definition or expression key,
/// a partition key or bound.
pub const NOT_READ: &str = "(not read: locked)";

/// A catalog, and the relations whose texts it leaves out.
#[derive(Debug, Clone)]
pub struct Introspection {
    /// The catalog; exact but for the texts of [`Introspection::skipped`].
    pub catalog: crate::catalog::Catalog,
    /// The relations whose texts were not read, by name.
    pub skipped: Vec<Skipped>,
}

impl Introspection {
    /// Whether every text was read: only such a catalog may be written to
    /// a snapshot or docs, or kept as current.
    pub fn is_complete(&self) -> bool {
        self.skipped.is_empty()
    }

    /// One warning per relation whose texts were left out.
    pub fn warnings(&self) -> Vec<String> {
        self.skipped.iter().map(Skipped::warning).collect()
    }
}

/// A relation whose texts were left out, and who locks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The relation.
    pub relation: RelationName,
    /// The session holding or requesting the lock.
    pub holder: LockHolder,
}

impl Skipped {
    /// What was left out, why, and who holds the lock, in one line.
    pub fn warning(&self) -> String {
        crate::escape::one_line(&format!(
            "{}: its defaults, checks, index definitions and partition bounds (a view: \
             its writability) were not read, shown as `{NOT_READ}`: another session holds \
             or waits for an ACCESS EXCLUSIVE lock on it ({}; a running ALTER TABLE?); \
             everything else is exact",
            self.relation, self.holder
        ))
        .into_owned()
    }
}

/// The `locked` CTE when texts are skipped; an empty one with the same
/// columns when introspection waits instead.
const NONE_LOCKED: &str = "SELECT NULL::oid AS relation, NULL::int4 AS pid, \
    NULL::text AS application_name, NULL::text AS since WHERE false";

/// `query` with the `locked` CTE it joins as `lk`, materialized so that
/// `pg_locks` is read once per query, not once per row.
pub(super) fn with_locked(query: &str, on_locked: OnLocked) -> String {
    let locked = match on_locked {
        OnLocked::Wait => NONE_LOCKED,
        OnLocked::SkipTexts => exclusive_locks!(),
    };
    format!("WITH locked AS MATERIALIZED ({locked}) {query}")
}

/// The columns each query joining `locked` as `lk` selects about the lock.
macro_rules! lock_columns {
    () => {
        "lk.relation IS NOT NULL AS locked, lk.pid AS locked_pid,
         lk.application_name AS locked_application, lk.since AS locked_since"
    };
}
pub(crate) use lock_columns;

/// Whether the row's relation is locked (see [`lock_columns`]).
pub(super) fn is_locked(row: &Fields) -> bool {
    row.get("locked")
}

/// The lock holder named by the row's [`lock_columns`].
pub(super) fn holder(row: &Fields) -> LockHolder {
    LockHolder {
        pid: row.get("locked_pid"),
        application: row.get("locked_application"),
        since: row.get("locked_since"),
    }
}

/// The relations (by oid) whose texts some query left out, with who locks
/// them, in the order they were noted: the first note of a relation names
/// its holder. (A list, not a map: one is kept for every row read, nearly
/// always empty, and an empty list takes the least room.)
#[derive(Default)]
pub(super) struct SkippedOids(Vec<(u32, LockHolder)>);

impl SkippedOids {
    /// Notes that a text of relation `oid` was left out, locked by the
    /// holder `row` names.
    pub(super) fn note(&mut self, oid: u32, row: &Fields) {
        if !self.0.iter().any(|(noted, _)| *noted == oid) {
            self.0.push((oid, holder(row)));
        }
    }

    /// Whether nothing was noted.
    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Adds what `other` noted, after what this one noted.
    pub(super) fn merge(&mut self, other: SkippedOids) {
        self.0.extend(other.0);
    }

    /// Each relation named from `names` (by oid), sorted by name.
    pub(super) fn named(self, names: &HashMap<u32, RelationName>) -> Vec<Skipped> {
        let mut seen = HashSet::new();
        let by_name: BTreeMap<RelationName, LockHolder> = self
            .0
            .into_iter()
            .filter(|(oid, _)| seen.insert(*oid))
            .map(|(oid, holder)| {
                let name = names.get(&oid).cloned().unwrap_or_else(|| RelationName {
                    schema: String::new(),
                    name: format!("(oid {oid})"),
                });
                (name, holder)
            })
            .collect();
        by_name
            .into_iter()
            .map(|(relation, holder)| Skipped { relation, holder })
            .collect()
    }
}

/// The text in `column` of `row`; when the query left it out because its
/// relation `oid` is locked while `expected` says there is one,
/// [`NOT_READ`], and the relation is noted in `skipped`.
pub(super) fn text_or_not_read(
    row: &Fields,
    column: &str,
    expected: bool,
    oid: u32,
    skipped: &mut SkippedOids,
) -> Option<String> {
    let text: Option<String> = row.get(column);
    if text.is_none() && expected && is_locked(row) {
        skipped.note(oid, row);
        return Some(NOT_READ.to_owned());
    }
    text
}
