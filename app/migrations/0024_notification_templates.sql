-- The words of messages to citizens as an administrator changed them (issue 20): one row per
-- kind of message and language; a kind without a row is sent with the program's own words.
CREATE TABLE notification_templates (
    kind TEXT NOT NULL,
    language TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    short TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (kind, language)
);
