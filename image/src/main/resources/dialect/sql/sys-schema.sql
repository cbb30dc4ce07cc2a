-- DSQL's sys schema, owned by the internal superuser so users can read but not change it: sys.jobs over a table
-- only a SECURITY DEFINER function writes, sys.wait_for_job, sys.dsql_major_version(), and the function the gateway
-- turns CREATE INDEX ASYNC into. Job ids are DSQL's: the unpadded lower-case RFC 4648 base32 form of a random UUID
-- (26 characters). Users never name the sys.dsql_local_* objects: the gateway hides them.
-- Every file of dialect/sql is written to be run again on a cluster made from an older template (IF NOT EXISTS,
-- CREATE OR REPLACE): that is how a cluster's sys schema is brought up to date.
-- https://docs.aws.amazon.com/aurora-dsql/latest/userguide/working-with-systems-tables.html
-- https://docs.aws.amazon.com/aurora-dsql/latest/userguide/working-with-create-index-async.html
CREATE SCHEMA IF NOT EXISTS sys AUTHORIZATION ${superuser};
GRANT USAGE ON SCHEMA sys TO PUBLIC;
CREATE TABLE IF NOT EXISTS sys.dsql_local_jobs (
    job_id text PRIMARY KEY, status text NOT NULL, details text, job_type text NOT NULL,
    class_id oid, object_id oid, object_name text, start_time timestamptz NOT NULL,
    update_time timestamptz);
REVOKE ALL ON sys.dsql_local_jobs FROM PUBLIC;
CREATE OR REPLACE VIEW sys.jobs AS SELECT job_id, status, details, job_type, class_id, object_id, object_name,
    start_time, update_time FROM sys.dsql_local_jobs;
GRANT SELECT ON sys.jobs TO PUBLIC;
CREATE OR REPLACE FUNCTION sys.dsql_major_version() RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS 'SELECT 1';
CREATE OR REPLACE FUNCTION sys.dsql_local_new_job_id() RETURNS text LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog AS $body$
DECLARE
    bits bit varying := ('x' || encode(uuid_send(gen_random_uuid()), 'hex'))::bit(128) || B'00';
    id text := '';
BEGIN
    FOR i IN 0..25 LOOP
        id := id || substr('abcdefghijklmnopqrstuvwxyz234567',
            substring(bits FROM i * 5 + 1 FOR 5)::bit(5)::integer + 1, 1);
    END LOOP;
    RETURN id;
END $body$;
-- The only writer of sys.dsql_local_jobs: records a finished build of an index the caller owns.
CREATE OR REPLACE FUNCTION sys.dsql_local_record_index_job(index_oid oid) RETURNS text LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = pg_catalog AS $body$
DECLARE
    qualified text;
    id text := sys.dsql_local_new_job_id();
BEGIN
    SELECT n.nspname || '.' || c.relname INTO qualified
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.oid = index_oid AND c.relkind IN ('i', 'I')
          AND pg_has_role(session_user, c.relowner, 'USAGE');
    IF qualified IS NULL THEN
        RAISE EXCEPTION 'index with OID % does not exist', index_oid USING ERRCODE = '42704';
    END IF;
    INSERT INTO sys.dsql_local_jobs VALUES (id, 'completed', NULL, 'INDEX_BUILD',
        'pg_class'::regclass::oid, index_oid, qualified, statement_timestamp(), clock_timestamp());
    RETURN id;
END $body$;
-- CREATE INDEX ASYNC: builds at once, as the caller, in the caller's search_path (DSQL builds later;
-- finishing before the statement returns is one of the schedules DSQL allows).
CREATE OR REPLACE FUNCTION sys.dsql_local_create_index_async(statement text, table_name text, index_name text)
    RETURNS TABLE (job_id text) LANGUAGE plpgsql AS $body$
DECLARE
    table_oid oid := to_regclass(table_name);
    existing oid[];
    built oid;
BEGIN
    SELECT coalesce(array_agg(x.indexrelid), '{}') INTO existing
        FROM pg_catalog.pg_index x WHERE x.indrelid = table_oid;
    EXECUTE statement;
    table_oid := to_regclass(table_name);
    SELECT x.indexrelid INTO built FROM pg_catalog.pg_index x
        WHERE x.indrelid = table_oid AND x.indexrelid <> ALL (existing);
    IF built IS NULL AND index_name IS NOT NULL THEN
        -- IF NOT EXISTS and the index was already there: the job reports on that index.
        SELECT x.indexrelid INTO built FROM pg_catalog.pg_index x
            JOIN pg_catalog.pg_class c ON c.oid = x.indexrelid
            WHERE x.indrelid = table_oid AND c.relname = index_name;
    END IF;
    -- NULL only when IF NOT EXISTS skipped because another kind of relation has the name.
    job_id := CASE WHEN built IS NULL THEN NULL ELSE sys.dsql_local_record_index_job(built) END;
    RETURN NEXT;
END $body$;
-- Emulated jobs are finished when CREATE INDEX ASYNC returns, so there is never anything to wait for.
-- A well-formed id of no job is an error (42704) rather than false: the emulator never purges jobs,
-- so such an id was never issued by this cluster.
CREATE OR REPLACE PROCEDURE sys.wait_for_job(job_id text, INOUT succeeded boolean DEFAULT NULL)
    LANGUAGE plpgsql AS $body$
DECLARE
    job_status text;
BEGIN
    IF wait_for_job.job_id IS NULL OR wait_for_job.job_id !~ '^[a-z2-7]{25}[aeimquy4]$' THEN
        RAISE EXCEPTION 'Unable to convert text to UUID' USING ERRCODE = '22P02';
    END IF;
    SELECT j.status INTO job_status FROM sys.jobs j WHERE j.job_id = wait_for_job.job_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'job % does not exist', wait_for_job.job_id USING ERRCODE = '42704';
    END IF;
    succeeded := job_status = 'completed';
END $body$;
