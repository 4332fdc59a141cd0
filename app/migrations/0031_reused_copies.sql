-- A certified copy reused in an online application instead of a new upload (issue 22): the
-- file row names the register entry (its verification token) the file is a copy of. The file
-- itself is the signed PDF copied under a new name, so a draft that expires takes only its own.
ALTER TABLE draft_files ADD COLUMN certified_copy TEXT;
ALTER TABLE dossier_files ADD COLUMN certified_copy TEXT;
