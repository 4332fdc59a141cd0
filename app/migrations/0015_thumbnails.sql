-- A small JPEG of a photo uploaded to a draft (made in the browser, at most a few kilobytes), as a
-- data: URL, so the documents and check pages can show what was sent without fetching the photo.
-- NULL for PDFs and for uploads without JavaScript.
ALTER TABLE draft_files ADD COLUMN thumbnail TEXT;
