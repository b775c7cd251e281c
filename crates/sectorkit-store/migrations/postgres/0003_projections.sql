-- Industry employment projections (state or sub-state), imported from sectorkit's CSV template.
-- Public reference data like QCEW: shared, not a tenant record.
CREATE TABLE projection_sets (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    file_name     TEXT    NOT NULL,
    sha256        TEXT    NOT NULL UNIQUE,
    rows_read     BIGINT NOT NULL,
    not_published BIGINT NOT NULL,
    source        TEXT    NOT NULL DEFAULT '',
    imported_at   BIGINT NOT NULL
);

CREATE TABLE industry_projections (
    set_id               BIGINT NOT NULL REFERENCES projection_sets(id) ON DELETE CASCADE,
    area_code            TEXT    NOT NULL,
    area_name            TEXT    NOT NULL,
    industry_code        TEXT    NOT NULL,
    base_year            BIGINT NOT NULL,
    base_employment      DOUBLE PRECISION    NOT NULL,
    projected_year       BIGINT NOT NULL,
    projected_employment DOUBLE PRECISION    NOT NULL,
    PRIMARY KEY (set_id, area_code, industry_code)
);
CREATE INDEX industry_projections_area ON industry_projections(area_code);
