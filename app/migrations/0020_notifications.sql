-- Notifications (issue 20): how each citizen asked to be told, and the outbox of messages.

-- `notify_channel` is `domain::notifications::Channel::key` ('none' for dossiers filed before
-- the choice existed); `language` is the citizen's language when filing, which messages use.
ALTER TABLE dossiers ADD COLUMN notify_channel TEXT NOT NULL DEFAULT 'none';
ALTER TABLE dossiers ADD COLUMN language TEXT NOT NULL DEFAULT 'vi';

-- The transactional outbox: a row is written in the same transaction as the change it tells
-- of, and the worker delivers it. `state` is pending (waiting for `next_attempt_at`), sending
-- (taken by a worker until `lease_until`: a worker that died leaves it to be taken again),
-- sent, or dead (given up: staff see it and may resend). `notice_json` is the
-- `domain::notifications::Notice` with what the message needs; `sent_text` is what went out.
-- `idempotency_key` goes to providers that accept one, so a message retried after a crash
-- between sending and marking is not sent twice by them.
CREATE TABLE notification_messages (
-- dialect sqlite
    id INTEGER PRIMARY KEY AUTOINCREMENT,
-- dialect postgres
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
-- dialect end
    dossier_code TEXT NOT NULL REFERENCES dossiers (code),
    procedure_name TEXT NOT NULL,
    event_id BIGINT,
    kind TEXT NOT NULL,
    notice_json TEXT NOT NULL,
    channel TEXT NOT NULL,
    recipient TEXT NOT NULL,
    language TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_until BIGINT,
    idempotency_key TEXT NOT NULL UNIQUE,
    provider_answer TEXT NOT NULL DEFAULT '',
    sent_text TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX notification_messages_due ON notification_messages (state, next_attempt_at);
CREATE INDEX notification_messages_dossier ON notification_messages (dossier_code, id);
