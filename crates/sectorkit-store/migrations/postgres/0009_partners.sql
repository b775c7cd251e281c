-- Partners (issue 8): organizations and their contacts, and the audit trail of every change to a
-- partnership's records. All tenant records: every row carries its partnership_id. Archiving
-- (archived_at) replaces deletion for records with history.
CREATE TABLE organizations (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partnership_id     BIGINT  NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    name               TEXT    NOT NULL,
    name_key           TEXT    NOT NULL,   -- normalized name: duplicate detection with county_key
    county_key         TEXT    NOT NULL DEFAULT '',   -- 5-digit county FIPS, '' when unknown
    category           TEXT    NOT NULL,
    naics              TEXT,               -- employers: NAICS code, any level
    size_band          TEXT,               -- employers: 1-49, 50-249, 250-999, 1000+
    website            TEXT    NOT NULL DEFAULT '',
    notes              TEXT    NOT NULL DEFAULT '',
    is_intermediary    BOOLEAN NOT NULL DEFAULT FALSE,
    intermediary_roles TEXT    NOT NULL DEFAULT '',   -- comma list: convening,data,coordination,fiscal_agent
    archived_at        BIGINT,
    created_by         BIGINT  REFERENCES users(id) ON DELETE SET NULL,
    created_at         BIGINT  NOT NULL,
    updated_at         BIGINT  NOT NULL,
    UNIQUE (partnership_id, name_key, county_key)
);
CREATE INDEX organizations_partnership ON organizations(partnership_id);

CREATE TABLE contacts (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partnership_id  BIGINT  NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    organization_id BIGINT  NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    name            TEXT    NOT NULL,
    title           TEXT    NOT NULL DEFAULT '',
    level           TEXT,               -- executive, hr, front_line_manager, worker, other
    email           TEXT    NOT NULL DEFAULT '',
    phone           TEXT    NOT NULL DEFAULT '',
    influence       TEXT,               -- doer, naysayer, politico
    resource        BOOLEAN NOT NULL DEFAULT FALSE,   -- a data or subject expert
    decision_maker  BOOLEAN NOT NULL DEFAULT FALSE,   -- decides, or has a decision-maker's ear
    champion        BOOLEAN NOT NULL DEFAULT FALSE,
    user_id         BIGINT  REFERENCES users(id) ON DELETE SET NULL,   -- the member this contact is
    archived_at     BIGINT,
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL
);
CREATE INDEX contacts_partnership ON contacts(partnership_id);
CREATE INDEX contacts_organization ON contacts(organization_id);

CREATE TABLE audit_log (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partnership_id BIGINT  NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    user_id        BIGINT  REFERENCES users(id) ON DELETE SET NULL,
    at             BIGINT  NOT NULL,
    entity         TEXT    NOT NULL,   -- organization, contact, …
    entity_id      BIGINT  NOT NULL,
    action         TEXT    NOT NULL,   -- create, update, archive, restore, import
    detail         TEXT    NOT NULL    -- JSON: the changed fields, {"field": [old, new]}
);
CREATE INDEX audit_log_partnership ON audit_log(partnership_id, at);
