//! The relations `--table` and `--schema` pick out of a catalog.

use schema_check::{Catalog, Error};

/// The one relation `--table NAME` names (`name`, or `schema.name` when
/// that schema exists) among those in a schema `keep` accepts: its schema
/// and name, or an error saying none or several match.
pub(crate) fn find_relation<'a>(
    catalog: &'a Catalog,
    name: &str,
    keep: impl Fn(&str) -> bool,
) -> Result<(&'a str, &'a str), Error> {
    let (schema, relation) = match name.split_once('.') {
        Some((s, r)) if catalog.schema(s).is_some() => (Some(s), r),
        _ => (None, name),
    };
    let matches: Vec<(&str, &str)> = catalog
        .relations()
        .filter(|(s, r)| r.name == relation && schema.is_none_or(|want| want == *s) && keep(s))
        .map(|(s, r)| (s, r.name.as_str()))
        .collect();
    match matches.as_slice() {
        [one] => Ok(*one),
        [] => {
            let names = catalog
                .relations()
                .filter(|(s, _)| schema.is_none_or(|want| want == *s) && keep(s))
                .map(|(_, r)| r.name.as_str());
            let near = schema_check::suggest::closest(relation, names)
                .map(|near| format!("; did you mean `{near}`?"))
                .unwrap_or_default();
            Err(Error::Config(format!(
                "--table {name}: no such table or view in the schema{near}"
            )))
        }
        several => Err(Error::Config(format!(
            "--table {name} is ambiguous: it names {}; qualify it with its schema",
            several
                .iter()
                .map(|(s, r)| format!("{s}.{r}"))
                .collect::<Vec<_>>()
                .join(" and ")
        ))),
    }
}

/// The catalog cut down to one relation, found by `name` or `schema.name`.
pub(crate) fn only_relation(mut catalog: Catalog, name: &str) -> Result<Catalog, Error> {
    let (s, r) =
        find_relation(&catalog, name, |_| true).map(|(s, r)| (s.to_owned(), r.to_owned()))?;
    catalog.schemas.retain(|schema| schema.name == s);
    for schema in &mut catalog.schemas {
        // No type of a schema shares a relation's name (PostgreSQL gives
        // each relation a row type of that name): this keeps the relation alone.
        schema.retain_objects(|name| name == r);
    }
    Ok(catalog)
}

/// The relations `generate-models` is asked for.
pub(crate) struct Selection<'a> {
    /// `name` or `schema.name`; empty: all.
    pub(crate) tables: &'a [String],
    /// Empty: all.
    pub(crate) schemas: &'a [String],
}

/// The relations named by `selection`, in catalog order; an unknown or
/// ambiguous name is an error.
pub(crate) fn select_relations<'a>(
    catalog: &'a Catalog,
    selection: &Selection,
) -> Result<Vec<(&'a str, &'a schema_check::catalog::Relation)>, Error> {
    for schema in selection.schemas {
        if catalog.schema(schema).is_none() {
            return Err(Error::Config(format!(
                "--schema {schema}: the database has no such schema (or it is not introspected)"
            )));
        }
    }
    let in_schemas = |schema: &str| {
        selection.schemas.is_empty() || selection.schemas.iter().any(|s| s == schema)
    };
    let mut wanted = std::collections::HashSet::new();
    for name in selection.tables {
        wanted.insert(find_relation(catalog, name, in_schemas)?);
    }
    // Unless named, what an extension owns is not the user's schema.
    Ok(catalog
        .relations()
        .filter(|(s, r)| {
            in_schemas(s)
                && if selection.tables.is_empty() {
                    !schema_check::diagram::owned_by_extension(catalog, s, r)
                } else {
                    wanted.contains(&(*s, r.name.as_str()))
                }
        })
        .collect())
}
