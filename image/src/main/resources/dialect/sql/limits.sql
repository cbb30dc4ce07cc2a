-- DSQL's limits inside PostgreSQL: every dated entry of the "limits" of dialect/rules.json (filled in below), so one
-- template serves every --dialect epoch. sys.dsql_local_limit(name) answers the value at the server's epoch, the
-- date in the setting dsql_local.dialect (unset, 'latest' or 'off': the newest).
-- Readable by all: the limit checks that run as the user (the row and size triggers) read it.
CREATE TABLE IF NOT EXISTS sys.dsql_local_limits (name text NOT NULL, since date, until date, value bigint NOT NULL);
REVOKE ALL ON sys.dsql_local_limits FROM PUBLIC;
GRANT SELECT ON sys.dsql_local_limits TO PUBLIC;
DELETE FROM sys.dsql_local_limits;
INSERT INTO sys.dsql_local_limits (name, since, until, value) VALUES
${limit_rows};
-- The entries in force at the server's epoch.
CREATE OR REPLACE VIEW sys.dsql_local_epoch_limits AS
    SELECT l.name, l.value FROM sys.dsql_local_limits l
    CROSS JOIN (SELECT CASE WHEN s IS NULL OR s IN ('', 'latest', 'off') THEN DATE '9999-12-31' ELSE s::date END
                    AS epoch
                FROM pg_catalog.current_setting('dsql_local.dialect', true) AS s) e
    WHERE coalesce(l.since, '-infinity') <= e.epoch AND e.epoch < coalesce(l.until, 'infinity');
REVOKE ALL ON sys.dsql_local_epoch_limits FROM PUBLIC;
GRANT SELECT ON sys.dsql_local_epoch_limits TO PUBLIC;
-- PL/pgSQL rather than SQL: PostgreSQL 16 plans a SQL function's body again on every call from a trigger, which
-- made each DML statement ~0.2 ms slower; PL/pgSQL keeps the plan for the session.
CREATE OR REPLACE FUNCTION sys.dsql_local_limit(limit_name text) RETURNS bigint LANGUAGE plpgsql STABLE
    PARALLEL SAFE AS $body$
DECLARE
    found bigint;
BEGIN
    SELECT l.value INTO found FROM sys.dsql_local_epoch_limits l WHERE l.name = limit_name;
    RETURN found;
END $body$;
