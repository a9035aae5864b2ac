//! Rows read by column name, without searching every column for each name.
//!
//! A row's values are read by name, and a query's reader asks for them
//! mostly in the order they are selected: each name is looked for from just
//! after the last one found, so that reading a row in select order compares
//! one name per value instead of half the row's.

use std::cell::Cell;

use tokio_postgres::types::FromSql;
use tokio_postgres::Row;

/// A row whose values are read by column name.
pub(super) struct Fields<'r> {
    row: &'r Row,
    /// Where the next name is looked for first.
    next: Cell<usize>,
}

impl<'r> Fields<'r> {
    /// `row`, to be read by name.
    pub(super) fn new(row: &'r Row) -> Self {
        Fields {
            row,
            next: Cell::new(0),
        }
    }

    /// The value of column `name`, decoded as `T`.
    ///
    /// # Panics
    ///
    /// When the row has no column `name` or its type does not decode as `T`:
    /// a query and its reader that disagree, as [`Row::get`] panics.
    pub(super) fn get<T: FromSql<'r>>(&self, name: &str) -> T {
        self.row.get(self.position(name))
    }

    /// The position of column `name`, searched from where the last search
    /// ended, around to where it began.
    fn position(&self, name: &str) -> usize {
        let columns = self.row.columns();
        let mut i = self.next.get();
        for _ in 0..columns.len() {
            if i >= columns.len() {
                i = 0;
            }
            if columns[i].name() == name {
                self.next.set(i + 1);
                return i;
            }
            i += 1;
        }
        panic!("the query selects no column `{name}`")
    }
}
