-- Period statistics (issue 18): every figure as the event history says it at the period's end.
-- When a dossier was accepted into processing (status 2) and when the center's work on it ended
-- (refused, withdrawn, stopped, or the result ready), kept beside the events so the dossiers open
-- at an instant are one index range away.
ALTER TABLE dossiers ADD COLUMN accepted_at BIGINT;
ALTER TABLE dossiers ADD COLUMN closed_at BIGINT;
UPDATE dossiers SET accepted_at = (
    SELECT MIN(at) FROM dossier_events e WHERE e.dossier_code = dossiers.code AND e.to_status = 2
);
UPDATE dossiers SET closed_at = (
    SELECT MIN(at) FROM dossier_events e
    WHERE e.dossier_code = dossiers.code AND e.to_status IN (3, 7, 8, 9)
);
-- The open dossiers (closed_at IS NULL) and those closed since an instant, with what today's
-- figures group and count them by.
CREATE INDEX dossiers_open ON dossiers (
    closed_at, received_at, procedure_code, channel, agency, accepted_at, status, due_date
);
-- A day's events, in order.
CREATE INDEX dossier_events_at ON dossier_events (at);
-- A rating counts on the day it is given (a rating is never changed).
CREATE INDEX ratings_rated_at ON ratings (rated_at);
DROP INDEX ratings_statistics;

-- Each past day's figures per center, procedure and channel: what happened that day, and what
-- was open at its end. Written once, when the day is over; a period adds its days.
CREATE TABLE statistics_flows (
    day TEXT NOT NULL,
    agency TEXT NOT NULL,
    procedure_code TEXT NOT NULL,
    channel BIGINT NOT NULL,
    submitted_online BIGINT NOT NULL,
    received BIGINT NOT NULL,
    received_digitised BIGINT NOT NULL,
    refused BIGINT NOT NULL,
    supplement_requests BIGINT NOT NULL,
    withdrawn_before_intake BIGINT NOT NULL,
    resolved_early BIGINT NOT NULL,
    resolved_on_time BIGINT NOT NULL,
    resolved_late BIGINT NOT NULL,
    resolved_undated BIGINT NOT NULL,
    withdrawn BIGINT NOT NULL,
    stopped BIGINT NOT NULL,
    rating_forms BIGINT NOT NULL,
    rating_satisfied BIGINT NOT NULL,
    rating_not_satisfied BIGINT NOT NULL,
    overall_total BIGINT NOT NULL,
    overall_answered BIGINT NOT NULL,
    counter_visits_total BIGINT NOT NULL,
    counter_visits_answered BIGINT NOT NULL,
    agencies_contacted_total BIGINT NOT NULL,
    agencies_contacted_answered BIGINT NOT NULL,
    staff_attitude_total BIGINT NOT NULL,
    staff_attitude_answered BIGINT NOT NULL,
    online_ease_total BIGINT NOT NULL,
    online_ease_answered BIGINT NOT NULL,
    PRIMARY KEY (day, agency, procedure_code, channel)
);
CREATE TABLE statistics_stocks (
    day TEXT NOT NULL,
    agency TEXT NOT NULL,
    procedure_code TEXT NOT NULL,
    channel BIGINT NOT NULL,
    in_progress BIGINT NOT NULL,
    overdue BIGINT NOT NULL,
    awaiting_intake BIGINT NOT NULL,
    PRIMARY KEY (day, agency, procedure_code, channel)
);
-- The last day summarised (none yet: NULL). One row; its lock keeps two servers from summarising
-- the same days.
CREATE TABLE statistics_progress (
    id BIGINT PRIMARY KEY,
    summarised_through TEXT
);
INSERT INTO statistics_progress (id, summarised_through) VALUES (1, NULL);

-- The figures of closed periods were cached while they could still change; now they cannot,
-- and the daily figures make any period cheap.
DROP TABLE statistics_cache;
