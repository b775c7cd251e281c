-- Accounts, partnerships (the tenant), memberships, sessions, invitations, login throttling.
-- Timestamps are Unix seconds (INTEGER) on both backends so the storage code is shared.
CREATE TABLE users (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email         TEXT    NOT NULL UNIQUE,
    name          TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    is_admin      BOOLEAN NOT NULL DEFAULT FALSE,
    created_at    BIGINT  NOT NULL
);

CREATE TABLE partnerships (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL DEFAULT '',
    created_by  BIGINT  REFERENCES users(id) ON DELETE SET NULL,
    created_at  BIGINT  NOT NULL
);

CREATE TABLE memberships (
    partnership_id BIGINT  NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    user_id        BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role           TEXT    NOT NULL CHECK (role IN ('owner', 'staff', 'partner', 'viewer')),
    created_at     BIGINT  NOT NULL,
    PRIMARY KEY (partnership_id, user_id)
);
CREATE INDEX memberships_user ON memberships(user_id);

CREATE TABLE sessions (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash   TEXT    NOT NULL UNIQUE,
    user_id      BIGINT  NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token   TEXT    NOT NULL,
    created_at   BIGINT  NOT NULL,
    expires_at   BIGINT  NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE invitations (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    partnership_id BIGINT  NOT NULL REFERENCES partnerships(id) ON DELETE CASCADE,
    email          TEXT    NOT NULL,
    role           TEXT    NOT NULL CHECK (role IN ('owner', 'staff', 'partner', 'viewer')),
    token_hash     TEXT    NOT NULL UNIQUE,
    invited_by     BIGINT  REFERENCES users(id) ON DELETE SET NULL,
    created_at     BIGINT  NOT NULL,
    expires_at     BIGINT  NOT NULL,
    accepted_at    BIGINT,
    accepted_by    BIGINT  REFERENCES users(id) ON DELETE SET NULL,
    revoked_at     BIGINT
);
CREATE INDEX invitations_partnership ON invitations(partnership_id);

CREATE TABLE login_failures (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_key TEXT    NOT NULL,
    ip          TEXT    NOT NULL,
    at          BIGINT  NOT NULL
);
CREATE INDEX login_failures_account ON login_failures(account_key, at);
CREATE INDEX login_failures_ip ON login_failures(ip, at);
