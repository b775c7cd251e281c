-- Census LODES origin-destination files, aggregated to county pairs on import (METHODS §5).
-- Public reference data like QCEW: shared, not a tenant record. One dataset per file; a file
-- whose SHA-256 was imported before is not imported again, and one state/part/job type/year is
-- held once.
CREATE TABLE lodes_datasets (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file_name     TEXT    NOT NULL,
    sha256        TEXT    NOT NULL UNIQUE,
    state         TEXT    NOT NULL,              -- 2-digit FIPS of the workplace state
    part          TEXT    NOT NULL CHECK (part IN ('main', 'aux')),
    job_type      TEXT    NOT NULL,              -- JT00 … JT05
    year          BIGINT  NOT NULL,
    block_vintage BIGINT  NOT NULL,              -- 2010 (LODES 7) or 2020 (LODES 8), from the crosswalk
    rows_read     BIGINT  NOT NULL,
    s000_total    BIGINT  NOT NULL,
    county_pairs  BIGINT  NOT NULL,
    source        TEXT    NOT NULL DEFAULT '',
    imported_at   BIGINT  NOT NULL,
    UNIQUE (state, part, job_type, year)
);

CREATE TABLE lodes_flows (
    dataset_id BIGINT  NOT NULL REFERENCES lodes_datasets(id) ON DELETE CASCADE,
    w_county   TEXT    NOT NULL,
    h_county   TEXT    NOT NULL,
    s000       BIGINT  NOT NULL,
    sa01       BIGINT  NOT NULL,
    sa02       BIGINT  NOT NULL,
    sa03       BIGINT  NOT NULL,
    se01       BIGINT  NOT NULL,
    se02       BIGINT  NOT NULL,
    se03       BIGINT  NOT NULL,
    si01       BIGINT  NOT NULL,
    si02       BIGINT  NOT NULL,
    si03       BIGINT  NOT NULL,
    PRIMARY KEY (dataset_id, w_county, h_county)
);
CREATE INDEX lodes_flows_w ON lodes_flows(w_county);
CREATE INDEX lodes_flows_h ON lodes_flows(h_county);

-- County names from the crosswalks (LODES 8 and 7 may name a county differently; the newest
-- import wins).
CREATE TABLE lodes_counties (
    county TEXT NOT NULL PRIMARY KEY,
    name   TEXT NOT NULL
);
