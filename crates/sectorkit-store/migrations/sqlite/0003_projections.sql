-- Industry employment projections (state or sub-state), imported from sectorkit's CSV template.
-- Public reference data like QCEW: shared, not a tenant record.
CREATE TABLE projection_sets (
    id            INTEGER PRIMARY KEY,
    file_name     TEXT    NOT NULL,
    sha256        TEXT    NOT NULL UNIQUE,
    rows_read     INTEGER NOT NULL,
    not_published INTEGER NOT NULL,
    source        TEXT    NOT NULL DEFAULT '',
    imported_at   INTEGER NOT NULL
);

CREATE TABLE industry_projections (
    set_id               INTEGER NOT NULL REFERENCES projection_sets(id) ON DELETE CASCADE,
    area_code            TEXT    NOT NULL,
    area_name            TEXT    NOT NULL,
    industry_code        TEXT    NOT NULL,
    base_year            INTEGER NOT NULL,
    base_employment      REAL    NOT NULL,
    projected_year       INTEGER NOT NULL,
    projected_employment REAL    NOT NULL,
    PRIMARY KEY (set_id, area_code, industry_code)
);
CREATE INDEX industry_projections_area ON industry_projections(area_code);
