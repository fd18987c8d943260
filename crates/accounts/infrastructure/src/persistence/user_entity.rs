//! The `accounts_users` table as sea-orm sees it. Only the mapper and the queries use it: the
//! domain's `User` never derives anything from sea-orm.

use platform_database::DatabaseRow;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel, DatabaseRow)]
#[sea_orm(table_name = "accounts_users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub email: String,
    pub email_canonical: String,
    pub password_hash: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
