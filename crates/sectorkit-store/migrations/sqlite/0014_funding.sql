-- Funding (issue 9 part 8): the partnership's funding streams, partners' commitments, budget
-- lines by phase, and allocations (which stream pays how much of which line). Amounts are
-- whole cents, never negative (checked by the application and here).
CREATE TABLE funding_streams (
    id             INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    name           TEXT    NOT NULL,
    kind           TEXT    NOT NULL,               -- federal, state, local, philanthropy, employer, in_kind
    catalog_code   TEXT    NOT NULL DEFAULT '',    -- the reference catalog entry it is an instance of
    available      INTEGER NOT NULL CHECK (available >= 0),
    starts_on      TEXT,
    ends_on        TEXT,
    notes          TEXT    NOT NULL DEFAULT '',
    archived_at    INTEGER,
    created_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at     INTEGER NOT NULL
);
CREATE INDEX funding_streams_partnership ON funding_streams(partnership_id);

CREATE TABLE budget_lines (
    id             INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    phase          TEXT    NOT NULL,               -- planning, launch, implementation, sustaining
    name           TEXT    NOT NULL,
    amount         INTEGER NOT NULL CHECK (amount >= 0),
    archived_at    INTEGER,
    created_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at     INTEGER NOT NULL
);
CREATE INDEX budget_lines_partnership ON budget_lines(partnership_id);

CREATE TABLE allocations (
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    line_id        INTEGER NOT NULL REFERENCES budget_lines(id) ON DELETE CASCADE,
    stream_id      INTEGER NOT NULL REFERENCES funding_streams(id) ON DELETE CASCADE,
    amount         INTEGER NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (line_id, stream_id)
);

CREATE TABLE commitments (
    id              INTEGER PRIMARY KEY,
    partnership_id  INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    stream_id       INTEGER REFERENCES funding_streams(id) ON DELETE SET NULL,
    kind            TEXT    NOT NULL,              -- cash, in_kind
    amount          INTEGER NOT NULL CHECK (amount >= 0),
    status          TEXT    NOT NULL,              -- pledged, committed, received
    starts_on       TEXT,
    ends_on         TEXT,
    notes           TEXT    NOT NULL DEFAULT '',
    created_by      INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at      INTEGER NOT NULL
);
CREATE INDEX commitments_partnership ON commitments(partnership_id);
