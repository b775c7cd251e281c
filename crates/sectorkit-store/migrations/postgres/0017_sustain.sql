-- Marketing and communication, products and capacity, lessons learned (issue 9 parts 5–7).
-- Codes (chapter, audience, channel, product, status, role) are the closed lists of
-- sectorkit_core::sustain; FTE in hundredths. Records are archived, not deleted.
CREATE TABLE lessons (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    learned_on     TEXT    NOT NULL,
    chapter        TEXT    NOT NULL,
    worked         TEXT    NOT NULL DEFAULT '',
    did_not        TEXT    NOT NULL DEFAULT '',
    why            TEXT    NOT NULL DEFAULT '',
    what_changes   TEXT    NOT NULL DEFAULT '',
    archived_at    BIGINT,
    created_by     BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at     BIGINT NOT NULL
);
CREATE INDEX lessons_partnership ON lessons(partnership_id, learned_on);

CREATE TABLE key_messages (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    audience       TEXT    NOT NULL,
    message        TEXT    NOT NULL,
    archived_at    BIGINT,
    created_by     BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at     BIGINT NOT NULL
);
CREATE INDEX key_messages_partnership ON key_messages(partnership_id);

CREATE TABLE comms_items (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    title          TEXT    NOT NULL,
    audience       TEXT    NOT NULL,
    channel        TEXT    NOT NULL,
    product        TEXT    NOT NULL,
    planned_on     TEXT,
    status         TEXT    NOT NULL DEFAULT 'planned',   -- planned, draft, done
    body           TEXT    NOT NULL DEFAULT '',
    archived_at    BIGINT,
    created_by     BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at     BIGINT NOT NULL
);
CREATE INDEX comms_items_partnership ON comms_items(partnership_id);

CREATE TABLE products (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    title          TEXT    NOT NULL,
    description    TEXT    NOT NULL DEFAULT '',
    stage          TEXT    NOT NULL,                   -- early, mid
    status         TEXT    NOT NULL,
    archived_at    BIGINT,
    created_by     BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at     BIGINT NOT NULL
);
CREATE INDEX products_partnership ON products(partnership_id);

CREATE TABLE product_outcomes (
    partnership_id   BIGINT NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    product_id       BIGINT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
    logic_element_id BIGINT NOT NULL REFERENCES logic_elements(id) ON DELETE CASCADE,
    PRIMARY KEY (product_id, logic_element_id)
);

CREATE TABLE capacity_roles (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    role           TEXT    NOT NULL,
    title          TEXT    NOT NULL DEFAULT '',
    filled_by      TEXT    NOT NULL DEFAULT '',         -- a person or organization, in words
    fte_needed     BIGINT NOT NULL CHECK (fte_needed >= 0),
    fte_filled     BIGINT NOT NULL CHECK (fte_filled >= 0),
    notes          TEXT    NOT NULL DEFAULT '',
    archived_at    BIGINT,
    created_by     BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at     BIGINT NOT NULL
);
CREATE INDEX capacity_roles_partnership ON capacity_roles(partnership_id);
