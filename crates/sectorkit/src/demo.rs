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
    /// Embedded occupation reference files (OEWS, EP, O*NET) imported now.
    pub occ_imported: usize,
    pub occ_files: usize,
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

/// Imports the embedded occupation reference slices (OEWS, EP, O*NET), skipping those imported
/// before: a file already imported is recognised by its SHA-256 without being parsed.
pub async fn ensure_occupations(store: &Store) -> Result<usize> {
    use crate::demo_data::OccKind;
    use sectorkit_engine::occupations as occ;
    let mut imported = 0;
    for (kind, name, bytes) in crate::demo_data::OCC_FILES {
        let r = match kind {
            OccKind::Oews => occ::import_oews_bytes(store, name, bytes, "demo").await?,
            OccKind::Ep => occ::import_ep_bytes(store, name, bytes, "demo").await?,
            OccKind::Onet => occ::import_onet_bytes(store, name, bytes, "demo").await?,
        };
        imported += usize::from(r.new);
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
    let occ_imported = ensure_occupations(store).await?;
    ensure_regions(store, pid, user).await?;
    crate::demo_partners::ensure(store, pid, user).await?;
    crate::demo_plan::ensure(store, pid, user).await?;
    crate::demo_plan::ensure_funding(store, pid, user).await?;
    crate::demo_plan::ensure_alignment(store, pid, user).await?;
    crate::demo_plan::ensure_plan_page(store, pid, user).await?;
    crate::demo_plan::ensure_sustain(store, pid, user).await?;
    crate::demo_plan::ensure_outcomes(store, pid, user).await?;
    Ok(DemoInfo {
        email: DEMO_EMAIL.to_string(),
        password,
        partnership_name: DEMO_NAME.to_string(),
        qcew_imported,
        qcew_files: crate::demo_data::QCEW_FILES.len(),
        occ_imported,
        occ_files: crate::demo_data::OCC_FILES.len(),
    })
}

/// The demo's regions and shortlist, created once: Franklin + Delaware counties (the pair with a
/// national file of the same quarter, so location quotients are computed) as the primary region,
/// and the ten-county Columbus metro (2016 quarters, no national file: no LQs, said on the page).
async fn ensure_regions(
    store: &Store,
    pid: sectorkit_store::PartnershipId,
    user: sectorkit_store::UserId,
) -> Result<()> {
    if !store.regions(pid).await?.is_empty() {
        return Ok(());
    }
    let geo = sectorkit_data::geo::Geography::embedded();
    for (name, codes, primary) in [
        ("Franklin and Delaware counties", "39049,39041", true),
        ("Columbus, OH metro (10 counties)", "C1814", false),
    ] {
        let region = geo.resolve_region(codes)?;
        let counties: Vec<String> = region
            .counties
            .iter()
            .map(|c| c.as_str().to_string())
            .collect();
        store
            .create_region(pid, name, codes, &counties, primary, user)
            .await?;
    }
    // A shortlisted industry, with the snapshot the web app would store.
    let period: sectorkit_core::codes::Period = "2020Q1".parse()?;
    let req = sectorkit_engine::targets::TargetRequest::new("39049,39041", period);
    let (table, _) = sectorkit_engine::targets::compute_targets(Some(store), &req, None).await?;
    if let Some(row) = table
        .rows
        .iter()
        .find(|r| r.industry_code.as_str() == "524")
    {
        let cells = sectorkit_engine::table::csv_record(row);
        let figures: serde_json::Map<String, serde_json::Value> =
            sectorkit_engine::table::CSV_COLUMNS
                .iter()
                .zip(cells)
                .map(|(k, v)| (k.to_string(), serde_json::Value::String(v)))
                .collect();
        let snapshot = serde_json::json!({
            "region": {"name": "Franklin and Delaware counties", "counties": "39041,39049"},
            "settings": {"period": "2020Q1", "ownership": 5, "level": "3"},
            "figures": figures,
        })
        .to_string();
        store
            .add_to_shortlist(
                pid,
                &sectorkit_store::NewShortlistItem {
                    industry_code: row.industry_code.as_str(),
                    industry_title: &row.industry_title,
                    own_code: 5,
                    region_name: "Franklin and Delaware counties",
                    period: "2020Q1",
                    note: "Large, well paid and concentrated here (LQ above 2): the insurance carriers are the anchor employers of the demo.",
                    snapshot: &snapshot,
                    added_by: user,
                },
            )
            .await?;
    }
    Ok(())
}
