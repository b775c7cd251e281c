//! The storage error type: what went wrong, in words a user can act on.

/// An error from the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL could not be understood.
    #[error("bad database URL {url}: {reason}")]
    BadUrl { url: String, reason: String },
    /// The database could not be opened or reached.
    #[error("cannot open {what}: {reason}")]
    Unreachable { what: String, reason: String },
    /// A migration failed; its transaction was rolled back.
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A uniqueness rule was broken (for example, an email already registered).
    #[error("{0} already exists")]
    Conflict(&'static str),
    /// The record does not exist (or is not visible in this partnership).
    #[error("not found")]
    NotFound,
    /// A value read from the database broke an invariant the schema should have kept.
    #[error("corrupt value in {column}: {value:?}")]
    Corrupt { column: &'static str, value: String },
    /// An import was abandoned (bad input); nothing of it was kept.
    #[error("{0}; nothing was imported")]
    Import(String),
    /// A rule of the records would be broken (for example, a dependency that closes a cycle);
    /// the message says which, and nothing was changed.
    #[error("{0}")]
    Refused(String),
    /// Any other database error.
    #[error("database error: {0}")]
    Database(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            _ => StoreError::Database(e),
        }
    }
}

/// Maps a unique-constraint violation to [`StoreError::Conflict`], other errors as usual.
pub(crate) fn unique_as(what: &'static str) -> impl Fn(sqlx::Error) -> StoreError {
    move |e| {
        if let sqlx::Error::Database(db) = &e
            && db.is_unique_violation()
        {
            return StoreError::Conflict(what);
        }
        StoreError::from(e)
    }
}
