-- Who uploaded each draft file (the hashed rate-limit bucket of the client address), so the
-- files of unfinished applications can be counted per address against a quota, and a row per
-- address that quota checks lock, so two uploads at once cannot both take the last room.
ALTER TABLE draft_files ADD COLUMN uploader TEXT NOT NULL DEFAULT '';
CREATE INDEX draft_files_uploader ON draft_files (uploader);
CREATE TABLE upload_quota_locks (
    bucket TEXT PRIMARY KEY
);
