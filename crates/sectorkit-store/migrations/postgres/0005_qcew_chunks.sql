-- QCEW stored as compact chunks: one row per (year, quarter, area) whose `data` holds every cell
-- of that area and period in sectorkit's own binary encoding (format: src/chunk.rs; why: the
-- module header of src/qcew.rs). Importing a national file writes a few thousand blobs instead
-- of millions of index entries.
--
-- Rows of the old `qcew_rows` table are converted into chunks by `Store::migrate` right after
-- this migration (the encoding is done in Rust), in one transaction that then drops `qcew_rows`;
-- until that step has committed the old table stays, so nothing imported is lost.
CREATE TABLE qcew_chunks (
    year        BIGINT  NOT NULL,
    qtr         BIGINT  NOT NULL,            -- 0 = annual average, 1..4 = quarter
    area_fips   TEXT    NOT NULL,
    dataset_id  BIGINT  NOT NULL REFERENCES qcew_datasets(id), -- newest dataset in the chunk
    n_rows      BIGINT  NOT NULL,            -- cells in `data`
    has_total   BOOLEAN NOT NULL,            -- holds the all-industry total (own 0, industry 10)
    data        BYTEA   NOT NULL,            -- the encoded cells (src/chunk.rs, version byte first)
    PRIMARY KEY (year, qtr, area_fips)
);
CREATE INDEX qcew_chunks_area ON qcew_chunks(area_fips);
