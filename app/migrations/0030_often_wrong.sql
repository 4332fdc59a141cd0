-- What goes wrong here (issue 22): a procedure's supplement requests and refusals at one center
-- are read on its page and at the counter, through its dossiers.
CREATE INDEX dossiers_agency_procedure ON dossiers (agency, procedure_code);
