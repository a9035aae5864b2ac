//! The columns query's rows: each decoded as it arrives, straight into its
//! relation's list, which later becomes the relation's own (moved, not
//! copied), so that one copy of the columns is held at any time.

use std::collections::HashMap;

use super::assemble::char_of;
use super::fields::Fields;
use super::locks::{text_or_not_read, SkippedOids};
use crate::catalog::{Column, GeneratedKind, Identity, SharedStr, Strings, TypeName};

/// The columns of one relation (or composite type), with their column
/// numbers and type oids alongside, in arrival order until
/// [`ColumnIndex::finish`] puts them in column order.
#[derive(Default)]
pub(super) struct RelationColumns {
    attnums: Vec<i16>,
    type_oids: Vec<u32>,
    /// Their types are named by [`ColumnIndex::name_types`].
    pub(super) columns: Vec<Column>,
}

impl RelationColumns {
    /// Puts the columns in column order (they often arrive in another) in
    /// lists of their exact length, and gives back the room made for
    /// dropped columns.
    fn finish(&mut self) {
        if !self.attnums.is_sorted() {
            let mut order: Vec<usize> = (0..self.attnums.len()).collect();
            order.sort_unstable_by_key(|&i| self.attnums[i]);
            self.attnums = order.iter().map(|&i| self.attnums[i]).collect();
            self.type_oids = order.iter().map(|&i| self.type_oids[i]).collect();
            let mut columns: Vec<Option<Column>> = std::mem::take(&mut self.columns)
                .into_iter()
                .map(Some)
                .collect();
            self.columns = order
                .iter()
                .map(|&i| columns[i].take().expect("each position comes once"))
                .collect();
        }
        self.attnums.shrink_to_fit();
        self.type_oids.shrink_to_fit();
        self.columns.shrink_to_fit();
    }

    /// The position of column `attnum`.
    fn position(&self, attnum: i16) -> Option<usize> {
        self.attnums.binary_search(&attnum).ok()
    }
}

/// Every column read, by relation oid: constraint and index keys come as
/// column numbers and are named from here. Equal column names and types are
/// held once, shared by the columns that have them.
#[derive(Default)]
pub(super) struct ColumnIndex {
    relations: HashMap<u32, RelationColumns>,
    strings: Strings,
}

impl ColumnIndex {
    /// Decodes a row of the columns query into its relation's list; its
    /// default or generation expression is [`super::NOT_READ`] (noted in
    /// `skipped`) when its relation is locked.
    pub(super) fn push(&mut self, row: &Fields, skipped: &mut SkippedOids) {
        let relid: u32 = row.get("attrelid");
        let count = usize::try_from(row.get::<i16>("relnatts")).unwrap_or(0);
        let attnum: i16 = row.get("attnum");
        let type_oid: u32 = row.get("atttypid");
        let column = column(row, relid, &mut self.strings, skipped);
        self.insert(relid, count, attnum, type_oid, column);
    }

    /// Adds column `attnum` of relation `relid`, of type `type_oid`; the
    /// relation has at most `count` columns (dropped ones included), room
    /// for which is made when its first column comes.
    fn insert(&mut self, relid: u32, count: usize, attnum: i16, type_oid: u32, column: Column) {
        let of_relation = self
            .relations
            .entry(relid)
            .or_insert_with(|| RelationColumns {
                attnums: Vec::with_capacity(count),
                type_oids: Vec::with_capacity(count),
                columns: Vec::with_capacity(count),
            });
        of_relation.attnums.push(attnum);
        of_relation.type_oids.push(type_oid);
        of_relation.columns.push(column);
    }

    /// Puts every relation's columns in column order.
    pub(super) fn finish(&mut self) {
        self.relations
            .values_mut()
            .for_each(RelationColumns::finish);
    }

    /// Names each column's type (and element type, for an array) from its oid.
    pub(super) fn name_types(&mut self, types: &TypeNames) {
        for of_relation in self.relations.values_mut() {
            for (column, &oid) in of_relation.columns.iter_mut().zip(&of_relation.type_oids) {
                column.udt = types.name(oid);
                column.element = types.element(oid);
            }
        }
    }

    /// Column `attnum` of relation `relid`.
    pub(super) fn column_mut(&mut self, relid: u32, attnum: i16) -> Option<&mut Column> {
        let of_relation = self.relations.get_mut(&relid)?;
        let i = of_relation.position(attnum)?;
        Some(&mut of_relation.columns[i])
    }

    /// The names of columns `attnums` of relation `relid`; `None` when the
    /// relation's columns or one of these were not read.
    pub(super) fn names(&self, relid: u32, attnums: &[i16]) -> Option<Vec<String>> {
        let of_relation = self.relations.get(&relid)?;
        attnums
            .iter()
            .map(|&attnum| {
                Some(
                    of_relation.columns[of_relation.position(attnum)?]
                        .name
                        .to_string(),
                )
            })
            .collect()
    }

    /// Every relation's columns, taken out.
    pub(super) fn into_relations(self) -> impl Iterator<Item = (u32, Vec<Column>)> {
        self.relations
            .into_iter()
            .map(|(relid, of)| (relid, of.columns))
    }
}

