-- The working calendar (domain::working_days, docs/calendar.md). The statutory holidays and the
-- compensatory days they give are computed by the rule; what is stored is each year's published
-- decision as staff enter it: a day off or a day worked (a swapped Saturday), with the notice it
-- comes from. An entry wins over the rule on its day.
CREATE TABLE calendar_entries (
    day TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    note TEXT NOT NULL,
    reference TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    entered_at BIGINT NOT NULL
);
-- Years that received the decisions shipped with the program, so an entry staff delete stays
-- deleted.
CREATE TABLE calendar_years (
    year BIGINT PRIMARY KEY
);
-- The old table held the rule's days as seeded rows (3 September fixed as the adjacent day, no
-- compensatory days); the rule is code now. Its rows cannot be told apart from staff edits, so
-- an installation from before this version enters its own decisions again.
DROP TABLE holidays;
DROP TABLE holiday_years;
