-- The papers of Circular 03/2025/TT-VPCP, Annex I (docs/forms.md).

-- Forms 02 (supplement request), 03 (refusal), 04 (apology) and 05 (stop notice) are issued by
-- the event that records them; each gets its number ("Số") from a sequence per agency, form and
-- year, taken in the event's transaction so that no number is given twice.
ALTER TABLE dossier_events ADD COLUMN paper_number BIGINT;
CREATE TABLE paper_sequences (
    agency TEXT NOT NULL,
    form TEXT NOT NULL,
    year BIGINT NOT NULL,
    last_number BIGINT NOT NULL,
    PRIMARY KEY (agency, form, year)
);

-- Form 06 (the processing-control slip): every time a dossier passes from one member of staff to
-- another, who gave it, who took it, when, and the note they left. Rows are only ever inserted.
CREATE TABLE dossier_handovers (
-- dialect sqlite
    id INTEGER PRIMARY KEY AUTOINCREMENT,
-- dialect postgres
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
-- dialect end
    dossier_code TEXT NOT NULL REFERENCES dossiers (code),
    at BIGINT NOT NULL,
    from_username TEXT NOT NULL,
    to_username TEXT NOT NULL,
    note TEXT NOT NULL
);
CREATE INDEX dossier_handovers_dossier ON dossier_handovers (dossier_code);

-- Who holds the dossier now (the last hand-over's receiver): their to-do list.
ALTER TABLE dossiers ADD COLUMN holder TEXT;
