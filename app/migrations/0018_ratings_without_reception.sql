-- A rating carried its dossier's reception time for the cohort statistics' index (0006). The
-- period report counts a rating on the day it was given (0016), so nothing reads it any more.
ALTER TABLE ratings DROP COLUMN received_at;
