-- Zalo ZNS (issue 20): the Official Account's access token and the refresh token that renews
-- it. Zalo takes each refresh token once and answers with the next, so the pair lives here,
-- shared by every app server, and only the server that marks the row `refreshing_until` may
-- spend it; `version` moves with each renewal so that a late writer changes nothing.
-- `configured_hash` is the SHA-256 of the refresh token given in configuration: a new one given
-- there (the OA re-authorised the app) replaces the stored chain.
CREATE TABLE provider_tokens (
    provider TEXT PRIMARY KEY,
    access_token TEXT NOT NULL,
    refresh_token TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    refreshing_until BIGINT NOT NULL,
    version BIGINT NOT NULL,
    configured_hash TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
