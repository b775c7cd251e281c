-- Convening (issue 8): meetings with attendance and action items, the employer outreach ledger,
-- employer-voice findings, and per-partnership settings (composition and red-flag thresholds).
-- Every row carries its partnership_id. Days are TEXT 'YYYY-MM-DD' (they sort as text).
-- Agenda items and decisions are one per line in TEXT columns: they are read and edited as a
-- list on one page and never queried one by one.
CREATE TABLE meetings (
    id             INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    kind           TEXT    NOT NULL,
    title          TEXT    NOT NULL,
    held_on        TEXT    NOT NULL,
    location       TEXT    NOT NULL DEFAULT '',
    agenda         TEXT    NOT NULL DEFAULT '',
    notes          TEXT    NOT NULL DEFAULT '',
    decisions      TEXT    NOT NULL DEFAULT '',
    archived_at    INTEGER,
    created_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX meetings_partnership ON meetings(partnership_id, held_on);

CREATE TABLE meeting_attendance (
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    meeting_id     INTEGER NOT NULL REFERENCES meetings(id) ON DELETE CASCADE,
    contact_id     INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
    status         TEXT    NOT NULL,   -- invited, attended, delegate
    PRIMARY KEY (meeting_id, contact_id)
);
CREATE INDEX meeting_attendance_partnership ON meeting_attendance(partnership_id);

CREATE TABLE action_items (
    id               INTEGER PRIMARY KEY,
    partnership_id   INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    meeting_id       INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
    text             TEXT    NOT NULL,
    owner_contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    due_on           TEXT,
    status           TEXT    NOT NULL DEFAULT 'open',   -- open, done, dropped
    created_at       INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL
);
CREATE INDEX action_items_partnership ON action_items(partnership_id);

CREATE TABLE outreach_touches (
    id               INTEGER PRIMARY KEY,
    partnership_id   INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    employer_id      INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    employer_contact_id INTEGER REFERENCES contacts(id) ON DELETE SET NULL,
    by_organization_id  INTEGER REFERENCES organizations(id) ON DELETE SET NULL,
    by_name          TEXT    NOT NULL DEFAULT '',
    touched_on       TEXT    NOT NULL,
    channel          TEXT    NOT NULL,
    purpose          TEXT    NOT NULL,
    outcome          TEXT    NOT NULL DEFAULT '',
    next_step        TEXT    NOT NULL DEFAULT '',
    created_by       INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at       INTEGER NOT NULL
);
CREATE INDEX outreach_touches_employer ON outreach_touches(partnership_id, employer_id, touched_on);

CREATE TABLE voice_findings (
    id             INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    statement      TEXT    NOT NULL,
    kind           TEXT    NOT NULL,   -- hiring_difficulty, turnover, skills_gap, retirements, hr_capacity, other
    industry_code  TEXT    NOT NULL DEFAULT '',
    occupations    TEXT    NOT NULL DEFAULT '',   -- comma list of SOC codes
    employers      INTEGER NOT NULL DEFAULT 1,    -- how many employers voiced it
    meeting_id     INTEGER REFERENCES meetings(id) ON DELETE SET NULL,
    touch_id       INTEGER REFERENCES outreach_touches(id) ON DELETE SET NULL,
    archived_at    INTEGER,
    created_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at     INTEGER NOT NULL
);
CREATE INDEX voice_findings_partnership ON voice_findings(partnership_id);

CREATE TABLE partnership_settings (
    partnership_id INTEGER PRIMARY KEY REFERENCES partnerships(id) ON DELETE CASCADE,
    settings       TEXT    NOT NULL   -- JSON: {"min_target_employers": 5, "health": {...}}
);
