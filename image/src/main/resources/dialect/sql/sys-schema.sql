-- DSQL's sys schema, owned by the internal superuser so users can read but not change it: sys.jobs over a table
-- only a SECURITY DEFINER function writes, sys.wait_for_job, sys.dsql_major_version(), and the function the gateway
-- turns CREATE INDEX ASYNC into. Job ids are DSQL's: the unpadded lower-case RFC 4648 base32 form of a random UUID
-- (26 characters). A job stays pending for the server's asynchronous job delay (dsql_local.async_job_delay), then
-- the server's job runner or CALL sys.wait_for_job runs it. Users never name the sys.dsql_local_* objects: the gateway hides them.
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
-- What running a job later needs, never shown in sys.jobs: when it starts processing and when it is due (the
-- server's asynchronous job delay after submission), the failure its run reports (decided at submission from the
-- rows then, as DSQL's build reads the table when the job starts) and the constraint a validation validates.
ALTER TABLE sys.dsql_local_jobs ADD COLUMN IF NOT EXISTS processing_at timestamptz,
    ADD COLUMN IF NOT EXISTS due_at timestamptz, ADD COLUMN IF NOT EXISTS failure text,
    ADD COLUMN IF NOT EXISTS constraint_name text;
-- A job is submitted for the first half of the delay and processing for the second; then the server's job runner
-- (or CALL sys.wait_for_job) runs it, which is the one write of its row after submission. update_time is NULL
-- while submitted.
CREATE OR REPLACE VIEW sys.jobs AS SELECT job_id,
    CASE WHEN status = 'submitted' AND statement_timestamp() >= processing_at THEN 'processing' ELSE status END
        AS status,
    details, job_type, class_id, object_id, object_name, start_time,
    CASE WHEN status = 'submitted' AND statement_timestamp() >= processing_at THEN processing_at ELSE update_time END
        AS update_time
    FROM sys.dsql_local_jobs;
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
-- The server's delay between submitting an asynchronous job and its completion (PostgresFleet sets
-- dsql_local.async_job_delay in milliseconds; 0 or unset: the job runs inside the statement that submits it).
CREATE OR REPLACE FUNCTION sys.dsql_local_async_job_delay() RETURNS interval LANGUAGE sql STABLE
    SET search_path = pg_catalog AS $body$
    SELECT make_interval(secs => coalesce(nullif(current_setting('dsql_local.async_job_delay', true), ''), '0')
        ::bigint / 1000.0)
