-- The back office (issue 5): the due date staff work to, counter intake, results, caveats.

-- The date the center must finish by, as it stands now: the appointment date (or an apology's
-- new date) moved back by the days the clock was paused. Kept up to date with every event so the
-- queue can filter "due soon" and "overdue" with an index; the status page derives the same date
-- from the history.
ALTER TABLE dossiers ADD COLUMN due_date TEXT;
UPDATE dossiers SET due_date = appointment_date;
CREATE INDEX dossiers_status_due_date ON dossiers (status, due_date);

-- 1 when every document exists as a file (online filing, or every paper document scanned at
-- the counter), for the "share digitised" figure.
ALTER TABLE dossiers ADD COLUMN digitised BIGINT NOT NULL DEFAULT 1;

-- Paper documents a clerk received at the counter, and whether each was scanned.
CREATE TABLE dossier_paper_documents (
    dossier_code TEXT NOT NULL REFERENCES dossiers (code),
    document_index BIGINT NOT NULL,
    document_name TEXT NOT NULL,
    scanned BIGINT NOT NULL,
    PRIMARY KEY (dossier_code, document_index)
);

-- A scanned result attached when the result is marked ready.
ALTER TABLE dossier_files ADD COLUMN result_event BIGINT;

-- What the center wants citizens to know about a procedure beyond the national record
-- ("bring the original birth certificate", "the counter for this is open mornings only").
CREATE TABLE procedure_caveats (
    procedure_code TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
