-- Online filing: drafts (server-side, resumable), dossiers, their files and status history,
-- the per-agency daily sequence behind dossier codes, and the holiday calendar.

-- A draft is keyed by its resume code (random, shown to the citizen). Only validated input is
-- stored. Drafts expire `expires_at` after their last save and are then deleted with their files.
-- Once submitted, a draft keeps the dossier code and the lookup key for a day, so that a
-- repeated submit (double tap, reload) or the resume link shows the same receipt again.
CREATE TABLE drafts (
    token TEXT PRIMARY KEY,
    procedure_code TEXT NOT NULL,
    procedure_version BIGINT NOT NULL,
    applicant_json TEXT,
    dossier_code TEXT,
    lookup_key TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX drafts_expires_at ON drafts (expires_at);

-- `stored_name` is the server-generated file name under the upload directory.
CREATE TABLE draft_files (
    stored_name TEXT PRIMARY KEY,
    draft_token TEXT NOT NULL REFERENCES drafts (token) ON DELETE CASCADE,
    case_index BIGINT NOT NULL,
    document_index BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    original_name TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL
);
CREATE INDEX draft_files_draft ON draft_files (draft_token);

-- One row per agency and day; `last_sequence` is the NNNN of the last code given out.
CREATE TABLE dossier_sequences (
    agency TEXT NOT NULL,
    day TEXT NOT NULL,
    last_sequence BIGINT NOT NULL,
    PRIMARY KEY (agency, day)
);

-- Channels and statuses are the national codes (DESIGN.md §2). Dates are ISO `YYYY-MM-DD` in
-- Vietnam's time zone; instants are Unix seconds. The lookup key is kept only as its SHA-256.
CREATE TABLE dossiers (
    code TEXT PRIMARY KEY,
    agency TEXT NOT NULL,
    day TEXT NOT NULL,
    sequence BIGINT NOT NULL,
    procedure_code TEXT NOT NULL,
    procedure_version BIGINT NOT NULL,
    procedure_name TEXT NOT NULL,
    case_index BIGINT NOT NULL,
    case_name TEXT NOT NULL,
    channel BIGINT NOT NULL,
    status BIGINT NOT NULL,
    applicant_name TEXT NOT NULL,
    applicant_name_folded TEXT NOT NULL,
    applicant_phone TEXT NOT NULL,
    applicant_citizen_id TEXT NOT NULL,
    applicant_address TEXT NOT NULL,
    applicant_email TEXT NOT NULL,
    proxy_name TEXT NOT NULL,
    proxy_citizen_id TEXT NOT NULL,
    proxy_relationship TEXT NOT NULL,
    lookup_key_hash TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    appointment_date TEXT,
    UNIQUE (agency, day, sequence)
);
CREATE INDEX dossiers_status ON dossiers (status);
CREATE INDEX dossiers_received_at ON dossiers (received_at);

CREATE TABLE dossier_files (
    stored_name TEXT PRIMARY KEY,
    dossier_code TEXT NOT NULL REFERENCES dossiers (code),
    document_index BIGINT NOT NULL,
    document_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    original_name TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL
);
CREATE INDEX dossier_files_dossier ON dossier_files (dossier_code);

-- Every status change, the first one included; rows are only ever inserted.
CREATE TABLE dossier_events (
-- dialect sqlite
    id INTEGER PRIMARY KEY AUTOINCREMENT,
-- dialect postgres
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
-- dialect end
    dossier_code TEXT NOT NULL REFERENCES dossiers (code),
    at BIGINT NOT NULL,
    from_status BIGINT,
    to_status BIGINT NOT NULL,
    actor TEXT NOT NULL,
    public_note TEXT NOT NULL
);
CREATE INDEX dossier_events_dossier ON dossier_events (dossier_code);

-- Public holidays (no work, no counting). Staff may edit them; `holiday_years` records which
-- years were seeded with the statutory defaults, so a deleted day is not seeded again.
CREATE TABLE holidays (
    day TEXT PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE holiday_years (
    year BIGINT PRIMARY KEY
);
