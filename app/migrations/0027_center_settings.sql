-- What each center says and sends on its own (issue 21): its notes for citizens on a procedure
-- and the words of its messages to citizens. Rows written before many centers are the default
-- center's: the server moves them from `procedure_caveats` and `notification_templates` when
-- it starts (`Database::ensure_default_center`), which leaves those two tables empty.
CREATE TABLE center_caveats (
    agency TEXT NOT NULL REFERENCES centers (agency),
    procedure_code TEXT NOT NULL,
    text TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (agency, procedure_code)
);

CREATE TABLE center_templates (
    agency TEXT NOT NULL REFERENCES centers (agency),
    kind TEXT NOT NULL,
    language TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    short TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL,
    PRIMARY KEY (agency, kind, language)
);

-- A center's own days on top of the national calendar (the rule, the decisions the program
-- ships and those the province enters in `calendar_entries`): a day it is closed, or a Saturday
-- it works, as its administrator enters them. Its appointments and due dates count on both.
CREATE TABLE center_calendar_entries (
    agency TEXT NOT NULL REFERENCES centers (agency),
    day TEXT NOT NULL,
    state TEXT NOT NULL,
    note TEXT NOT NULL,
    reference TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at BIGINT NOT NULL,
    PRIMARY KEY (agency, day)
);
