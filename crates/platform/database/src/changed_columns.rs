//! The update that writes only what a change touched.

use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Iterable, ModelTrait};

/// `after` as an active model that sets only the columns whose values differ from
/// `before`'s, the row as it was loaded.
///
/// An update built from it writes what changed and nothing else: fewer values to build,
/// bind and send on every write, and a column another writer changed meanwhile is not put
/// back (the aggregates' versions still refuse such a write).
pub fn changed_columns<M, A>(before: &M, after: M) -> A
where
    M: ModelTrait + IntoActiveModel<A>,
    A: ActiveModelTrait<Entity = M::Entity>,
{
    let changed: Vec<_> = <M::Entity as EntityTrait>::Column::iter()
        .filter(|column| before.get(*column) != after.get(*column))
        .collect();
    // A model turned active is all "unchanged"; `reset` marks a column as set.
    let mut active = after.into_active_model();
    for column in changed {
        active.reset(column);
    }
    active
}

#[cfg(test)]
mod tests {
    use sea_orm::ActiveValue;
    use sea_orm::entity::prelude::*;

    use super::changed_columns;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "notes")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        id: i32,
        title: String,
        body: Option<String>,
        version: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}

    #[test]
    fn only_the_columns_that_differ_are_set() {
        let before = Model {
            id: 1,
            title: "shed".into(),
            body: Some("wood".into()),
            version: 3,
        };
        let after = Model {
            body: None,
            version: 4,
            ..before.clone()
        };

        let active: ActiveModel = changed_columns(&before, after);

        assert_eq!(active.id, ActiveValue::Unchanged(1));
        assert_eq!(active.title, ActiveValue::Unchanged("shed".into()));
        assert_eq!(active.body, ActiveValue::Set(None));
        assert_eq!(active.version, ActiveValue::Set(4));
    }
}
