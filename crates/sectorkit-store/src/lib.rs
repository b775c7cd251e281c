//! sectorkit-store: the one storage interface of sectorkit, over SQLite and PostgreSQL.
//!
//! [`Store`] is the interface. It holds a connection pool for one of two backends and every method
//! runs the same SQL on either (numbered `$1` parameters work on both through sqlx); where the two
//! dialects differ, the method says so and branches. Each backend has its own migrations
//! (`migrations/sqlite`, `migrations/postgres`), embedded in the binary and applied in order, each
//! in its own transaction, so a failing migration leaves no partial schema.
//!
//! Tenant scoping: every method that reads or writes a partnership's records takes the
//! [`PartnershipId`] and filters by it. There is no unscoped "get by id" for tenant data; the web
//! layer gets a `PartnershipId` only after checking membership.
//!
//! What this crate must not do: business rules beyond integrity (who may do what is decided by the
//! web layer's route policies; statistics live in `sectorkit-core`).

mod accounts;
mod alignment;
pub mod chunk;
mod convening;
mod error;
mod funding;
mod lodes;
mod occupations;
mod outcomes;
mod partners;
mod partnerships;
mod plan_page;
mod plan_records;
mod planning;
mod projections;
mod qcew;
mod regions;
mod sustain;
mod tokens;

pub use accounts::*;
pub use alignment::*;
pub use convening::*;
pub use error::StoreError;
pub use funding::*;
pub use lodes::*;
pub use occupations::*;
pub use outcomes::*;
pub use partners::*;
pub use partnerships::*;
pub use plan_page::*;
pub use plan_records::*;
pub use planning::*;
pub use projections::*;
pub use qcew::*;
pub use regions::*;
pub use sustain::*;
pub use tokens::*;

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

/// Result of a storage call.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Which database a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    Sqlite,
    Postgres,
}

impl BackendKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BackendKind::Sqlite => "sqlite",
            BackendKind::Postgres => "postgres",
        }
    }
}

#[derive(Clone)]
enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The storage interface: a cheap-to-clone handle on a connection pool.
#[derive(Clone)]
pub struct Store {
    backend: Backend,
}

