-- The e-form declaration (domain::declaration::Declaration as JSON) filled in a draft, and kept
-- with the dossier it became; NULL where the procedure has no e-form or a paper was uploaded.
ALTER TABLE drafts ADD COLUMN declaration_json TEXT;
ALTER TABLE dossiers ADD COLUMN declaration_json TEXT;
