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

    // A newer vintage spread over several chunks, arriving out of area order: every replaced
    // cell is counted once, new cells are added, other cells kept.
    let mut total = row("39041", "10", Some(100));
    total.own_code = 0;
    total.agglvl_code = 70;
    let out = import(
        store,
        "ddd",
        vec![
            vec![row("39049", "998", Some(9)), row("39000", "300", Some(-1))],
            vec![row("39049", "996", Some(2)), total.clone()],
            vec![row("39049", "997", Some(3)), row("39001", "300", Some(4))],
        ],
        ok_summary(6),
    )
    .await
    .unwrap();
    let ImportOutcome::Imported(ds3) = out else {
        panic!()
    };
    assert_eq!(
        ds3.rows_replaced, 4,
        "39049/998, 39049/997, 39000/300, 39001/300"
    );
    let areas3 = vec![
        "39049".to_string(),
        "39000".to_string(),
        "39041".to_string(),
    ];
    let q3 = QcewQuery {
        areas: &areas3,
        ..q.clone()
    };
    let rows = store.qcew_rows(&q3).await.unwrap();
    let get = |a: &str, i: &str| {
        rows.iter()
            .find(|r| r.area_fips == a && r.industry_code == i)
            .map(|r| r.employment)
    };
    assert_eq!(get("39049", "998"), Some(Some(9)));
    assert_eq!(get("39049", "997"), Some(Some(3)));
    assert_eq!(get("39049", "996"), Some(Some(2)));
    assert_eq!(get("39049", "999"), Some(None), "kept, still unknown");
    assert_eq!(get("39000", "300"), Some(Some(-1)));
    assert_eq!(get("39041", "10"), None, "own 0 / agglvl 70 filtered out");
    // 39049: 15 from the first file + 999 + 998 + 997 + 996; 39000: 15; 39041: 15.
    assert_eq!(rows.len(), 19 + 15 + 15);
    let with_total = QcewQuery {
        own_codes: &[0, 5],
        agglvl_codes: &[70, 75],
        ..q3.clone()
    };
    assert_eq!(store.qcew_rows(&with_total).await.unwrap().len(), 50);
    // The area with its total row counts in qcew_periods_for.
    assert_eq!(
        store.qcew_periods_for(&areas3).await.unwrap(),
        vec![(2020, 0, 1)]
    );

    // A bad file that touched existing chunks leaves them as they were.
    let before = store.qcew_rows(&with_total).await.unwrap();
    let err = import(
        store,
        "eee",
        vec![
            vec![
                row("39049", "998", Some(1000)),
                row("39041", "311", Some(1)),
            ],
            vec![row("39049", "995", Some(1))],
        ],
        Err("bad line".into()),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("bad line"), "{err}");
    assert_eq!(store.qcew_rows(&with_total).await.unwrap(), before);
    assert_eq!(store.datasets().await.unwrap().len(), 3);
    let areas = store.qcew_areas(2020, 0).await.unwrap();
    assert!(areas.contains(&"39049".to_string()), "{areas:?}");
    assert!(
        areas.windows(2).all(|w| w[0] < w[1]),
        "sorted, distinct: {areas:?}"
    );
    assert!(store.qcew_areas(2019, 0).await.unwrap().is_empty());
    db.finish().await;
}

