-- The hour and minute the result is promised for ("HH:MM", Vietnam's time), beside its date:
-- due moments are counted in working time (domain::working_time). Empty for dossiers from before.
ALTER TABLE dossiers ADD COLUMN appointment_time TEXT;
