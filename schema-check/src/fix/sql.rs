//! The database change the models ask for, drafted as SQL for a person to
//! review: `schema-check draft`.
//!
//! A [`Draft`] is steps, each asked for by a struct or a field, each with
//! the statements that make the database fit and the statements that undo
//! them (or why nothing can). Steps come in dependency order: schemas,
//! enum types and their new labels, new tables, then each existing table's
//! renames before its other changes. Nothing here runs SQL.
//!
//! The up part never drops anything that holds data: a column no field
//! covers gets a commented-out `DROP COLUMN` marked "data loss". The only
//! `DROP` it runs is of the temporary check constraint it adds itself to
//! set `NOT NULL` without a long lock. The down part drops only what the
//! draft created (a column, a table, a type), whose data is the draft's.

use crate::catalog::Catalog;
use crate::discover::Discovered;

mod alter;
mod convert;
mod create;
mod enums;
mod plan;
mod text;
mod wanted;

/// The SQL that would make the database fit the models.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    steps: Vec<Step>,
}

/// One change the models ask for, or advice about one.
#[derive(Debug, Clone)]
struct Step {
    /// Who asks and what for: the first comment line.
    about: String,
    up: Vec<Statement>,
    down: Down,
    /// Whether the step changes the database (or asks a person to); advice
    /// alone (a commented-out drop, a label PostgreSQL cannot drop) does not.
    changes: bool,
}

/// A statement, or a commented-out line, after a comment saying its cost.
#[derive(Debug, Clone)]
struct Statement {
    /// Its lock, whether it scans or rewrites the table, what it may lose.
    cost: Option<String>,
    sql: Sql,
}

#[derive(Debug, Clone)]
enum Sql {
    /// Runs as written (ends in `;`).
    Run(String),
    /// Shown as a comment: for a person to complete or decide.
    Commented(String),
}

/// How a step is undone.
#[derive(Debug, Clone)]
enum Down {
    /// By these statements.
    Run(Vec<Statement>),
    /// Not at all, and why.
    Cannot(String),
    /// There is nothing to undo: the step changes nothing.
    Nothing,
}

/// The header of the up file.
const UP_HEADER: &str = "\
-- Drafted by pgdrift (`schema-check draft`): the change the models ask of the
-- database, for a person to review. Nothing here has run. Complete the steps
-- marked TODO, then apply it with your migration tool.
";

/// The header of the down file.
const DOWN_HEADER: &str = "\
-- The down part of a pgdrift draft: undoes the up part's steps in reverse
-- order where they can be undone, and says where they cannot.
";

impl Draft {
    /// Whether the models need nothing of the database.
    pub fn is_empty(&self) -> bool {
        !self.steps.iter().any(|s| s.changes)
    }

    /// Whether every step that changes the database can be undone by the
    /// down part, so that it gives the schema back as it was.
    pub fn fully_invertible(&self) -> bool {
        self.steps
            .iter()
            .all(|s| !matches!(s.down, Down::Cannot(_)))
    }

    /// The whole up file: header comment, `BEGIN;`, statements, `COMMIT;`.
    pub fn up(&self) -> String {
        transaction(UP_HEADER, &self.up_statements())
    }

    /// The whole down file, the same shape.
    pub fn down(&self) -> String {
        transaction(DOWN_HEADER, &self.down_statements())
    }

    /// The up file for a migration tool that runs each migration in a
    /// transaction of its own (`tool` names it): header comment and
    /// statements, without `BEGIN`/`COMMIT`, which would end the tool's
    /// transaction before it records the migration.
    pub fn up_for_tool(&self, tool: &str) -> String {
        for_tool(UP_HEADER, tool, &self.up_statements())
    }

    /// The down file for such a tool, the same shape.
    pub fn down_for_tool(&self, tool: &str) -> String {
        for_tool(DOWN_HEADER, tool, &self.down_statements())
    }

    /// The up statements alone, without `BEGIN`/`COMMIT`: they run inside
    /// a caller's transaction.
    pub fn up_statements(&self) -> String {
        let mut out = String::new();
        for step in &self.steps {
            out.push_str(&text::comment(&step.about));
            out.push('\n');
            write_statements(&mut out, &step.up);
            out.push('\n');
        }
        out
    }

    /// The down statements alone, in reverse order of the steps.
    pub fn down_statements(&self) -> String {
        let mut out = String::new();
        for step in self.steps.iter().rev() {
            match &step.down {
                Down::Nothing => continue,
                Down::Run(statements) => {
                    out.push_str(&text::comment(&format!("undo: {}", step.about)));
                    out.push('\n');
                    write_statements(&mut out, statements);
                }
                Down::Cannot(why) => {
                    out.push_str(&text::comment(&format!("cannot undo: {}", step.about)));
                    out.push('\n');
                    out.push_str(&text::comment(why));
                    out.push('\n');
                }
            }
            out.push('\n');
        }
        out
    }
}

/// `header`, then `statements` inside `BEGIN;` … `COMMIT;`.
fn transaction(header: &str, statements: &str) -> String {
    format!("{header}\nBEGIN;\n\n{statements}COMMIT;\n")
}

/// `header`, a word on `tool`'s transaction, then `statements`.
fn for_tool(header: &str, tool: &str, statements: &str) -> String {
    format!("{header}-- {tool} runs the file in a transaction of its own.\n\n{statements}")
}

fn write_statements(out: &mut String, statements: &[Statement]) {
    for statement in statements {
        if let Some(cost) = &statement.cost {
            out.push_str(&text::comment(cost));
            out.push('\n');
        }
        match &statement.sql {
            Sql::Run(sql) => out.push_str(sql),
            Sql::Commented(sql) => out.push_str(&text::comment(sql)),
        }
        out.push('\n');
    }
}

/// The draft that makes the schema of `catalog` fit the models `found`
/// holds.
pub fn draft(catalog: &Catalog, found: &Discovered) -> Draft {
    Draft {
        steps: plan::steps(catalog, found),
    }
}
