-- Public statistics (issue 6): when the center finished each dossier (status 9 reached) and that
-- day in Vietnam, to compare with the due date (early, on time, late) without reading events.
ALTER TABLE dossiers ADD COLUMN finished_at BIGINT;
ALTER TABLE dossiers ADD COLUMN finished_day TEXT;
UPDATE dossiers SET finished_at = (
    SELECT MIN(at) FROM dossier_events e WHERE e.dossier_code = dossiers.code AND e.to_status = 9
);
-- dialect sqlite
UPDATE dossiers SET finished_day = date(finished_at + 25200, 'unixepoch')
-- dialect postgres
UPDATE dossiers SET finished_day = to_char(to_timestamp(finished_at + 25200) AT TIME ZONE 'UTC', 'YYYY-MM-DD')
-- dialect end
WHERE finished_at IS NOT NULL;

-- The statistics read every dossier received in a period: this index holds all the columns they
-- read, so a period is one range scan of the index without visiting the table. It starts with
-- `received_at`, so it also serves the queue's newest-first order (and its procedure filter)
-- and replaces that index. No index may lead with `procedure_code`: the planner would then walk
-- it to group by procedure and read the whole table.
CREATE INDEX dossiers_statistics ON dossiers (
    received_at, procedure_code, channel, status, digitised, due_date, finished_day, code
);
DROP INDEX dossiers_received_at;

-- A rating carries its dossier's reception time, so the ratings of a period are one range scan
-- of this index instead of a lookup per dossier.
ALTER TABLE ratings ADD COLUMN received_at BIGINT;
UPDATE ratings SET received_at = (SELECT received_at FROM dossiers d WHERE d.code = ratings.dossier_code);
CREATE INDEX ratings_statistics ON ratings (
    received_at, overall, counter_visits, agencies_contacted, staff_attitude, online_ease
);
