-- Devices where a staff member has signed in before (a long-lived cookie, kept here hashed):
-- sign-in from such a device has its own attempt budget, so a guesser elsewhere cannot lock
-- the real user out (docs/staff.md, "Password guessing").
CREATE TABLE staff_devices (
    token_hash TEXT NOT NULL,
    username TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (token_hash, username)
);
