-- Tracking and rating (issue 4).

-- What a status change asks of the citizen or tells them (documents missing and the deadline,
-- the fee and how to pay, where to collect the result, the reason for a refusal or a stop, an
-- apology with a new date), as the domain type `EventDetails` serialises it.
ALTER TABLE dossier_events ADD COLUMN details_json TEXT;

-- Files a citizen adds later (a supplement) are marked with the event that asked for them.
ALTER TABLE dossier_files ADD COLUMN supplement_event BIGINT;

-- One rating per dossier, by its citizen. No client address is kept with it. Scores are 2/1/0
-- (DESIGN.md §6); the items other than `overall` may be left unanswered (NULL).
CREATE TABLE ratings (
    dossier_code TEXT PRIMARY KEY REFERENCES dossiers (code),
    overall BIGINT NOT NULL,
    counter_visits BIGINT,
    agencies_contacted BIGINT,
    staff_attitude BIGINT,
    online_ease BIGINT,
    reason TEXT NOT NULL,
    rated_at BIGINT NOT NULL
);

-- Fixed-window counters shared by every app server: `bucket` names what is limited and for
-- whom (a hash of the client address, never the address itself).
CREATE TABLE rate_limits (
    bucket TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    hits BIGINT NOT NULL,
    PRIMARY KEY (bucket, window_start)
);
CREATE INDEX rate_limits_window ON rate_limits (window_start);
