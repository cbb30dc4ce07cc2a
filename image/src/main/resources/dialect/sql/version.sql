-- SELECT version() answers DSQL's short 'PostgreSQL 16' everywhere, also inside views and SQL functions, because the
-- catalog function itself is replaced (same OID, so existing references keep working); clients that look at the
-- version read server_version from ParameterStatus, which stays PostgreSQL's. With --dialect off
-- (dsql_local.dialect=off) it answers PostgreSQL's own string again.
CREATE OR REPLACE FUNCTION sys.dsql_local_postgres_version() RETURNS text LANGUAGE internal STABLE
    PARALLEL SAFE AS 'pgsql_version';
CREATE OR REPLACE FUNCTION pg_catalog.version() RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $body$
    SELECT CASE WHEN pg_catalog.current_setting('dsql_local.dialect', true) = 'off'
                THEN sys.dsql_local_postgres_version() ELSE 'PostgreSQL 16' END
$body$;
