//! A failing migration leaves no partial schema, on both backends.

use sectorkit_store::Store;
use sqlx::migrate::Migrator;

fn pg_admin_url() -> String {
    std::env::var("SECTORKIT_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_string())
}

/// A migration folder whose second migration creates a table and then fails.
fn broken_migrations() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "sk-mig-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("0001_ok.sql"),
        "CREATE TABLE good_one (id INTEGER PRIMARY KEY);",
    )
    .unwrap();
    std::fs::write(
        dir.join("0002_broken.sql"),
        "CREATE TABLE half_done (id INTEGER PRIMARY KEY);\nTHIS IS NOT SQL;",
    )
    .unwrap();
    dir
}

async fn table_exists(store: &Store, name: &str) -> bool {
    store
        .execute_admin(&format!("SELECT 1 FROM {name} LIMIT 1"))
        .await
        .is_ok()
}

async fn check(store: &Store) {
    let dir = broken_migrations();
    let migrator = Migrator::new(dir.as_path()).await.unwrap();
    let err = store.migrate_with(&migrator).await.unwrap_err();
    assert!(err.to_string().contains("migration"), "{err}");
    assert!(
        table_exists(store, "good_one").await,
        "first migration kept"
    );
    assert!(
        !table_exists(store, "half_done").await,
        "failed migration left a table behind"
    );
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn sqlite_failed_migration_leaves_nothing() {
    let dir = std::env::temp_dir().join(format!("sk-migtest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let store = Store::open_sqlite(&dir.join("m.db")).await.unwrap();
    check(&store).await;
    store.close().await;
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn postgres_failed_migration_leaves_nothing() {
    let admin = Store::connect(&pg_admin_url())
        .await
        .expect("PostgreSQL must be reachable for the test suite (SECTORKIT_TEST_PG_URL)");
    let name = format!("sk_mig_{}", std::process::id());
    admin
        .execute_admin(&format!("DROP DATABASE IF EXISTS {name}"))
        .await
        .unwrap();
    admin
        .execute_admin(&format!("CREATE DATABASE {name}"))
        .await
        .unwrap();
    let url = format!("{}/{name}", pg_admin_url().rsplit_once('/').unwrap().0);
    let store = Store::connect(&url).await.unwrap();
    check(&store).await;
    store.close().await;
    admin
        .execute_admin(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .await
        .unwrap();
}

#[tokio::test]
async fn bad_urls_and_unreachable_servers_are_clear_errors() {
    let e = Store::connect("postgres://nobody:secret@127.0.0.1:1/x")
        .await
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("cannot open PostgreSQL at 127.0.0.1:1"), "{e}");
    assert!(!e.contains("secret"), "password must not leak: {e}");
    let e = Store::connect("sqlite:/no/such/folder/x.db")
        .await
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("does not exist"), "{e}");
    let e = Store::connect("http://example.org")
        .await
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("bad database URL"), "{e}");
}
