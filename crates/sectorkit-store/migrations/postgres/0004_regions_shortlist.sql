-- Partnership (tenant) records of the Region & industries section: saved regions and the
-- shortlist of target industries, with comments. Every row carries its partnership_id.
CREATE TABLE regions (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    name           TEXT    NOT NULL,
    codes          TEXT    NOT NULL,   -- as entered: "C1814", "39049,39041", "cbsa:18140"
    counties       TEXT    NOT NULL,   -- resolved member counties, comma list
    is_primary     BOOLEAN NOT NULL DEFAULT FALSE,
    created_by     BIGINT REFERENCES users(id) ON DELETE SET NULL,
    created_at     BIGINT NOT NULL,
    UNIQUE (partnership_id, name)
);
CREATE INDEX regions_partnership ON regions(partnership_id);

CREATE TABLE shortlist (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    industry_code  TEXT    NOT NULL,
    industry_title TEXT    NOT NULL,
    own_code       BIGINT NOT NULL,
    region_name    TEXT    NOT NULL,
    period         TEXT    NOT NULL,
    note           TEXT    NOT NULL DEFAULT '',
    snapshot       TEXT    NOT NULL,   -- JSON: the figures it was chosen on and the data vintage
    added_by       BIGINT REFERENCES users(id) ON DELETE SET NULL,
    added_at       BIGINT NOT NULL,
    UNIQUE (partnership_id, industry_code, own_code)
);
CREATE INDEX shortlist_partnership ON shortlist(partnership_id);

CREATE TABLE shortlist_comments (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partnership_id BIGINT NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    shortlist_id   BIGINT NOT NULL REFERENCES shortlist(id) ON DELETE CASCADE,
    user_id        BIGINT REFERENCES users(id) ON DELETE SET NULL,
    body           TEXT    NOT NULL,
    created_at     BIGINT NOT NULL
);
CREATE INDEX shortlist_comments_item ON shortlist_comments(shortlist_id);
