-- The plan on a page, the logic model and the action plan (issue 9 parts 3–4). Key actions are
-- the action items of 0010 — one list with the meetings' items — given a strategy, an owning
-- organization (when no contact owns them), a quarter, the budget line that pays for them and
-- their dependencies. Strategies, milestones and logic-model elements are archived, not deleted.
CREATE TABLE plan_pages (
    partnership_id INTEGER PRIMARY KEY REFERENCES partnerships(id) ON DELETE CASCADE,
    vision         TEXT    NOT NULL DEFAULT '',
    impact         TEXT    NOT NULL DEFAULT '',   -- the long-term impact the plan leads to
    updated_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    updated_at     INTEGER NOT NULL
);

CREATE TABLE strategies (
    id             INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    priority_id    INTEGER NOT NULL REFERENCES priorities(id) ON DELETE CASCADE,
    title          TEXT    NOT NULL,
    archived_at    INTEGER,
    created_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at     INTEGER NOT NULL
);
CREATE INDEX strategies_partnership ON strategies(partnership_id);

ALTER TABLE action_items ADD COLUMN strategy_id INTEGER REFERENCES strategies(id) ON DELETE SET NULL;
ALTER TABLE action_items ADD COLUMN organization_id INTEGER REFERENCES organizations(id) ON DELETE SET NULL;
ALTER TABLE action_items ADD COLUMN quarter TEXT;   -- 2027Q1
ALTER TABLE action_items ADD COLUMN budget_line_id INTEGER REFERENCES budget_lines(id) ON DELETE SET NULL;

CREATE TABLE action_dependencies (
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    action_id      INTEGER NOT NULL REFERENCES action_items(id) ON DELETE CASCADE,
    depends_on_id  INTEGER NOT NULL REFERENCES action_items(id) ON DELETE CASCADE,
    PRIMARY KEY (action_id, depends_on_id)
);
CREATE INDEX action_dependencies_partnership ON action_dependencies(partnership_id);

CREATE TABLE milestones (
    id             INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    priority_id    INTEGER REFERENCES priorities(id) ON DELETE SET NULL,
    title          TEXT    NOT NULL,
    quarter        TEXT    NOT NULL,
    done           INTEGER NOT NULL DEFAULT 0,
    archived_at    INTEGER,
    created_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at     INTEGER NOT NULL
);
CREATE INDEX milestones_partnership ON milestones(partnership_id);

CREATE TABLE logic_elements (
    id             INTEGER PRIMARY KEY,
    partnership_id INTEGER NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    priority_id    INTEGER REFERENCES priorities(id) ON DELETE SET NULL,
    kind           TEXT    NOT NULL,   -- input, activity, output, short_term, medium_term, long_term, impact
    text           TEXT    NOT NULL,
    archived_at    INTEGER,
    created_by     INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at     INTEGER NOT NULL
);
CREATE INDEX logic_elements_partnership ON logic_elements(partnership_id);