/// Runs the same body against whichever pool the store holds. The body is compiled once per
/// backend, so a query that does not type-check on both is a compile error.
macro_rules! on_pool {
    ($store:expr, |$pool:ident| $body:expr) => {
        match &$store.backend {
            $crate::Backend::Sqlite($pool) => $body,
            $crate::Backend::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

impl Store {
    /// Opens a store from a database URL: `postgres://…` / `postgresql://…` selects PostgreSQL;
    /// `sqlite:PATH` / `sqlite://PATH` selects SQLite (the file is created if missing). Nothing is
    /// migrated here; call [`Store::migrate`].
    pub async fn connect(url: &str) -> Result<Store> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(url).map_err(|e| StoreError::BadUrl {
                url: redact(url),
                reason: e.to_string(),
            })?;
            let host = format!("{}:{}", opts.get_host(), opts.get_port());
            let pool = PgPoolOptions::new()
                .max_connections(10)
                .acquire_timeout(Duration::from_secs(5))
                .connect_with(opts)
                .await
                .map_err(|e| StoreError::Unreachable {
                    what: format!("PostgreSQL at {host}"),
                    reason: first_line(&e.to_string()),
                })?;
            Ok(Store {
                backend: Backend::Postgres(pool),
            })
        } else if let Some(rest) = url.strip_prefix("sqlite:") {
            let path = rest.strip_prefix("//").unwrap_or(rest);
            if path.is_empty() {
                return Err(StoreError::BadUrl {
                    url: url.to_string(),
                    reason: "no file path after `sqlite:`".into(),
                });
            }
            Self::open_sqlite(Path::new(path)).await
        } else {
            Err(StoreError::BadUrl {
                url: redact(url),
                reason: "expected a URL starting with postgres:// or sqlite:".into(),
            })
        }
    }

    /// Opens (creating if needed) a SQLite database file with the settings sectorkit relies on:
    /// WAL journal, foreign keys on, a busy timeout, and `synchronous=FULL` for durability.
    pub async fn open_sqlite(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
            && !dir.exists()
        {
            return Err(StoreError::Unreachable {
                what: format!("SQLite file {}", path.display()),
                reason: format!("folder {} does not exist", dir.display()),
            });
        }
        let opts = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .synchronous(SqliteSynchronous::Full);
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(opts)
            .await
            .map_err(|e| StoreError::Unreachable {
                what: format!("SQLite file {}", path.display()),
                reason: first_line(&e.to_string()),
            })?;
        Ok(Store {
            backend: Backend::Sqlite(pool),
        })
    }

    pub fn kind(&self) -> BackendKind {
        match self.backend {
            Backend::Sqlite(_) => BackendKind::Sqlite,
            Backend::Postgres(_) => BackendKind::Postgres,
        }
    }

    /// Applies pending migrations of this backend. Each migration runs in its own transaction.
    /// Returns how many were applied.
    ///
    /// After the SQL migrations, a Rust step converts the rows of the old `qcew_rows` table (if
    /// any database still has it) into the chunks of migration 0005 and drops it, in one
    /// transaction; see `Store::convert_legacy_qcew_rows`.
    pub async fn migrate(&self) -> Result<usize> {
        let applied = match &self.backend {
            Backend::Sqlite(_) => {
                self.migrate_with(&sqlx::migrate!("./migrations/sqlite"))
                    .await?
            }
            Backend::Postgres(_) => {
                self.migrate_with(&sqlx::migrate!("./migrations/postgres"))
                    .await?
            }
        };
        self.convert_legacy_qcew_rows().await?;
        Ok(applied)
    }

    /// Applies the pending migrations of `migrator` (the embedded ones, or a test's own).
    pub async fn migrate_with(&self, migrator: &sqlx::migrate::Migrator) -> Result<usize> {
        let before = self.applied_migrations().await;
        on_pool!(self, |pool| migrator.run(pool).await?);
        Ok(self.applied_migrations().await.saturating_sub(before))
    }

    async fn applied_migrations(&self) -> usize {
        on_pool!(self, |pool| {
            sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
                .fetch_one(pool)
                .await
                .map(|n| n as usize)
                .unwrap_or(0)
        })
    }

    /// A cheap round trip, for `/healthz`.
    pub async fn ping(&self) -> Result<()> {
        on_pool!(self, |pool| {
            sqlx::query("SELECT 1").execute(pool).await?;
        });
        Ok(())
    }

    /// Runs one administrative statement (such as `CREATE DATABASE` in test set-up). Never call
    /// it with text that came from a user.
    pub async fn execute_admin(&self, sql: &str) -> Result<()> {
        on_pool!(self, |pool| {
            sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    /// Closes the pool, waiting for connections to be returned.
    pub async fn close(&self) {
        on_pool!(self, |pool| pool.close().await)
    }
}

/// Hides a password in a URL before it reaches a message or a log.
pub fn redact(url: &str) -> String {
    if let Some((scheme, rest)) = url.split_once("://")
        && let Some((userinfo, host)) = rest.split_once('@')
        && let Some((user, _pw)) = userinfo.split_once(':')
    {
        return format!("{scheme}://{user}:***@{host}");
    }
    url.to_string()
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or("").to_string()
}

/// Current time as Unix seconds, the timestamp unit of every table.
pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact("postgres://bob:secret@db:5432/x"),
            "postgres://bob:***@db:5432/x"
        );
        assert_eq!(
            redact("postgres://bob@db:5432/x"),
            "postgres://bob@db:5432/x"
        );
    }

    #[tokio::test]
    async fn rejects_unknown_schemes() {
        let err = Store::connect("mysql://x").await.err().unwrap();
        assert!(err.to_string().contains("postgres://"), "{err}");
    }
}
