//! The steps for `#[derive(Enum)]` enums: `CREATE TYPE … AS ENUM` for a
//! type the database lacks, `ADD VALUE` for each variant without a label,
//! and a word on each label the enum lost (PostgreSQL cannot drop one).

use std::collections::BTreeSet;

use super::plan::{commented, run};
use super::{text, Down, Step};
use crate::catalog::{Catalog, EnumType, TypeName};
use crate::discover::{Discovered, FoundEnum};

/// Every enum's steps, by type name; a type that two enums name is
/// drafted from the first.
pub(super) fn steps(catalog: &Catalog, found: &Discovered) -> Vec<Step> {
    let mut enums: Vec<(TypeName, &FoundEnum)> = found
        .enums
        .iter()
        .map(|e| {
            (
                e.def
                    .written
                    .resolve(catalog)
                    .unwrap_or_else(|| e.def.type_name.clone()),
                e,
            )
        })
        .collect();
    enums.sort_by(|a, b| a.0.cmp(&b.0));
    let mut seen = BTreeSet::new();
    let mut steps = Vec::new();
    for (name, found) in enums {
        if !seen.insert(name.clone()) {
            continue;
        }
        let about = format!(
            "type {} (enum {} in {})",
            text::type_name(&name),
            found.def.ident,
            found.file.display()
        );
        match catalog.enum_type(&name) {
            Some(db) => steps.extend(labels(&about, &name, db, found)),
            None if taken(catalog, &name) => steps.push(name_taken(&about)),
            None => steps.push(create(&about, &name, found)),
        }
    }
    steps
}

/// Whether another type, or a table's row type, has the name.
fn taken(catalog: &Catalog, name: &TypeName) -> bool {
    catalog.domain(name).is_some()
        || catalog.composite(name).is_some()
        || catalog.relation(&name.schema, &name.name).is_some()
}

fn name_taken(about: &str) -> Step {
    Step {
        about: format!("{about}: the name is another type's or a table's; give the enum the name of its enum type with #[pgdrift(type_name = \"…\")]"),
        up: Vec::new(),
        down: Down::Nothing,
        changes: false,
    }
}

fn create(about: &str, name: &TypeName, found: &FoundEnum) -> Step {
    let labels: Vec<String> = found
        .def
        .variants
        .iter()
        .map(|v| text::literal(&v.label))
        .collect();
    Step {
        about: format!("{about}: the enum type does not exist"),
        up: vec![run(
            "a new type: locks nothing that exists",
            format!(
                "CREATE TYPE {} AS ENUM ({});",
                text::type_name(name),
                labels.join(", ")
            ),
        )],
        down: Down::Run(vec![run(
            "drops the drafted type",
            format!("DROP TYPE {};", text::type_name(name)),
        )]),
        changes: true,
    }
}

/// `ADD VALUE` for each variant the type lacks, placed after the label of
/// the variant before it (or before the type's first label), then a word
/// on the labels no variant has.
fn labels(about: &str, name: &TypeName, db: &EnumType, found: &FoundEnum) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut before: Option<&str> = None;
    for variant in &found.def.variants {
        let label = variant.label.as_str();
        if !db.labels.iter().any(|l| l == label) {
            let place = match (before, db.labels.first()) {
                (Some(prev), _) => format!(" AFTER {}", text::literal(prev)),
                (None, Some(first)) => format!(" BEFORE {}", text::literal(first)),
                (None, None) => String::new(),
            };
            steps.push(add_value(
                about,
                name,
                &variant.ident.to_string(),
                label,
                &place,
            ));
        }
        before = Some(label);
    }
    let lost: Vec<&String> = db
        .labels
        .iter()
        .filter(|l| !found.def.variants.iter().any(|v| &v.label == *l))
        .collect();
    if !lost.is_empty() {
        steps.push(lost_labels(about, name, &lost));
    }
    steps
}

fn add_value(about: &str, name: &TypeName, variant: &str, label: &str, place: &str) -> Step {
    Step {
        about: format!("{about}: variant {variant} has no label {}", text::literal(label)),
        up: vec![run(
            "a brief lock on the type; no table is rewritten; the new label can be used only after COMMIT",
            format!("ALTER TYPE {} ADD VALUE {}{place};", text::type_name(name), text::literal(label)),
        )],
        down: Down::Cannot(format!(
            "PostgreSQL cannot drop an enum label: {} stays in the type",
            text::literal(label)
        )),
        changes: true,
    }
}

fn lost_labels(about: &str, name: &TypeName, lost: &[&String]) -> Step {
    let labels: Vec<String> = lost.iter().map(|l| text::literal(l)).collect();
    Step {
        about: format!(
            "{about}: no variant has the label(s) {}; PostgreSQL cannot drop an enum label, so give the enum a variant for each (#[pgdrift(rename = \"…\")] names it)",
            labels.join(", ")
        ),
        up: vec![commented(
            "a label can only be renamed, which changes every row holding it:",
            format!(
                "ALTER TYPE {} RENAME VALUE {} TO 'new';",
                text::type_name(name),
                labels[0]
            ),
        )],
        down: Down::Nothing,
        changes: false,
    }
}
