//! QCEW storage on both backends: atomic imports, idempotent re-imports, vintage replacement,
//! and NULL (unknown) kept distinct from zero.

mod common;

use common::TestDb;
use sectorkit_store::{DatasetSummary, ImportOutcome, NewDataset, QcewDbRow, QcewQuery, Store};

fn row(area: &str, industry: &str, emp: Option<i64>) -> QcewDbRow {
    QcewDbRow {
        year: 2020,
        qtr: 0,
        area_fips: area.into(),
        own_code: 5,
        industry_code: industry.into(),
        agglvl_code: 75,
        size_code: 0,
        disclosed: emp.is_some(),
        estabs: Some(3),
        employment: emp,
        month1_emp: None,
        month2_emp: None,
        total_wages: emp.map(|e| e * 50_000),
        avg_weekly_wage: None,
        avg_annual_pay: None,
        lq_disclosed: true,
        lq_employment: Some(1.25),
        lq_total_wages: None,
        lq_estabs: None,
        oty_disclosed: false,
        oty_employment_chg: None,
        oty_employment_pct_chg: None,
        oty_total_wages_chg: None,
        oty_total_wages_pct_chg: None,
        oty_estabs_chg: None,
    }
}

async fn import(
    store: &Store,
    sha: &str,
    batches: Vec<Vec<QcewDbRow>>,
    summary: Result<DatasetSummary, String>,
) -> Result<ImportOutcome, sectorkit_store::StoreError> {
    let summary = summary.map(|mut s| {
        s.sha256 = sha.to_string();
        s
    });
    let (tx, rx) = tokio::sync::mpsc::channel(2);
    let (stx, srx) = tokio::sync::oneshot::channel();
    let feeder = tokio::spawn(async move {
        for b in batches {
            if tx.send(b).await.is_err() {
                return;
            }
        }
        drop(tx);
        let _ = stx.send(summary);
    });
    let out = store
        .import_qcew(
            NewDataset {
                file_name: format!("{sha}.csv"),
                bytes: 100,
                source: "test".into(),
            },
            rx,
            srx,
        )
        .await;
    feeder.await.unwrap();
    out
}

fn ok_summary(rows: i64) -> Result<DatasetSummary, String> {
    Ok(DatasetSummary {
        sha256: String::new(),
        layout: "annual untitled".into(),
        periods: vec!["2020".into()],
        rows_read: rows,
        suppressed_rows: 1,
    })
}

