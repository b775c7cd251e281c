//! LODES storage on both backends: migration 0007 applies (with the gap before it), imports are
//! atomic and idempotent by SHA-256, a second file for the same state/part/job type/year is
//! refused, and the flows a region needs come back.

mod common;

use common::TestDb;
use sectorkit_store::{LodesFlowRow, LodesImport, NewLodesDataset, Store, StoreError};

fn dataset(sha: &str, part: &str, total: i64) -> NewLodesDataset {
    NewLodesDataset {
        file_name: format!("ri_od_{part}_JT00_2019.csv.gz"),
        sha256: sha.into(),
        state: "44".into(),
        part: part.into(),
        job_type: "JT00".into(),
        year: 2019,
        block_vintage: 2010,
        rows_read: 3,
        s000_total: total,
        source: "test".into(),
    }
}

fn flow(w: &str, h: &str, s000: i64) -> LodesFlowRow {
    LodesFlowRow {
        w_county: w.into(),
        h_county: h.into(),
        s000,
        segments: [s000, 0, 0, 0, s000, 0, 0, 0, s000],
    }
}

async fn scenario(store: &Store) {
    // The tables of migration 0007 exist (whether or not 0005/0006 do: sqlx applies by version).
    let main = vec![
        flow("44007", "44007", 500),
        flow("44007", "44003", 300),
        flow("44003", "44007", 200),
    ];
    let names = vec![("44007".to_string(), "Providence County, RI".to_string())];
    let LodesImport::Imported(d) = store
        .import_lodes(&dataset("aaa", "main", 1000), &main, &names)
        .await
        .unwrap()
    else {
        panic!("new file")
    };
    assert_eq!((d.county_pairs, d.s000_total, d.year), (3, 1000, 2019));
    // Same file again: a no-op.
    let again = store
        .import_lodes(&dataset("aaa", "main", 1000), &main, &names)
        .await
        .unwrap();
    assert!(matches!(again, LodesImport::AlreadyImported(ref x) if x.id == d.id));
    // Another file for ri main JT00 2019: refused, nothing kept.
    let e = store
        .import_lodes(&dataset("bbb", "main", 1000), &main, &names)
        .await
        .unwrap_err();
    assert!(matches!(e, StoreError::Import(_)), "{e}");
    assert!(e.to_string().contains("already held"), "{e}");
    // Totals that do not match the flows: refused before anything is written.
    let e = store
        .import_lodes(
            &dataset("ccc", "aux", 99),
            &[flow("44007", "25005", 100)],
            &[],
        )
        .await
        .unwrap_err();
    assert!(e.to_string().contains("nothing was imported"), "{e}");
    // A failing insert inside the transaction (the same pair twice) rolls everything back.
    let dup = vec![flow("44007", "25005", 50), flow("44007", "25005", 50)];
    store
        .import_lodes(&dataset("ddd", "aux", 100), &dup, &[])
        .await
        .unwrap_err();
    assert_eq!(store.lodes_datasets().await.unwrap().len(), 1);

    let aux = vec![flow("44007", "25005", 70), flow("44009", "09011", 30)];
    store
        .import_lodes(&dataset("eee", "aux", 100), &aux, &[])
        .await
        .unwrap();
    let ds = store.lodes_datasets().await.unwrap();
    assert_eq!(
        ds.iter().map(|d| d.part.as_str()).collect::<Vec<_>>(),
        ["aux", "main"]
    );
    let flows = store
        .lodes_flows_for(&["44007".to_string()], 2019, "JT00")
        .await
        .unwrap();
    assert_eq!(
        flows
            .iter()
            .map(|f| (f.w_county.as_str(), f.h_county.as_str(), f.s000))
            .collect::<Vec<_>>(),
        [
            ("44003", "44007", 200),
            ("44007", "25005", 70),
            ("44007", "44003", 300),
            ("44007", "44007", 500)
        ]
    );
    assert_eq!(flows[1].segments, [70, 0, 0, 0, 70, 0, 0, 0, 70]);
    assert!(
        store
            .lodes_flows_for(&["44007".to_string()], 2018, "JT00")
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .lodes_county_names(&["44007".into(), "44009".into()])
            .await
            .unwrap(),
        names
    );
}

#[tokio::test]
async fn lodes_on_sqlite() {
    let db = TestDb::sqlite().await;
    scenario(&db.store).await;
    db.finish().await;
}

#[tokio::test]
async fn lodes_on_postgres() {
    let db = TestDb::postgres().await;
    scenario(&db.store).await;
    db.finish().await;
}
