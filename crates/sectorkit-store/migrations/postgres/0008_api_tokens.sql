-- API tokens (issue 7, part 5): created by a member for one partnership and a role no higher than
-- theirs; the database keeps only the SHA-256 of the token. A token works while it is not revoked,
-- not expired, and its user is still a member; its effective role is the lower of its own role and
-- the user's current role.
CREATE TABLE api_tokens (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partnership_id BIGINT  NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    user_id        BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name           TEXT    NOT NULL,
    role           TEXT    NOT NULL CHECK (role IN ('owner', 'staff', 'partner', 'viewer')),
    token_hash     TEXT    NOT NULL UNIQUE,
    prefix         TEXT    NOT NULL,   -- the token's first characters, shown in lists
    created_at     BIGINT  NOT NULL,
    expires_at     BIGINT,             -- NULL: does not expire
    last_used_at   BIGINT,
    revoked_at     BIGINT
);
CREATE INDEX api_tokens_partnership ON api_tokens(partnership_id);
