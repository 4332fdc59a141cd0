-- The daily reminder to staff (issue 20): each member's email address (empty: no reminder),
-- and one row per member and working day, written once whichever app servers look and
-- delivered by the notification worker like the citizens' messages: pending, sending under a
-- lease, then sent or dead (given up after its tries).
ALTER TABLE staff_users ADD COLUMN email TEXT NOT NULL DEFAULT '';

CREATE TABLE staff_reminders (
    day TEXT NOT NULL,
    username TEXT NOT NULL REFERENCES staff_users (username),
    state TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_until BIGINT,
    provider_answer TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    PRIMARY KEY (day, username)
);
CREATE INDEX staff_reminders_due ON staff_reminders (state, next_attempt_at);
