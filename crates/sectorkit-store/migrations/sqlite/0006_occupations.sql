-- Occupation reference data (BLS OEWS, BLS Employment Projections, O*NET): public, shared by
-- all partnerships, like QCEW. And each partnership's living-wage table (a tenant record).

CREATE TABLE occ_datasets (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL,          -- 'oews' | 'ep' | 'onet'
    file_name   TEXT    NOT NULL,
    sha256      TEXT    NOT NULL UNIQUE,
    rows_read   INTEGER NOT NULL,
    items       INTEGER NOT NULL,          -- OEWS tables or occupations stored
    source      TEXT    NOT NULL DEFAULT '',
    imported_at INTEGER NOT NULL
);

-- One OEWS table: the occupations of one (area, industry). OEWS is always read a whole table
-- at a time (an industry's national staffing pattern, an area's cross-industry wages), never
-- cell by cell, so the occupations are one JSON document. A newer file replaces the table.
CREATE TABLE oews_tables (
    area_code      TEXT    NOT NULL,       -- '0000000' national, '3900000' Ohio, '0018140' MSA
    industry_code  TEXT    NOT NULL,       -- '000000' cross-industry, '336100', '31--34', ...
    dataset_id     INTEGER NOT NULL REFERENCES occ_datasets(id),
    area_title     TEXT    NOT NULL,
    area_type      TEXT    NOT NULL,       -- N, S, M
    industry_title TEXT    NOT NULL,
    industry_level INTEGER NOT NULL,
    occupations    INTEGER NOT NULL,
    body           TEXT    NOT NULL,       -- JSON array of occupation rows
    PRIMARY KEY (area_code, industry_code)
);

-- Per-occupation facts keyed by SOC code: 'ep' (projections, openings, education, experience,
-- training) and 'onet' (job zone). JSON bodies; a newer file replaces the occupation's entry.
CREATE TABLE occ_facts (
    kind       TEXT    NOT NULL,
    soc_code   TEXT    NOT NULL,
    dataset_id INTEGER NOT NULL REFERENCES occ_datasets(id),
    title      TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    PRIMARY KEY (kind, soc_code)
);

-- A partnership's living-wage table (MIT-style: hourly wage by county and family type).
CREATE TABLE living_wages (
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    county_fips    TEXT    NOT NULL,
    family_type    TEXT    NOT NULL,
    hourly         REAL    NOT NULL,
    vintage        TEXT    NOT NULL,
    source         TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (partnership_id, county_fips, family_type)
);
