-- Alignment with public plans and data-sharing agreements (issue 9 part 9). A plan link names a
-- plan of the reference catalog by code (the catalog ships with the binary), the year it was
-- last adopted, and optionally the priority it carries. Agreements are archived, not deleted.
CREATE TABLE plan_links (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partnership_id    BIGINT NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    plan_code         TEXT    NOT NULL,
    jurisdiction      TEXT    NOT NULL DEFAULT '',   -- whose plan: "Ohio", "MORPC region" …
    last_adopted_year BIGINT,
    priority_id       BIGINT REFERENCES priorities(id) ON DELETE SET NULL,
    how               TEXT    NOT NULL DEFAULT '',   -- how workforce is to be built into it
    archived_at       BIGINT,
    created_by        BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at        BIGINT NOT NULL
);
CREATE INDEX plan_links_partnership ON plan_links(partnership_id);

CREATE TABLE data_agreements (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    title          TEXT    NOT NULL,
    parties        TEXT    NOT NULL,
    data_covered   TEXT    NOT NULL DEFAULT '',
    purpose        TEXT    NOT NULL DEFAULT '',
    legal_basis    TEXT    NOT NULL DEFAULT '',
    starts_on      TEXT,
    ends_on        TEXT,
    status         TEXT    NOT NULL,                  -- draft, active, ended
    archived_at    BIGINT,
    created_by     BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at     BIGINT NOT NULL
);
CREATE INDEX data_agreements_partnership ON data_agreements(partnership_id);
