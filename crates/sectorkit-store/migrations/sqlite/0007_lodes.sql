-- Census LODES origin-destination files, aggregated to county pairs on import (METHODS §5).
-- Public reference data like QCEW: shared, not a tenant record. One dataset per file; a file
-- whose SHA-256 was imported before is not imported again, and one state/part/job type/year is
-- held once.
CREATE TABLE lodes_datasets (
    id            INTEGER PRIMARY KEY,
    file_name     TEXT    NOT NULL,
    sha256        TEXT    NOT NULL UNIQUE,
    state         TEXT    NOT NULL,              -- 2-digit FIPS of the workplace state
    part          TEXT    NOT NULL CHECK (part IN ('main', 'aux')),
    job_type      TEXT    NOT NULL,              -- JT00 … JT05
    year          INTEGER NOT NULL,
    block_vintage INTEGER NOT NULL,              -- 2010 (LODES 7) or 2020 (LODES 8), from the crosswalk
    rows_read     INTEGER NOT NULL,
    s000_total    INTEGER NOT NULL,
    county_pairs  INTEGER NOT NULL,
    source        TEXT    NOT NULL DEFAULT '',
    imported_at   INTEGER NOT NULL,
    UNIQUE (state, part, job_type, year)
);

CREATE TABLE lodes_flows (
    dataset_id INTEGER NOT NULL REFERENCES lodes_datasets(id) ON DELETE CASCADE,
    w_county   TEXT    NOT NULL,
    h_county   TEXT    NOT NULL,
    s000       INTEGER NOT NULL,
    sa01       INTEGER NOT NULL,
    sa02       INTEGER NOT NULL,
    sa03       INTEGER NOT NULL,
    se01       INTEGER NOT NULL,
    se02       INTEGER NOT NULL,
    se03       INTEGER NOT NULL,
    si01       INTEGER NOT NULL,
    si02       INTEGER NOT NULL,
    si03       INTEGER NOT NULL,
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