$body$;
-- Runs a job that is still pending: the one write of its row after submission. Whoever runs it (the server's job
-- runner, or CALL sys.wait_for_job in a user's session) holds the row lock; a user's REPEATABLE READ snapshot
-- older than another runner's completion gets 40001 here, which means the job is done.
CREATE OR REPLACE FUNCTION sys.dsql_local_run_job(id text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog SET lock_timeout = '10s' AS $body$
DECLARE
    j sys.dsql_local_jobs;
    outcome text;
BEGIN
    BEGIN
        SELECT * INTO j FROM sys.dsql_local_jobs WHERE job_id = id FOR UPDATE;
    EXCEPTION WHEN serialization_failure THEN
        RETURN;
    END;
    IF j.job_id IS NULL OR j.status <> 'submitted' THEN
        RETURN;
    END IF;
    outcome := j.failure;
    IF j.job_type = 'INDEX_BUILD' THEN
        IF NOT EXISTS (SELECT FROM pg_index x WHERE x.indexrelid = j.object_id) THEN
            outcome := 'index was dropped'; -- DROP INDEX cancels a build (DSQL's wording is not recorded)
        ELSIF outcome IS NULL THEN
            UPDATE pg_index SET indisvalid = true WHERE indexrelid = j.object_id;
            -- A relcache invalidation of the table too, so plans cached before see the index.
            UPDATE pg_class SET relhasindex = true
                WHERE oid = (SELECT x.indrelid FROM pg_index x WHERE x.indexrelid = j.object_id);
        END IF;
    ELSIF outcome IS NULL AND j.constraint_name IS NOT NULL THEN
        BEGIN
            EXECUTE format('ALTER TABLE %s VALIDATE CONSTRAINT %I', j.object_id::regclass, j.constraint_name);
        EXCEPTION WHEN OTHERS THEN
            outcome := SQLERRM; -- the table or constraint was dropped meanwhile
        END;
    END IF;
    UPDATE sys.dsql_local_jobs SET status = CASE WHEN outcome IS NULL THEN 'completed' ELSE 'failed' END,
        details = outcome, update_time = clock_timestamp()
        WHERE job_id = id;
END $body$;
-- The failure a job reports or will report (NULL: it succeeds).
CREATE OR REPLACE FUNCTION sys.dsql_local_job_failure(id text) RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog AS 'SELECT coalesce(details, failure) FROM sys.dsql_local_jobs WHERE job_id = id';
-- Records a job the caller submitted (the only writer of new rows besides the superuser); runs it at once when
-- the delay is 0.
CREATE OR REPLACE FUNCTION sys.dsql_local_submit_job(job_type text, object_oid oid, qualified text,
    failure text, constraint_name text) RETURNS text LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog AS $body$
DECLARE
    id text := sys.dsql_local_new_job_id();
    delay interval := sys.dsql_local_async_job_delay();
BEGIN
    INSERT INTO sys.dsql_local_jobs (job_id, status, details, job_type, class_id, object_id, object_name,
            start_time, update_time, processing_at, due_at, failure, constraint_name)
        VALUES (id, 'submitted', NULL, job_type, 'pg_class'::regclass::oid, object_oid, qualified,
            statement_timestamp(), NULL, statement_timestamp() + delay / 2, statement_timestamp() + delay,
            failure, constraint_name);
    IF delay <= interval '0' THEN
        PERFORM sys.dsql_local_run_job(id);
    END IF;
    RETURN id;
END $body$;
REVOKE ALL ON FUNCTION sys.dsql_local_submit_job(text, oid, text, text, text) FROM PUBLIC;
-- An index build the caller submitted: the index stays INVALID (the planner ignores it, ADD CONSTRAINT ... USING
-- INDEX refuses it) until the job runs, while writes already maintain it and a unique one already rejects
-- duplicates, as in DSQL. duplicates: the rows had duplicate keys, so the job will fail; the index was then built
-- non-unique and is made unique here (it keeps enforcing uniqueness for new rows, like DSQL's failed build). An
-- index that already existed (IF NOT EXISTS) is left as it is and its job is complete.
CREATE OR REPLACE FUNCTION sys.dsql_local_submit_index_job(index_oid oid, existed boolean, duplicates boolean)
    RETURNS text LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $body$
DECLARE
    qualified text;
    id text;
BEGIN
    SELECT n.nspname || '.' || c.relname INTO qualified
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.oid = index_oid AND c.relkind IN ('i', 'I')
          AND pg_has_role(session_user, c.relowner, 'USAGE');
    IF qualified IS NULL THEN
        RAISE EXCEPTION 'index with OID % does not exist', index_oid USING ERRCODE = '42704';
    END IF;
    IF existed THEN
        id := sys.dsql_local_new_job_id();
        INSERT INTO sys.dsql_local_jobs (job_id, status, job_type, class_id, object_id, object_name, start_time,
                update_time, processing_at, due_at)
            VALUES (id, 'completed', 'INDEX_BUILD', 'pg_class'::regclass::oid, index_oid, qualified,
                statement_timestamp(), clock_timestamp(), statement_timestamp(), statement_timestamp());
        RETURN id;
    END IF;
    UPDATE pg_index SET indisvalid = false, indisunique = indisunique OR duplicates WHERE indexrelid = index_oid;
    RETURN sys.dsql_local_submit_job('INDEX_BUILD', index_oid, qualified,
        CASE WHEN duplicates THEN 'Found duplicate key while validating index for UCVs' END, NULL);
END $body$;
-- The server's job runner: runs every job that is due, skipping those a session is running, and answers how long
-- until the next pending job is due (NULL: nothing is pending).
CREATE OR REPLACE FUNCTION sys.dsql_local_run_due_jobs() RETURNS interval LANGUAGE plpgsql
    SET search_path = pg_catalog AS $body$
DECLARE
    id text;
BEGIN
    FOR id IN SELECT j.job_id FROM sys.dsql_local_jobs j WHERE j.status = 'submitted'
            AND j.due_at <= clock_timestamp() ORDER BY j.due_at FOR UPDATE SKIP LOCKED LOOP
        PERFORM sys.dsql_local_run_job(id);
    END LOOP;
    RETURN (SELECT greatest(min(j.due_at) - clock_timestamp(), interval '0') FROM sys.dsql_local_jobs j
        WHERE j.status = 'submitted' HAVING count(*) > 0);
END $body$;
REVOKE ALL ON FUNCTION sys.dsql_local_run_due_jobs() FROM PUBLIC;
DROP FUNCTION IF EXISTS sys.dsql_local_create_index_async(text, text, text);
DROP FUNCTION IF EXISTS sys.dsql_local_record_index_job(oid);
-- CREATE INDEX ASYNC, as the caller, in the caller's search_path: the index is created (errors about the
-- statement are the statement's) and its build submitted as a job. A unique index over rows with duplicate keys
-- is created by non_unique_statement (the same statement without UNIQUE) and its job fails.
CREATE OR REPLACE FUNCTION sys.dsql_local_create_index_async(statement text, table_name text, index_name text,
    non_unique_statement text) RETURNS TABLE (job_id text) LANGUAGE plpgsql AS $body$
DECLARE
    table_oid oid := to_regclass(table_name);
    existing oid[];
    built oid;
    duplicates boolean := false;
BEGIN
    SELECT coalesce(array_agg(x.indexrelid), '{}') INTO existing
        FROM pg_catalog.pg_index x WHERE x.indrelid = table_oid;
    BEGIN
        EXECUTE statement;
    EXCEPTION WHEN unique_violation THEN
        IF non_unique_statement IS NULL THEN
            RAISE;
        END IF;
        EXECUTE non_unique_statement;
        duplicates := true;
    END;
    table_oid := to_regclass(table_name);
    SELECT x.indexrelid INTO built FROM pg_catalog.pg_index x
        WHERE x.indrelid = table_oid AND x.indexrelid <> ALL (existing);
    IF built IS NOT NULL THEN
        job_id := sys.dsql_local_submit_index_job(built, false, duplicates);
    ELSIF index_name IS NOT NULL THEN
        -- IF NOT EXISTS and the index was already there: the job reports on that index.
        SELECT x.indexrelid INTO built FROM pg_catalog.pg_index x
            JOIN pg_catalog.pg_class c ON c.oid = x.indexrelid
            WHERE x.indrelid = table_oid AND c.relname = index_name;
        -- NULL only when IF NOT EXISTS skipped because another kind of relation has the name.
        job_id := CASE WHEN built IS NULL THEN NULL ELSE sys.dsql_local_submit_index_job(built, true, false) END;
    END IF;
    RETURN NEXT;
END $body$;
-- Waits for a job by running it now if it is still pending, so a client's wait is deterministic and lasts no
-- longer than the run. A well-formed id of no job is an error (42704) rather than false: the emulator never purges
-- jobs, so such an id was never issued by this cluster.
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
    IF job_status IN ('submitted', 'processing') THEN
        PERFORM sys.dsql_local_run_job(wait_for_job.job_id);
    END IF;
    -- The job's own outcome, also when another session finished it after this transaction's snapshot was taken.
    succeeded := sys.dsql_local_job_failure(wait_for_job.job_id) IS NULL;
END $body$;
