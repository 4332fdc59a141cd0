-- Web push (issue 20): the browser subscription a citizen made on a dossier's status page (the
-- latest one: one phone per dossier), and keys the server makes once and every app server
-- shares (the VAPID key pair, PKCS#8 in base64).
CREATE TABLE push_subscriptions (
    dossier_code TEXT PRIMARY KEY REFERENCES dossiers (code),
    endpoint TEXT NOT NULL,
    p256dh TEXT NOT NULL,
    auth TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE server_keys (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
