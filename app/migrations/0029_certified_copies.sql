-- The electronic certification register of copies from originals (issue 22, sổ chứng thực
-- bản sao từ bản chính; ND 23/2015 Art. 13, docs/certified-copies.md): a number per center and
-- year that is never given twice, kept for good.
CREATE TABLE certification_serials (
    agency TEXT NOT NULL,
    year INTEGER NOT NULL,
    last_serial INTEGER NOT NULL,
    PRIMARY KEY (agency, year)
);

CREATE TABLE certified_copies (
    -- The random token of the public verification page (in the copy's QR code).
    token TEXT PRIMARY KEY,
    agency TEXT NOT NULL,
    year INTEGER NOT NULL,
    book INTEGER NOT NULL,
    serial INTEGER NOT NULL,
    certified_at BIGINT NOT NULL,
    document_title TEXT NOT NULL,
    pages INTEGER NOT NULL,
    paper_copies INTEGER NOT NULL,
    fee_dong BIGINT NOT NULL,
    applicant_name TEXT NOT NULL,
    applicant_id TEXT NOT NULL,
    officer TEXT NOT NULL,
    officer_name TEXT NOT NULL,
    -- The walk-in dossier the copy was made in: its status page delivers the copy.
    dossier_code TEXT NOT NULL REFERENCES dossiers (code),
    -- The signed PDF, once signed: its stored name, SHA-256 (hex) and size.
    stored_name TEXT,
    copy_sha256 TEXT,
    signed_size BIGINT,
    signed_at BIGINT,
    annulled_at BIGINT,
    annulled_reason TEXT,
    UNIQUE (agency, year, book, serial)
);
CREATE INDEX certified_copies_dossier ON certified_copies (dossier_code);
