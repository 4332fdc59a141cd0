-- Procedures the national package says are no longer in force (issue 19, `TRANGTHAI`): kept for
-- the dossiers filed under them, hidden from the catalogue, its search and online filing.
ALTER TABLE procedures ADD COLUMN in_force BIGINT NOT NULL DEFAULT 1;
