-- The figures of closed periods, kept a few minutes (`db::stats`): anyone may ask for any
-- period, and a long one read from the dossiers each time let requests fill the cores.
CREATE TABLE statistics_cache (
    period_key TEXT PRIMARY KEY,
    computed_at BIGINT NOT NULL,
    figures TEXT NOT NULL
);
