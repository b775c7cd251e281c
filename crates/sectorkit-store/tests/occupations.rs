//! Occupation reference data and living wages on both backends: atomic, idempotent imports,
//! replacement of a table by a newer file, and living wages scoped to their partnership.

mod common;

use common::TestDb;
use sectorkit_store::{LivingWageDb, OccFactDb, OccImport, OewsTableDb, StoreError};

fn table(area: &str, industry: &str, body: &str) -> OewsTableDb {
    OewsTableDb {
        area_code: area.into(),
        industry_code: industry.into(),
        area_title: format!("Area {area}"),
        area_type: "S".into(),
        industry_title: format!("Industry {industry}"),
        industry_level: 4,
        occupations: 2,
        body: body.into(),
    }
}

async fn scenario(db: TestDb) {
    let store = &db.store;
    let first = OccImport::Oews(vec![
        table("0000000", "336100", "[1]"),
        table("3900000", "000000", "[2]"),
    ]);
    let a = store
        .import_occ_dataset("oews", "a.csv", "sha-a", "test", 10, &first)
        .await
        .unwrap();
    assert!(a.new);
    assert_eq!((a.dataset.items, a.replaced), (2, 0));
    // Same file again: nothing happens.
    let again = store
        .import_occ_dataset("oews", "a-copy.csv", "sha-a", "test", 10, &first)
        .await
        .unwrap();
    assert!(!again.new);
    assert_eq!(again.dataset.id, a.dataset.id);
    assert_eq!(store.occ_datasets().await.unwrap().len(), 1);
    // A newer file replaces one table and adds another.
    let b = store
        .import_occ_dataset(
            "oews",
            "b.csv",
            "sha-b",
            "test",
            5,
            &OccImport::Oews(vec![
                table("3900000", "000000", "[3]"),
                table("0018140", "000000", "[4]"),
            ]),
        )
        .await
        .unwrap();
    assert_eq!(b.replaced, 1);
    let t = store
        .oews_table("3900000", "000000")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(t.body, "[3]");
    assert_eq!(
        store
            .oews_table("0000000", "336100")
            .await
            .unwrap()
            .unwrap()
            .body,
        "[1]"
    );
    assert!(
        store
            .oews_table("0000000", "999999")
            .await
            .unwrap()
            .is_none()
    );
    let areas = store.oews_areas().await.unwrap();
    assert_eq!(
        areas
            .iter()
            .map(|a| a.area_code.as_str())
            .collect::<Vec<_>>(),
        ["0018140", "3900000"]
    );
    assert_eq!(areas[1].dataset_id, b.dataset.id);
    assert_eq!(store.oews_tables_of_area("0000000").await.unwrap().len(), 1);

    // Facts.
    let f = store
        .import_occ_dataset(
            "ep",
            "ep.xlsx",
            "sha-ep",
            "test",
            2,
            &OccImport::Facts(vec![
                OccFactDb {
                    soc_code: "29-1141".into(),
                    title: "Registered Nurses".into(),
                    body: "{}".into(),
                },
                OccFactDb {
                    soc_code: "51-2090".into(),
                    title: "Misc. assemblers".into(),
                    body: "{\"x\":1}".into(),
                },
            ]),
        )
        .await
        .unwrap();
    assert!(f.new);
    assert_eq!(store.occ_facts("ep").await.unwrap().len(), 2);
    assert!(store.occ_facts("onet").await.unwrap().is_empty());

    // Living wages belong to one partnership.
    let u = store
        .create_user("lw@example.org", "LW", "x", false)
        .await
        .unwrap();
    let p1 = store
        .create_partnership("p-one", "One", "", u)
        .await
        .unwrap();
    let p2 = store
        .create_partnership("p-two", "Two", "", u)
        .await
        .unwrap();
    let lw = |county: &str, hourly: f64| LivingWageDb {
        county_fips: county.into(),
        family_type: "1a0c".into(),
        hourly,
        vintage: "2025".into(),
        source: "MIT".into(),
    };
    store
        .replace_living_wages(p1, &[lw("39049", 22.5), lw("39041", 23.1)])
        .await
        .unwrap();
    assert_eq!(store.living_wages(p1).await.unwrap().len(), 2);
    assert!(store.living_wages(p2).await.unwrap().is_empty());
    // A duplicate key refuses the whole replacement and keeps what was saved.
    let err = store
        .replace_living_wages(p1, &[lw("39049", 1.0), lw("39049", 2.0)])
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    let kept = store.living_wages(p1).await.unwrap();
    assert_eq!(kept, vec![lw("39041", 23.1), lw("39049", 22.5)]);
    db.finish().await;
}

#[tokio::test]
async fn sqlite_occupation_reference() {
    scenario(TestDb::sqlite().await).await;
}

#[tokio::test]
async fn postgres_occupation_reference() {
    scenario(TestDb::postgres().await).await;
}
