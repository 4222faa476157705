-- The owner's browser sessions: one row per login (POST /api/session). The cookie carries a random
-- 256-bit id; only its SHA-256 (hex) is stored here, so reading this table opens no session.
-- Logout (DELETE /api/session) deletes the row; expired rows are deleted at the next login.
CREATE TABLE owner_session (
    id_hash    CHAR(64)    PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

CREATE INDEX owner_session_expires_at ON owner_session (expires_at);
