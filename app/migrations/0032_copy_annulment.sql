-- Who annulled a certified copy (TT 01/2020/TT-BTP Art. 7: a copy certified against the rules
-- is annulled by the commune's chairman and posted publicly), as `can-bo:{username}`.
ALTER TABLE certified_copies ADD COLUMN annulled_by TEXT;
