//! Fresh databases for store tests: a temporary SQLite file, or a new PostgreSQL database
//! (`SECTORKIT_TEST_PG_URL`, default `postgres://postgres@127.0.0.1:5432/test`) dropped afterwards.

#![allow(dead_code)]

use sectorkit_store::Store;

pub fn pg_admin_url() -> String {
    std::env::var("SECTORKIT_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

fn unique(tag: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "{tag}_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst),
        sectorkit_store::now_unix() % 100_000
    )
}

pub struct TestDb {
    pub store: Store,
    cleanup: Cleanup,
}

enum Cleanup {
    Dir(std::path::PathBuf),
    Pg(String),
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let db = TestDb::sqlite_empty().await;
        db.store.migrate().await.unwrap();
        db
    }

    pub async fn postgres() -> TestDb {
        let db = TestDb::postgres_empty().await;
        db.store.migrate().await.unwrap();
        db
    }

    /// A fresh SQLite database with no migrations applied.
    pub async fn sqlite_empty() -> TestDb {
        let dir = std::env::temp_dir().join(unique("sk_store"));
        std::fs::create_dir_all(&dir).unwrap();
        let store = Store::open_sqlite(&dir.join("t.db")).await.unwrap();
        TestDb {
            store,
            cleanup: Cleanup::Dir(dir),
        }
    }

    /// A fresh PostgreSQL database with no migrations applied.
    pub async fn postgres_empty() -> TestDb {
        let admin = Store::connect(&pg_admin_url())
            .await
            .expect("PostgreSQL must be reachable for the test suite (SECTORKIT_TEST_PG_URL)");
        let name = unique("sk_store");
        admin
            .execute_admin(&format!("CREATE DATABASE {name}"))
            .await
            .unwrap();
        admin.close().await;
        let url = format!("{}/{name}", pg_admin_url().rsplit_once('/').unwrap().0);
        let store = Store::connect(&url).await.unwrap();
        TestDb {
            store,
            cleanup: Cleanup::Pg(name),
        }
    }

    pub async fn finish(self) {
        self.store.close().await;
        match &self.cleanup {
            Cleanup::Dir(d) => {
                let _ = std::fs::remove_dir_all(d);
            }
            Cleanup::Pg(name) => {
                let admin = Store::connect(&pg_admin_url()).await.unwrap();
                admin
                    .execute_admin(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .await
                    .unwrap();
                admin.close().await;
            }
        }
    }
}
