-- DSQL's per-transaction write limits, enforced by PostgreSQL itself so that every protocol path (simple Query,
-- multi-statement implicit transactions, Parse/Bind/Execute up to Sync, pgJDBC batches, COPY) and every transaction
-- shape (autocommit or BEGIN ... COMMIT) is covered, and nothing is ever half-applied. The numbers, SQLSTATEs and
-- messages (the limit: and raise: placeholders) come from dialect/rules.json.
--  * Counting. An event trigger gives every ordinary permanent table outside sys and the catalogs three
--    statement-level AFTER triggers (INSERT, UPDATE, DELETE) with transition tables. They add the rows the
--    statement really wrote (rows skipped by ON CONFLICT DO NOTHING are not in the transition table; index entries
--    are not rows) to transaction-local custom settings. Statement-level, so a statement costs one trigger call
--    however many rows it writes; nothing runs for a SELECT.
--  * Rows. The statement that takes the transaction past max_rows_per_transaction fails with the row-limit error;
--    PostgreSQL then aborts the transaction (implicit ones roll back at once).
--  * Bytes at COMMIT. "Data modified" is approximated as: per inserted or updated row, the size of the new row
--    version (pg_column_size of the row as written, before TOAST compression) plus 32 bytes of per-row overhead;
--    per deleted row, 32 bytes. Secondary index entries are not counted (their keys would need a catalog lookup per
--    statement). The statement that takes the total past max_transaction_size_mib queues a deferred constraint
--    trigger (a row in sys.dsql_local_size_guard, which therefore never commits), so the error comes at COMMIT, or
--    at the implicit commit of an autocommit statement, and the whole transaction rolls back.
--  * The triggers are marked internal (tgisinternal), as PostgreSQL's own constraint triggers are: psql's \d,
--    information_schema.triggers and pg_dump do not show them.
--  * With --dialect off the server runs with dsql_local.dialect=off and the triggers do nothing (plain PostgreSQL).
-- The gateway removes PostgreSQL's CONTEXT (the trigger function) from these errors.
-- https://docs.aws.amazon.com/aurora-dsql/latest/userguide/CHAP_quotas.html
CREATE TABLE IF NOT EXISTS sys.dsql_local_size_guard (xid xid8 NOT NULL);
REVOKE ALL ON sys.dsql_local_size_guard FROM PUBLIC;
CREATE OR REPLACE FUNCTION sys.dsql_local_size_limit_exceeded() RETURNS trigger LANGUAGE plpgsql AS $body$
DECLARE
    bytes bigint := coalesce(nullif(pg_catalog.current_setting('dsql_local.transaction_bytes', true), ''),
        '0')::bigint;
BEGIN
    ${raise:size-limit(size=pg_catalog.ceil(bytes / 1048576.0))};
END $body$;
DO $do$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_trigger WHERE tgrelid = 'sys.dsql_local_size_guard'::regclass
                   AND tgname = 'dsql_local_size_limit') THEN
        CREATE CONSTRAINT TRIGGER dsql_local_size_limit AFTER INSERT ON sys.dsql_local_size_guard
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION sys.dsql_local_size_limit_exceeded();
    END IF;
END $do$;
CREATE OR REPLACE FUNCTION sys.dsql_local_check_size_at_commit() RETURNS void LANGUAGE sql
    SECURITY DEFINER SET search_path = pg_catalog
    AS 'INSERT INTO sys.dsql_local_size_guard VALUES (pg_current_xact_id())';
-- No SET clause here: it would undo the transaction-local set_config calls when the function returns.
-- Written for speed (it runs once per DML statement): one query over the transition table, the rest
-- simple expressions (assignments, not PERFORM, which would run a query each).
CREATE OR REPLACE FUNCTION sys.dsql_local_count_changes() RETURNS trigger LANGUAGE plpgsql AS $body$
DECLARE
    changed bigint;
    written bigint;
    total_rows bigint;
    bytes_before bigint;
    max_rows bigint;
    max_bytes bigint;
    ignored text;