/// Many rows of few areas, interleaved (as in a file sorted by industry): more than the import
/// holds in memory at once, so chunks are written and merged again; nothing lost or miscounted.
async fn unsorted_scenario(db: TestDb) {
    let store = &db.store;
    let areas: Vec<String> = (0..7).map(|a| format!("{:05}", 18000 + a)).collect();
    let n = 63_000;
    let all: Vec<QcewDbRow> = (0..n)
        .map(|i| {
            row(
                &areas[i % 7],
                &format!("{}", 100_000 + i / 7),
                Some(i as i64),
            )
        })
        .collect();
    let out = import(
        store,
        "big",
        all.chunks(5000).map(|c| c.to_vec()).collect(),
        ok_summary(n as i64),
    )
    .await
    .unwrap();
    let ImportOutcome::Imported(ds) = out else {
        panic!()
    };
    assert_eq!(ds.rows_replaced, 0);
    let q = QcewQuery {
        year: 2020,
        qtr: 0,
        areas: &areas,
        own_codes: &[5],
        agglvl_codes: &[75],
    };
    let rows = store.qcew_rows(&q).await.unwrap();
    assert_eq!(rows.len(), n);
    let mut emp: Vec<i64> = rows.iter().map(|r| r.employment.unwrap()).collect();
    emp.sort();
    assert_eq!(emp, (0..n as i64).collect::<Vec<_>>());
    // Every other cell again, newer: replaced and counted.
    let half: Vec<QcewDbRow> = all
        .iter()
        .step_by(2)
        .map(|r| QcewDbRow {
            employment: Some(-1),
            ..r.clone()
        })
        .collect();
    let out = import(
        store,
        "big2",
        half.chunks(5000).map(|c| c.to_vec()).collect(),
        ok_summary(half.len() as i64),
    )
    .await
    .unwrap();
    let ImportOutcome::Imported(ds2) = out else {
        panic!()
    };
    assert_eq!(ds2.rows_replaced, half.len() as i64);
    let rows = store.qcew_rows(&q).await.unwrap();
    assert_eq!(rows.len(), n);
    assert_eq!(
        rows.iter().filter(|r| r.employment == Some(-1)).count(),
        half.len()
    );
    db.finish().await;
}

#[tokio::test]
async fn sqlite_qcew_unsorted_import() {
    unsorted_scenario(TestDb::sqlite().await).await;
}

#[tokio::test]
async fn postgres_qcew_unsorted_import() {
    unsorted_scenario(TestDb::postgres().await).await;
}

