-- Public reference data: BLS QCEW. Shared by all partnerships (it is public and identical for
-- everyone), read-only to the web; partnership-owned records reference it, never copy it.

CREATE TABLE qcew_datasets (
    id              INTEGER PRIMARY KEY,
    file_name       TEXT    NOT NULL,
    sha256          TEXT    NOT NULL UNIQUE,
    layout          TEXT    NOT NULL,
    periods         TEXT    NOT NULL,          -- comma list, e.g. "2020Q1,2020Q2" or "2020"
    rows_read       INTEGER NOT NULL,
    suppressed_rows INTEGER NOT NULL,
    rows_replaced   INTEGER NOT NULL DEFAULT 0, -- rows of earlier datasets this one superseded
    bytes           INTEGER NOT NULL,
    source          TEXT    NOT NULL DEFAULT '', -- who/what imported it: "cli", "demo", "web:<user>"
    imported_at     INTEGER NOT NULL
);

-- One row per published QCEW cell. The key is BLS's own (area, ownership, industry, aggregation
-- level, size, year, quarter); a later import of the same key (a newer vintage) replaces it and
-- points dataset_id at the newer dataset. NULL means unknown (suppressed), never zero.
CREATE TABLE qcew_rows (
    year            INTEGER NOT NULL,
    qtr             INTEGER NOT NULL,           -- 0 = annual average, 1..4 = quarter
    area_fips       TEXT    NOT NULL,
    own_code        INTEGER NOT NULL,
    industry_code   TEXT    NOT NULL,
    agglvl_code     INTEGER NOT NULL,
    size_code       INTEGER NOT NULL,
    dataset_id      INTEGER NOT NULL REFERENCES qcew_datasets(id),
    disclosed       BOOLEAN NOT NULL,
    estabs          INTEGER,
    employment      INTEGER,                    -- annual average, or month-3 level for quarters
    month1_emp      INTEGER,
    month2_emp      INTEGER,
    total_wages     INTEGER,
    avg_weekly_wage INTEGER,                    -- as published
    avg_annual_pay  INTEGER,                    -- as published (annual files only)
    lq_disclosed    BOOLEAN NOT NULL,
    lq_employment   REAL,                       -- BLS-published LQs, for verification
    lq_total_wages  REAL,
    lq_estabs       REAL,
    oty_disclosed   BOOLEAN NOT NULL,
    oty_employment_chg     INTEGER,             -- BLS-published over-the-year changes
    oty_employment_pct_chg REAL,
    oty_total_wages_chg    INTEGER,
    oty_total_wages_pct_chg REAL,
    oty_estabs_chg         INTEGER,
    PRIMARY KEY (year, qtr, area_fips, own_code, industry_code, agglvl_code, size_code)
) WITHOUT ROWID;
CREATE INDEX qcew_rows_dataset ON qcew_rows(dataset_id);
