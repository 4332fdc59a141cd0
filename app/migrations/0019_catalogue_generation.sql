-- The catalogue's version (issue 19): every import that changes a procedure adds one, in the
-- same transaction. Each app server keeps its search index in memory and rebuilds it when the
-- number it built from is no longer the database's, so an import on one server reaches all.
CREATE TABLE catalogue_generation (
    id BIGINT PRIMARY KEY,
    generation BIGINT NOT NULL
);
INSERT INTO catalogue_generation (id, generation) VALUES (1, 1);
