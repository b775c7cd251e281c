-- Participant outcomes (issue 10 part 2). Participant ids are never stored: `pkey` is the
-- HMAC-SHA256 of the provider's id under the partnership's own key (`partnership_keys`), so a
-- re-import matches the same person and nobody without the key can test a guessed id. Dates of
-- birth are reduced to an age band before they reach this table. An import is one transaction:
-- its `participant_imports` row and every upserted participant, or nothing.
CREATE TABLE partnership_keys (
    partnership_id BIGINT PRIMARY KEY REFERENCES partnerships(id) ON DELETE CASCADE,
    hmac_key       BYTEA    NOT NULL,
    created_at     BIGINT NOT NULL
);

CREATE TABLE participant_mappings (
    partnership_id BIGINT PRIMARY KEY REFERENCES partnerships(id) ON DELETE CASCADE,
    mapping        TEXT    NOT NULL,                 -- JSON [[field, column], …]
    updated_by     BIGINT REFERENCES users(id) ON DELETE SET NULL,
    updated_at     BIGINT NOT NULL
);

-- A file waiting for its column mapping to be confirmed; removed on import, and after a day.
CREATE TABLE participant_uploads (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    file_name      TEXT    NOT NULL,
    data           BYTEA    NOT NULL,
    uploaded_by    BIGINT REFERENCES users(id) ON DELETE SET NULL,
    uploaded_at    BIGINT NOT NULL
);
CREATE INDEX participant_uploads_partnership ON participant_uploads(partnership_id);

CREATE TABLE participant_imports (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    file_name      TEXT    NOT NULL,
    sha256         TEXT    NOT NULL,
    rows_read      BIGINT NOT NULL,
    created        BIGINT NOT NULL,
    updated        BIGINT NOT NULL,
    imported_by    BIGINT REFERENCES users(id) ON DELETE SET NULL,
    imported_at    BIGINT NOT NULL
);
CREATE INDEX participant_imports_partnership ON participant_imports(partnership_id);

CREATE TABLE participants (
    id                     BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partnership_id         BIGINT NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    pkey                   TEXT    NOT NULL,
    program                TEXT    NOT NULL,
    import_id              BIGINT REFERENCES participant_imports(id) ON DELETE SET NULL,
    enrolled_on            TEXT,
    exited_on              TEXT,
    is_excluded            BOOLEAN NOT NULL DEFAULT FALSE,
    in_training            BOOLEAN NOT NULL DEFAULT FALSE,
    completed              BOOLEAN,
    credential             TEXT,
    credential_on          TEXT,
    postsecondary_enrolled BOOLEAN,
    skill_gain             BOOLEAN,
    employed_q2            BOOLEAN,
    earnings_q2            DOUBLE PRECISION,
    employer_q2            TEXT,
    employed_q4            BOOLEAN,
    earnings_q4            DOUBLE PRECISION,
    employer_q4            TEXT,
    same_employer          BOOLEAN,
    hourly_wage            DOUBLE PRECISION,
    hours                  DOUBLE PRECISION,
    wage_before            DOUBLE PRECISION,
    benefits               BOOLEAN,
    bargaining             BOOLEAN,
    county                 TEXT,
    sex                    TEXT,
    race_ethnicity         TEXT,
    age_band               TEXT,
    veteran                BOOLEAN,
    disability             BOOLEAN,
    low_income             BOOLEAN,
    justice_involved       BOOLEAN,
    english_learner        BOOLEAN,
    UNIQUE (partnership_id, pkey, program)
);
