-- Public reference data: BLS QCEW. Shared by all partnerships (it is public and identical for
-- everyone), read-only to the web; partnership-owned records reference it, never copy it.

CREATE TABLE qcew_datasets (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file_name       TEXT    NOT NULL,
    sha256          TEXT    NOT NULL UNIQUE,
    layout          TEXT    NOT NULL,
    periods         TEXT    NOT NULL,          -- comma list, e.g. "2020Q1,2020Q2" or "2020"
    rows_read       BIGINT NOT NULL,
    suppressed_rows BIGINT NOT NULL,
    rows_replaced   BIGINT NOT NULL DEFAULT 0, -- rows of earlier datasets this one superseded
    bytes           BIGINT NOT NULL,
    source          TEXT    NOT NULL DEFAULT '', -- who/what imported it: "cli", "demo", "web:<user>"
    imported_at     BIGINT NOT NULL
);

-- One row per published QCEW cell. The key is BLS's own (area, ownership, industry, aggregation
-- level, size, year, quarter); a later import of the same key (a newer vintage) replaces it and
-- points dataset_id at the newer dataset. NULL means unknown (suppressed), never zero.
CREATE TABLE qcew_rows (
    year            BIGINT NOT NULL,
    qtr             BIGINT NOT NULL,           -- 0 = annual average, 1..4 = quarter
    area_fips       TEXT    NOT NULL,
    own_code        BIGINT NOT NULL,
    industry_code   TEXT    NOT NULL,
    agglvl_code     BIGINT NOT NULL,
    size_code       BIGINT NOT NULL,
    dataset_id      BIGINT NOT NULL REFERENCES qcew_datasets(id),
    disclosed       BOOLEAN NOT NULL,
    estabs          BIGINT,
    employment      BIGINT,                    -- annual average, or month-3 level for quarters
    month1_emp      BIGINT,
    month2_emp      BIGINT,
    total_wages     BIGINT,
    avg_weekly_wage BIGINT,                    -- as published
    avg_annual_pay  BIGINT,                    -- as published (annual files only)
    lq_disclosed    BOOLEAN NOT NULL,
    lq_employment   DOUBLE PRECISION,                       -- BLS-published LQs, for verification
    lq_total_wages  DOUBLE PRECISION,
    lq_estabs       DOUBLE PRECISION,
    oty_disclosed   BOOLEAN NOT NULL,
    oty_employment_chg     BIGINT,             -- BLS-published over-the-year changes
    oty_employment_pct_chg DOUBLE PRECISION,
    oty_total_wages_chg    BIGINT,
    oty_total_wages_pct_chg DOUBLE PRECISION,
    oty_estabs_chg         BIGINT,
    PRIMARY KEY (year, qtr, area_fips, own_code, industry_code, agglvl_code, size_code)
);
CREATE INDEX qcew_rows_dataset ON qcew_rows(dataset_id);
