-- Many commune centers in one installation (issue 21). A center is a row: its agency code
-- (QCVN 102), the first part of the codes of the dossiers it receives; the slug of its public
-- address /xa/{slug}; what citizens are told about it. One center is the default: the center of
-- visitors who have not picked one, and of everything an installation held before this version.
CREATE TABLE centers (
    agency TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    office_hours TEXT NOT NULL,
    -- The weekdays it receives on, as digits 1 (Monday) to 7 (Sunday).
    receiving_days TEXT NOT NULL,
    caveats TEXT NOT NULL,
    is_default BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX centers_one_default ON centers (is_default) WHERE is_default = 1;

-- Staff belong to a center; only the province's role has none (it reads every center). Rows
-- from before this version are given the default center when the server starts.
ALTER TABLE staff_users ADD COLUMN center TEXT REFERENCES centers (agency);

-- The center an application is filed with, chosen when it was started (NULL: the default).
ALTER TABLE drafts ADD COLUMN center TEXT;

-- Every staff list is one center's dossiers.
CREATE INDEX dossiers_agency_status ON dossiers (agency, status);
