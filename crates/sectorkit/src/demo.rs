//! The demo: a partnership and an account to try sectorkit with, created once and idempotently.
//!
//! `serve --demo` calls [`ensure`] on every start. The account's password is the one given
//! (`--demo-password` / `SECTORKIT_DEMO_PASSWORD`) or a new random one, and is set on every start
//! so that the password printed on the terminal is always the one that works.

use anyhow::Result;
use sectorkit_core::role::Role;
use sectorkit_store::Store;

pub const DEMO_EMAIL: &str = "demo@example.org";
pub const DEMO_SLUG: &str = "demo";
pub const DEMO_NAME: &str = "Central Ohio Advanced Manufacturing Partnership (demo)";
const DEMO_DESCRIPTION: &str = "A demonstration partnership for the Columbus, Ohio region. \
Explore it freely; later versions attach the region's real public labor-market data.";

/// What the terminal shows after the demo is ready.
pub struct DemoInfo {
    pub email: String,
    pub password: String,
    pub partnership_name: String,
    /// Embedded QCEW files imported now (the rest were imported on an earlier start).
    pub qcew_imported: usize,
    pub qcew_files: usize,
}

/// Imports the embedded Central Ohio QCEW files (skipping those imported before).
pub async fn ensure_data(store: &Store) -> Result<usize> {
    let mut imported = 0;
    for (name, bytes) in crate::demo_data::QCEW_FILES {
        let src = sectorkit_engine::import::ImportSource::Bytes(name.to_string(), (*bytes).into());
        match sectorkit_engine::import::import_one(store, src, "demo", u64::MAX, None).await? {
            sectorkit_store::ImportOutcome::Imported(_) => imported += 1,
            sectorkit_store::ImportOutcome::AlreadyImported(_) => {}
        }
    }
    Ok(imported)
}

pub async fn ensure(store: &Store, password: Option<&str>) -> Result<DemoInfo> {
    let password = match password {
        Some(p) => {
            if let Some(problem) = sectorkit_web::auth::password_problem(p) {
                anyhow::bail!("demo password refused: {problem}");
            }
            p.to_string()
        }
        None => sectorkit_web::auth::random_token()[..20].to_string(),
    };
    let hash = sectorkit_web::auth::hash_password(&password).map_err(anyhow::Error::msg)?;
    let user = match store.user_by_email(DEMO_EMAIL).await? {
        Some(u) => {
            store.set_password(u.id, &hash).await?;
            u.id
        }
        None => {
            store
                .create_user(DEMO_EMAIL, "Demo User", &hash, true)
                .await?
        }
    };
    let pid = match store.partnership_by_slug(DEMO_SLUG).await? {
        Some(p) => p.id,
        None => {
            store
                .create_partnership(DEMO_SLUG, DEMO_NAME, DEMO_DESCRIPTION, user)
                .await?
        }
    };
    if store.role_in(user, pid).await? != Some(Role::Owner) {
        store.set_member_role(pid, user, Role::Owner).await?;
    }
    let qcew_imported = ensure_data(store).await?;
    Ok(DemoInfo {
        email: DEMO_EMAIL.to_string(),
        password,
        partnership_name: DEMO_NAME.to_string(),
        qcew_imported,
        qcew_files: crate::demo_data::QCEW_FILES.len(),
    })
}