/// A database from before chunks (migrations 0001-0004 with rows in `qcew_rows`): migrating
/// converts every row into chunks, keeps NULLs and drops the old table.
async fn legacy_scenario(db: TestDb, backend: &str) {
    let store = &db.store;
    let dir = std::env::temp_dir().join(format!(
        "sk-legacy-{backend}-{}-{}",
        std::process::id(),
        sectorkit_store::now_unix()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(backend);
    for f in std::fs::read_dir(&src).unwrap() {
        let f = f.unwrap();
        let name = f.file_name().to_string_lossy().into_owned();
        if name.as_str() < "0005" {
            std::fs::copy(f.path(), dir.join(&name)).unwrap();
        }
    }
    let old = sqlx::migrate::Migrator::new(dir.as_path()).await.unwrap();
    assert_eq!(store.migrate_with(&old).await.unwrap(), 4);
    for (id, sha) in [(1, "s1"), (2, "s2")] {
        store
            .execute_admin(&format!(
                "INSERT INTO qcew_datasets (file_name, sha256, layout, periods, rows_read, \
                 suppressed_rows, bytes, imported_at) VALUES ('f{id}.csv', '{sha}', 'x', '2020', \
                 0, 0, 1, {id})"
            ))
            .await
            .unwrap();
    }
    let cols = "year, qtr, area_fips, own_code, industry_code, agglvl_code, size_code, \
        dataset_id, disclosed, estabs, employment, month1_emp, month2_emp, total_wages, \
        avg_weekly_wage, avg_annual_pay, lq_disclosed, lq_employment, lq_total_wages, lq_estabs, \
        oty_disclosed, oty_employment_chg, oty_employment_pct_chg, oty_total_wages_chg, \
        oty_total_wages_pct_chg, oty_estabs_chg";
    let values = [
        "2020, 0, '39049', 5, '311', 75, 0, 1, TRUE, 3, 120, NULL, NULL, 6000000, 962, 50000, \
         TRUE, 1.25, 0.5, 0.75, TRUE, -4, -3.2, 1000, 0.1, 1",
        "2020, 0, '39049', 5, '312', 75, 0, 2, FALSE, 2, NULL, NULL, NULL, NULL, NULL, NULL, \
         FALSE, NULL, NULL, NULL, FALSE, NULL, NULL, NULL, NULL, NULL",
        "2020, 0, '39049', 0, '10', 70, 0, 1, TRUE, 30, 5000, NULL, NULL, 1, 2, 3, \
         TRUE, 1, 1, 1, TRUE, 0, 0, 0, 0, 0",
        "2020, 0, '39041', 5, '311', 75, 0, 2, TRUE, 1, 7, NULL, NULL, 8, 9, 10, \
         TRUE, 0.3, 0.3, 0.3, TRUE, 1, 1, 1, 1, 1",
        "2020, 1, '39041', 5, '311', 75, 0, 2, TRUE, 1, 7, 5, 6, 8, 9, NULL, \
         TRUE, 0.3, 0.3, 0.3, TRUE, 1, 1, 1, 1, 1",
        "2020, 1, '39041', 5, '311', 75, 2, 2, TRUE, 1, 7, 5, 6, 8, 9, NULL, \
         TRUE, 0.3, 0.3, 0.3, TRUE, 1, 1, 1, 1, 1",
    ];
    for v in values {
        store
            .execute_admin(&format!("INSERT INTO qcew_rows ({cols}) VALUES ({v})"))
            .await
            .unwrap();
    }
    // Now the real migrations: 0005 (with the conversion) and every later one.
    let later = std::fs::read_dir(&src)
        .unwrap()
        .filter(|f| f.as_ref().unwrap().file_name().to_string_lossy().as_ref() >= "0005")
        .count();
    assert!(later >= 1);
    assert_eq!(store.migrate().await.unwrap(), later);
    assert!(
        store
            .execute_admin("SELECT 1 FROM qcew_rows")
            .await
            .is_err(),
        "old table dropped"
    );
    let areas = vec!["39049".to_string(), "39041".to_string()];
    let q = QcewQuery {
        year: 2020,
        qtr: 0,
        areas: &areas,
        own_codes: &[0, 5],
        agglvl_codes: &[70, 75],
    };
    let rows = store.qcew_rows(&q).await.unwrap();
    assert_eq!(rows.len(), 4);
    let r311 = rows
        .iter()
        .find(|r| r.area_fips == "39049" && r.industry_code == "311")
        .unwrap();
    assert_eq!(
        r311,
        &QcewDbRow {
            year: 2020,
            qtr: 0,
            area_fips: "39049".into(),
            own_code: 5,
            industry_code: "311".into(),
            agglvl_code: 75,
            size_code: 0,
            disclosed: true,
            estabs: Some(3),
            employment: Some(120),
            month1_emp: None,
            month2_emp: None,
            total_wages: Some(6_000_000),
            avg_weekly_wage: Some(962),
            avg_annual_pay: Some(50_000),
            lq_disclosed: true,
            lq_employment: Some(1.25),
            lq_total_wages: Some(0.5),
            lq_estabs: Some(0.75),
            oty_disclosed: true,
            oty_employment_chg: Some(-4),
            oty_employment_pct_chg: Some(-3.2),
            oty_total_wages_chg: Some(1000),
            oty_total_wages_pct_chg: Some(0.1),
            oty_estabs_chg: Some(1),
        }
    );
    let r312 = rows.iter().find(|r| r.industry_code == "312").unwrap();
    assert_eq!(
        (r312.employment, r312.total_wages, r312.disclosed),
        (None, None, false)
    );
    let q1 = QcewQuery {
        qtr: 1,
        ..q.clone()
    };
    let rows1 = store.qcew_rows(&q1).await.unwrap();
    assert_eq!(rows1.len(), 1, "size class 2 is stored but not returned");
    assert_eq!(rows1[0].month1_emp, Some(5));
    assert_eq!(
        store.qcew_periods().await.unwrap(),
        vec![(2020, 1), (2020, 0)]
    );
    assert_eq!(
        store.qcew_periods_for(&areas).await.unwrap(),
        vec![(2020, 1, 0), (2020, 0, 1)]
    );
    // A newer vintage over converted chunks is counted as usual.
    let out = import(
        store,
        "s3",
        vec![vec![
            row("39049", "311", Some(1)),
            row("39049", "313", Some(1)),
        ]],
        ok_summary(2),
    )
    .await
    .unwrap();
    let ImportOutcome::Imported(ds) = out else {
        panic!()
    };
    assert_eq!(ds.rows_replaced, 1);
    // Migrating again changes nothing.
    assert_eq!(store.migrate().await.unwrap(), 0);
    std::fs::remove_dir_all(dir).ok();
    db.finish().await;
}

#[tokio::test]
async fn sqlite_legacy_rows_are_converted() {
    legacy_scenario(TestDb::sqlite_empty().await, "sqlite").await;
}

#[tokio::test]
async fn postgres_legacy_rows_are_converted() {
    legacy_scenario(TestDb::postgres_empty().await, "postgres").await;
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
