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
CREATE OR REPLACE FUNCTION sys.dsql_local_limit(limit_name text) RETURNS bigint LANGUAGE sql STABLE PARALLEL SAFE
    AS $body$
    SELECT l.value FROM sys.dsql_local_limits l
    CROSS JOIN (SELECT CASE WHEN s IS NULL OR s IN ('', 'latest', 'off') THEN DATE '9999-12-31' ELSE s::date END
                    AS epoch
                FROM pg_catalog.current_setting('dsql_local.dialect', true) AS s) e
    WHERE l.name = limit_name AND coalesce(l.since, '-infinity') <= e.epoch
      AND e.epoch < coalesce(l.until, 'infinity')
$body$;