/// A column from its row; its type is named later. The values are read in
/// the order the query selects them.
fn column(row: &Fields, relid: u32, strings: &mut Strings, skipped: &mut SkippedOids) -> Column {
    let name = strings.get(row.get("attname"));
    let data_type = strings.get(row.get("data_type"));
    let nullable = !row.get::<bool>("attnotnull");
    let has_expression: bool = row.get("atthasdef");
    // Defaults repeat (`now()`, `0`, `false`): each text is held once.
    let expression = text_or_not_read(row, "expression", has_expression, relid, skipped)
        .map(|text| strings.get(&text));
    let identity = match char_of(row, "attidentity") {
        b'a' => Some(Identity::Always),
        b'd' => Some(Identity::ByDefault),
        _ => None,
    };
    // 's' stored, 'v' virtual (PostgreSQL 18); either way the
    // expression in pg_attrdef is the generation expression, not a default.
    let generated_kind = match char_of(row, "attgenerated") {
        b's' => Some(GeneratedKind::Stored),
        b'v' => Some(GeneratedKind::Virtual),
        _ => None,
    };
    let (default, generated) = match generated_kind {
        Some(_) => (None, expression),
        None => (expression, None),
    };
    Column {
        name,
        data_type,
        // Named by `ColumnIndex::name_types`.
        udt: TypeName::new(strings.get(""), strings.get("")),
        element: None,
        nullable,
        default,
        identity,
        generated,
        generated_kind: generated_kind.unwrap_or_default(),
        not_null_not_valid: false,
        comment: row.get::<Option<&str>>("description").map(SharedStr::from),
    }
}

/// Every type by oid: its name and, for an array type, its element type's
/// oid (0 for any other type).
pub(super) struct TypeNames(HashMap<u32, (TypeName, u32)>);

impl TypeNames {
    /// A row of the types query: the type's oid, name, and element type's oid.
    pub(super) fn decode(row: &Fields) -> (u32, (TypeName, u32)) {
        let oid = row.get("oid");
        let name = TypeName::new(row.get::<&str>("nspname"), row.get::<&str>("typname"));
        (oid, (name, row.get("element")))
    }

    /// The types of the types query's rows.
    pub(super) fn new(rows: Vec<(u32, (TypeName, u32))>) -> Self {
        Self(rows.into_iter().collect())
    }

    /// The type's name; `unknown` for a type that was not read.
    fn name(&self, oid: u32) -> TypeName {
        self.0
            .get(&oid)
            .map_or_else(|| TypeName::builtin("unknown"), |(name, _)| name.clone())
    }

    /// The element type's name, for an array type.
    fn element(&self, oid: u32) -> Option<TypeName> {
        self.0
            .get(&oid)
            .map(|(_, element)| *element)
            .filter(|element| *element != 0)
            .map(|element| self.name(element))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str) -> Column {
        Column {
            name: name.into(),
            data_type: "".into(),
            udt: TypeName::new(String::new(), String::new()),
            element: None,
            nullable: true,
            not_null_not_valid: false,
            default: None,
            identity: None,
            generated: None,
            generated_kind: GeneratedKind::Stored,
            comment: None,
        }
    }

    fn types() -> TypeNames {
        let int4 = (TypeName::builtin("int4"), 0);
        let int4_array = (TypeName::builtin("_int4"), 23);
        TypeNames(HashMap::from([(23, int4), (1007, int4_array)]))
    }

    #[test]
    fn columns_arriving_out_of_order_are_put_in_column_order_with_their_types() {
        let mut index = ColumnIndex::default();
        index.insert(7, 3, 3, 1007, named("c"));
        index.insert(8, 1, 1, 23, named("other"));
        index.insert(7, 3, 1, 23, named("a"));
        index.insert(7, 3, 2, 99, named("b"));
        index.finish();
        index.name_types(&types());

        assert_eq!(
            index.names(7, &[2, 3, 1]),
            Some(vec!["b".into(), "c".into(), "a".into()])
        );
        assert_eq!(index.names(7, &[4]), None, "a column that was not read");
        assert_eq!(index.names(9, &[1]), None, "a relation that was not read");
        index.column_mut(7, 2).unwrap().nullable = false;

        let mut relations: Vec<(u32, Vec<Column>)> = index.into_relations().collect();
        relations.sort_by_key(|(relid, _)| *relid);
        let (relid, columns) = &relations[0];
        assert_eq!(*relid, 7);
        let names: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["a", "b", "c"]);
        assert_eq!(columns[0].udt, TypeName::builtin("int4"));
        assert_eq!(columns[0].element, None);
        assert_eq!(
            columns[1].udt,
            TypeName::builtin("unknown"),
            "a type not read"
        );
        assert!(
            !columns[1].nullable,
            "column_mut changed the column in place"
        );
        assert_eq!(columns[2].udt, TypeName::builtin("_int4"));
        assert_eq!(columns[2].element, Some(TypeName::builtin("int4")));
        assert_eq!(relations[1].1[0].name, "other");
    }
}