BEGIN
    IF TG_OP = 'DELETE' THEN
        SELECT pg_catalog.count(*), pg_catalog.count(*) * 32 INTO changed, written FROM dsql_local_old_rows;
    ELSE
        SELECT pg_catalog.count(*),
               pg_catalog.count(*) * 32 + coalesce(pg_catalog.sum(pg_catalog.pg_column_size(r.*)), 0)
            INTO changed, written FROM dsql_local_new_rows r;
    END IF;
    IF changed = 0 OR pg_catalog.current_setting('dsql_local.dialect', true) = 'off' THEN
        RETURN NULL;
    END IF;
    -- The limits at the server's epoch, read from the table once per session and kept in session settings: a
    -- query per DML statement would more than double what this trigger costs.
    max_rows := nullif(pg_catalog.current_setting('dsql_local.max_rows_per_transaction', true), '')::bigint;
    max_bytes := nullif(pg_catalog.current_setting('dsql_local.max_transaction_bytes', true), '')::bigint;
    IF max_rows IS NULL OR max_bytes IS NULL THEN
        max_rows := sys.dsql_local_limit(${limit_name:max_rows_per_transaction});
        max_bytes := sys.dsql_local_limit(${limit_name:max_transaction_size_mib}) * 1048576;
        ignored := pg_catalog.set_config('dsql_local.max_rows_per_transaction', max_rows::text, false);
        ignored := pg_catalog.set_config('dsql_local.max_transaction_bytes', max_bytes::text, false);
    END IF;
    total_rows := coalesce(nullif(pg_catalog.current_setting('dsql_local.transaction_rows', true), ''),
        '0')::bigint + changed;
    IF total_rows > max_rows THEN
        ${raise:row-limit};
    END IF;
    bytes_before := coalesce(nullif(pg_catalog.current_setting('dsql_local.transaction_bytes', true), ''),
        '0')::bigint;
    ignored := pg_catalog.set_config('dsql_local.transaction_rows', total_rows::text, true);
    ignored := pg_catalog.set_config('dsql_local.transaction_bytes', (bytes_before + written)::text, true);
    IF bytes_before <= max_bytes AND bytes_before + written > max_bytes THEN
        PERFORM sys.dsql_local_check_size_at_commit();
    END IF;
    RETURN NULL;
END $body$;
-- Trigger functions need no EXECUTE privilege to fire; the two plain functions they call
-- (dsql_local_check_size_at_commit, and version()'s dsql_local_postgres_version) keep PUBLIC's.
REVOKE ALL ON FUNCTION sys.dsql_local_count_changes() FROM PUBLIC;
REVOKE ALL ON FUNCTION sys.dsql_local_size_limit_exceeded() FROM PUBLIC;
CREATE OR REPLACE FUNCTION sys.dsql_local_attach_limits(table_oid oid) RETURNS void LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = pg_catalog AS $body$
DECLARE
    qualified text;
BEGIN
    SELECT format('%I.%I', n.nspname, c.relname) INTO qualified
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.oid = table_oid AND c.relkind = 'r' AND c.relpersistence = 'p'
          AND n.nspname NOT IN ('sys', 'information_schema') AND n.nspname NOT LIKE 'pg\_%';
    IF qualified IS NULL OR EXISTS (SELECT FROM pg_trigger t WHERE t.tgrelid = table_oid
                                    AND t.tgname = 'dsql_local_count_inserts') THEN
        RETURN;
    END IF;
    EXECUTE format('CREATE TRIGGER dsql_local_count_inserts AFTER INSERT ON %s REFERENCING NEW TABLE AS '
        'dsql_local_new_rows FOR EACH STATEMENT EXECUTE FUNCTION sys.dsql_local_count_changes()', qualified);
    EXECUTE format('CREATE TRIGGER dsql_local_count_updates AFTER UPDATE ON %s REFERENCING NEW TABLE AS '
        'dsql_local_new_rows FOR EACH STATEMENT EXECUTE FUNCTION sys.dsql_local_count_changes()', qualified);
    EXECUTE format('CREATE TRIGGER dsql_local_count_deletes AFTER DELETE ON %s REFERENCING OLD TABLE AS '
        'dsql_local_old_rows FOR EACH STATEMENT EXECUTE FUNCTION sys.dsql_local_count_changes()', qualified);
    UPDATE pg_trigger t SET tgisinternal = true WHERE t.tgrelid = table_oid AND t.tgname IN
        ('dsql_local_count_inserts', 'dsql_local_count_updates', 'dsql_local_count_deletes');
END $body$;
REVOKE ALL ON FUNCTION sys.dsql_local_attach_limits(oid) FROM PUBLIC;
CREATE OR REPLACE FUNCTION sys.dsql_local_on_create_table() RETURNS event_trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = pg_catalog AS $body$
DECLARE
    created oid;
BEGIN
    FOR created IN SELECT c.objid FROM pg_event_trigger_ddl_commands() c WHERE c.object_type = 'table' LOOP
        PERFORM sys.dsql_local_attach_limits(created);
    END LOOP;
END $body$;
REVOKE ALL ON FUNCTION sys.dsql_local_on_create_table() FROM PUBLIC;
DO $do$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_event_trigger WHERE evtname = 'dsql_local_transaction_limits') THEN
        CREATE EVENT TRIGGER dsql_local_transaction_limits ON ddl_command_end
            WHEN TAG IN ('CREATE TABLE', 'CREATE TABLE AS', 'SELECT INTO')
            EXECUTE FUNCTION sys.dsql_local_on_create_table();
    END IF;
    -- tables of a cluster made from an older template
    PERFORM sys.dsql_local_attach_limits(c.oid) FROM pg_catalog.pg_class c WHERE c.relkind = 'r';
END $do$;