async fn scenario(db: TestDb) {
    let store = &db.store;
    // Many rows over several batches, one suppressed.
    let mut batch1: Vec<QcewDbRow> = (0..1500)
        .map(|i| {
            row(
                &format!("{:05}", 39000 + i % 100),
                &format!("{}", 300 + i / 100),
                Some(i),
            )
        })
        .collect();
    batch1.push(row("39049", "999", None));
    let out = import(
        store,
        "aaa",
        vec![batch1, vec![row("39049", "998", Some(7))]],
        ok_summary(1502),
    )
    .await
    .unwrap();
    let ds = match out {
        ImportOutcome::Imported(ds) => ds,
        other => panic!("expected an import, got {other:?}"),
    };
    assert_eq!(ds.rows_read, 1502);
    assert_eq!(ds.rows_replaced, 0);
    assert_eq!(ds.periods, "2020");

    // The same file again: a no-op.
    let again = import(
        store,
        "aaa",
        vec![vec![row("39049", "111", Some(1))]],
        ok_summary(1),
    )
    .await
    .unwrap();
    assert!(matches!(again, ImportOutcome::AlreadyImported(_)));
    assert_eq!(store.datasets().await.unwrap().len(), 1);

    // A failing file: nothing of it is kept, earlier data untouched.
    let err = import(
        store,
        "bbb",
        vec![vec![row("39041", "311", Some(5))]],
        Err("f.csv: line 3, field annual_avg_emplvl: \"x\" is not a number".into()),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("line 3"), "{err}");
    assert!(err.to_string().contains("nothing was imported"), "{err}");
    assert_eq!(store.datasets().await.unwrap().len(), 1);
    let areas = vec!["39041".to_string(), "39049".to_string()];
    let q = QcewQuery {
        year: 2020,
        qtr: 0,
        areas: &areas,
        own_codes: &[5],
        agglvl_codes: &[75],
    };
    let rows = store.qcew_rows(&q).await.unwrap();
    assert!(
        rows.iter()
            .all(|r| r.area_fips != "39041" || r.industry_code != "311" || r.employment != Some(5))
    );

    // The suppressed value comes back unknown, not zero.
    let sup = rows
        .iter()
        .find(|r| r.area_fips == "39049" && r.industry_code == "999")
        .unwrap();
    assert_eq!(sup.employment, None);
    assert_eq!(sup.total_wages, None);
    assert!(!sup.disclosed);
    assert_eq!(sup.estabs, Some(3));

    // A newer vintage of one cell replaces it and is counted.
    let out = import(
        store,
        "ccc",
        vec![vec![
            row("39049", "998", Some(8)),
            row("39049", "997", Some(1)),
        ]],
        ok_summary(2),
    )
    .await
    .unwrap();
    let ImportOutcome::Imported(ds2) = out else {
        panic!()
    };
    assert_eq!(ds2.rows_replaced, 1);
    let rows = store.qcew_rows(&q).await.unwrap();
    let cell = rows
        .iter()
        .find(|r| r.area_fips == "39049" && r.industry_code == "998")
        .unwrap();
    assert_eq!(cell.employment, Some(8));
    assert_eq!(store.qcew_periods().await.unwrap(), vec![(2020, 0)]);
    let areas = store.qcew_areas(2020, 0).await.unwrap();
    assert!(areas.contains(&"39049".to_string()), "{areas:?}");
    assert!(
        areas.windows(2).all(|w| w[0] < w[1]),
        "sorted, distinct: {areas:?}"
    );
    assert!(store.qcew_areas(2019, 0).await.unwrap().is_empty());
    db.finish().await;
}

#[tokio::test]
async fn sqlite_qcew_storage() {
    scenario(TestDb::sqlite().await).await;
}

#[tokio::test]
async fn postgres_qcew_storage() {
    scenario(TestDb::postgres().await).await;
}

async fn projections_scenario(db: TestDb) {
    use sectorkit_store::ProjectionDbRow;
    let store = &db.store;
    let row = |area: &str, ind: &str, base: f64| ProjectionDbRow {
        area_code: area.into(),
        area_name: "Test".into(),
        industry_code: ind.into(),
        base_year: 2022,
        base_employment: base,
        projected_year: 2032,
        projected_employment: base * 1.1,
    };
    let (set, new) = store
        .import_projections(
            "p.csv",
            "sha-p",
            "test",
            1,
            &[row("39000", "55", 1000.0), row("39000", "524", 2000.0)],
        )
        .await
        .unwrap();
    assert!(new);
    assert_eq!(set.rows_read, 2);
    let (_, new) = store
        .import_projections("p.csv", "sha-p", "test", 1, &[row("39000", "55", 1.0)])
        .await
        .unwrap();
    assert!(!new, "same file again is a no-op");
    // A duplicate key inside one file: refused, nothing kept.
    let err = store
        .import_projections(
            "d.csv",
            "sha-d",
            "test",
            0,
            &[row("18000", "55", 1.0), row("18000", "55", 2.0)],
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");
    assert!(store.projections_for("18000").await.unwrap().is_empty());
    // A newer set for the same area replaces it for queries.
    store
        .import_projections("p2.csv", "sha-p2", "test", 0, &[row("39000", "55", 500.0)])
        .await
        .unwrap();
    let rows = store.projections_for("39000").await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].base_employment, 500.0);
    let areas = store.projection_areas().await.unwrap();
    assert_eq!(areas.len(), 1);
    assert_eq!(areas[0].industries, 1);
    db.finish().await;
}

#[tokio::test]
async fn sqlite_projections_storage() {
    projections_scenario(TestDb::sqlite().await).await;
}

#[tokio::test]
async fn postgres_projections_storage() {
    projections_scenario(TestDb::postgres().await).await;
}
