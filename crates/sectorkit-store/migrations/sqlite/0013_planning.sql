-- Planning (issue 9 parts 1–2): industry issues with their evidence (references to records and
-- table rows, never copies), prioritization rounds with one ballot per member, and the
-- priorities kept (pick and stick: retired with a reason, never deleted).
CREATE TABLE industry_issues (
    id             INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    title          TEXT    NOT NULL,
    statement      TEXT    NOT NULL DEFAULT '',
    industry_code  TEXT    NOT NULL DEFAULT '',
    root_causes    TEXT    NOT NULL DEFAULT '',   -- the why-chain, one "why" per line
    impact         TEXT    NOT NULL DEFAULT '',
    strategies     TEXT    NOT NULL DEFAULT '',   -- comma list of strategy category codes
    archived_at    INTEGER,
    created_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
);
CREATE INDEX industry_issues_partnership ON industry_issues(partnership_id);

CREATE TABLE issue_evidence (
    id             INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    issue_id       INTEGER NOT NULL REFERENCES industry_issues(id) ON DELETE CASCADE,
    kind           TEXT    NOT NULL,               -- finding, industry, occupation, note
    finding_id     INTEGER REFERENCES voice_findings(id) ON DELETE SET NULL,
    region_id      INTEGER REFERENCES regions(id) ON DELETE SET NULL,
    code           TEXT    NOT NULL DEFAULT '',    -- NAICS (industry) or SOC (occupation)
    note           TEXT    NOT NULL DEFAULT '',
    created_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at     INTEGER NOT NULL
);
CREATE INDEX issue_evidence_issue ON issue_evidence(issue_id);

CREATE TABLE priority_rounds (
    id             INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    title          TEXT    NOT NULL,
    method         TEXT    NOT NULL,               -- dots, ranking
    dots           INTEGER NOT NULL DEFAULT 0,     -- dots per voter (dot voting)
    status         TEXT    NOT NULL DEFAULT 'open', -- open, closed
    created_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at     INTEGER NOT NULL,
    closed_at      INTEGER
);
CREATE INDEX priority_rounds_partnership ON priority_rounds(partnership_id);

CREATE TABLE round_issues (
    round_id INTEGER NOT NULL REFERENCES priority_rounds(id) ON DELETE CASCADE,
    issue_id INTEGER NOT NULL REFERENCES industry_issues(id) ON DELETE CASCADE,
    PRIMARY KEY (round_id, issue_id)
);

CREATE TABLE round_votes (
    round_id INTEGER NOT NULL REFERENCES priority_rounds(id) ON DELETE CASCADE,
    user_id  INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    issue_id INTEGER NOT NULL REFERENCES industry_issues(id) ON DELETE CASCADE,
    mark     INTEGER NOT NULL,   -- dots given, or the rank
    points   INTEGER NOT NULL,   -- dots, or Borda points
    category TEXT    NOT NULL,   -- the partner category the member voted as
    voted_at INTEGER NOT NULL,
    PRIMARY KEY (round_id, user_id, issue_id)
);

CREATE TABLE priorities (
    id              INTEGER PRIMARY KEY,
    partnership_id  INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    issue_id        INTEGER NOT NULL REFERENCES industry_issues(id) ON DELETE CASCADE,
    round_id        INTEGER REFERENCES priority_rounds(id) ON DELETE SET NULL,
    status          TEXT    NOT NULL DEFAULT 'active',  -- active, retired
    override_reason TEXT    NOT NULL DEFAULT '',
    confirmed_by    INTEGER REFERENCES users(id) ON DELETE SET NULL,
    confirmed_at    INTEGER NOT NULL,
    retired_reason  TEXT    NOT NULL DEFAULT '',
    retired_at      INTEGER
);
CREATE INDEX priorities_partnership ON priorities(partnership_id, status);
