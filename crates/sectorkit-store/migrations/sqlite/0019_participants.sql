-- Participant outcomes (issue 10 part 2). Participant ids are never stored: `pkey` is the
-- HMAC-SHA256 of the provider's id under the partnership's own key (`partnership_keys`), so a
-- re-import matches the same person and nobody without the key can test a guessed id. Dates of
-- birth are reduced to an age band before they reach this table. An import is one transaction:
-- its `participant_imports` row and every upserted participant, or nothing.
CREATE TABLE partnership_keys (
    partnership_id INTEGER PRIMARY KEY REFERENCES partnerships(id) ON DELETE CASCADE,
    hmac_key       BLOB    NOT NULL,
    created_at     INTEGER NOT NULL
);

CREATE TABLE participant_mappings (
    partnership_id INTEGER PRIMARY KEY REFERENCES partnerships(id) ON DELETE CASCADE,
    mapping        TEXT    NOT NULL,                 -- JSON [[field, column], …]
    updated_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    updated_at     INTEGER NOT NULL
);

-- A file waiting for its column mapping to be confirmed; removed on import, and after a day.
CREATE TABLE participant_uploads (
    id             INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    file_name      TEXT    NOT NULL,
    data           BLOB    NOT NULL,
    uploaded_by    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    uploaded_at    INTEGER NOT NULL
);
CREATE INDEX participant_uploads_partnership ON participant_uploads(partnership_id);

CREATE TABLE participant_imports (
    id             INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    file_name      TEXT    NOT NULL,
    sha256         TEXT    NOT NULL,
    rows_read      INTEGER NOT NULL,
    created        INTEGER NOT NULL,
    updated        INTEGER NOT NULL,
    imported_by    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    imported_at    INTEGER NOT NULL
);
CREATE INDEX participant_imports_partnership ON participant_imports(partnership_id);

CREATE TABLE participants (
    id                     INTEGER PRIMARY KEY,
    partnership_id         INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    pkey                   TEXT    NOT NULL,
    program                TEXT    NOT NULL,
    import_id              INTEGER REFERENCES participant_imports(id) ON DELETE SET NULL,
    enrolled_on            TEXT,
    exited_on              TEXT,
    is_excluded            INTEGER NOT NULL DEFAULT 0,
    in_training            INTEGER NOT NULL DEFAULT 0,
    completed              INTEGER,
    credential             TEXT,
    credential_on          TEXT,
    postsecondary_enrolled INTEGER,
    skill_gain             INTEGER,
    employed_q2            INTEGER,
    earnings_q2            REAL,
    employer_q2            TEXT,
    employed_q4            INTEGER,
    earnings_q4            REAL,
    employer_q4            TEXT,
    same_employer          INTEGER,
    hourly_wage            REAL,
    hours                  REAL,
    wage_before            REAL,
    benefits               INTEGER,
    bargaining             INTEGER,
    county                 TEXT,
    sex                    TEXT,
    race_ethnicity         TEXT,
    age_band               TEXT,
    veteran                INTEGER,
    disability             INTEGER,
    low_income             INTEGER,
    justice_involved       INTEGER,
    english_learner        INTEGER,
    UNIQUE (partnership_id, pkey, program)
);
