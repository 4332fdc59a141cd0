-- The procedure catalogue. `content_json` holds the whole procedure (cases, channels, documents)
-- as the domain model serialises it; the other columns exist to list, filter and search.
-- Folded columns hold text made by domain::search::fold (lower case, no diacritics).
CREATE TABLE procedures (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    sector TEXT NOT NULL,
    online_level TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    keywords_folded TEXT NOT NULL,
    sector_folded TEXT NOT NULL,
    body_folded TEXT NOT NULL,
    version BIGINT NOT NULL,
    content_hash TEXT NOT NULL,
    content_json TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX procedures_sector ON procedures (sector);
CREATE INDEX procedures_name_folded ON procedures (name_folded);

-- Every version ever imported, so a dossier filed under an older version can show what it was
-- filed under. Rows are only ever inserted.
CREATE TABLE procedure_versions (
    code TEXT NOT NULL,
    version BIGINT NOT NULL,
    content_hash TEXT NOT NULL,
    content_json TEXT NOT NULL,
    imported_at BIGINT NOT NULL,
    PRIMARY KEY (code, version)
);
