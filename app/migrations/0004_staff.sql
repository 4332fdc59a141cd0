-- Staff of the center (issue 5): accounts, sessions, and an audit trail that cannot be edited.

CREATE TABLE staff_users (
    username TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    -- Argon2id in the PHC string format; no password is ever stored.
    password_hash TEXT NOT NULL,
    active BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

-- A signed-in browser. The cookie holds a random token; only its SHA-256 is stored, with the
-- session's CSRF token for its forms.
CREATE TABLE staff_sessions (
    token_hash TEXT PRIMARY KEY,
    username TEXT NOT NULL REFERENCES staff_users (username),
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX staff_sessions_expires_at ON staff_sessions (expires_at);

-- Status events are the audit trail: never changed, never removed.
-- dialect sqlite
CREATE TRIGGER dossier_events_never_updated BEFORE UPDATE ON dossier_events
BEGIN
    SELECT RAISE(ABORT, 'audit entries are never changed');
END;
CREATE TRIGGER dossier_events_never_deleted BEFORE DELETE ON dossier_events
BEGIN
    SELECT RAISE(ABORT, 'audit entries are never removed');
END;
-- dialect postgres
CREATE FUNCTION dossier_events_are_final() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit entries are never changed or removed';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER dossier_events_never_changed BEFORE UPDATE OR DELETE ON dossier_events
    FOR EACH ROW EXECUTE FUNCTION dossier_events_are_final();
-- dialect end
