-- The procedures of the shared catalogue a center does not receive (issue 21): without a row, a
-- center receives every procedure in force. Its citizens are told so on the procedure's page and
-- cannot start it online there; its counter does not offer it.
CREATE TABLE center_withheld_procedures (
    agency TEXT NOT NULL REFERENCES centers (agency),
    procedure_code TEXT NOT NULL,
    withheld_by TEXT NOT NULL,
    withheld_at BIGINT NOT NULL,
    PRIMARY KEY (agency, procedure_code)
);
