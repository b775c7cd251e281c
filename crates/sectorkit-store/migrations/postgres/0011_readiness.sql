-- Readiness self-assessments (issue 8 part 3): one row per assessment taken; the answers are
-- JSON {"item key": {"score": 1-4, "evidence": "..."}}, read and shown whole.
CREATE TABLE readiness_assessments (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partnership_id BIGINT  NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    taken_on       TEXT    NOT NULL,
    answers        TEXT    NOT NULL,
    created_by     BIGINT  REFERENCES users(id) ON DELETE SET NULL,
    created_at     BIGINT  NOT NULL
);
CREATE INDEX readiness_partnership ON readiness_assessments(partnership_id, taken_on);
