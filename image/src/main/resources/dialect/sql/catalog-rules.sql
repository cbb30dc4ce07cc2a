-- DSQL's catalog rules, enforced inside PostgreSQL where the real types, counts and every protocol path are
-- visible. An event trigger at ddl_command_end, owned by the internal superuser and SECURITY DEFINER, so it runs for
-- every user and sees the whole catalog; raising in it fails (and rolls back) the DDL statement with DSQL's error:
-- object-count limits (schemas, tables, views, sequences, indexes per table), index key types (CREATE INDEX [ASYNC],
-- PRIMARY KEY, UNIQUE), the declared key size and the declared char(n) / varchar(n) limits. The internal
-- superuser's own DDL (template, migrations) is not checked. The limit: and raise: placeholders come from
-- dialect/rules.json. Also ALTER TABLE ASYNC ... VALIDATE CONSTRAINT: sys.dsql_local_validate_constraint_async
-- submits it as a job (sys-schema.sql runs jobs); a violating row fails the job, not the statement. And
-- ALTER TABLE ... DROP COLUMN of a primary-key column, which DSQL refuses.
-- https://docs.aws.amazon.com/aurora-dsql/latest/userguide/CHAP_quotas.html
-- Only the SECURITY DEFINER writers of sys.dsql_local_jobs need job ids.
REVOKE ALL ON FUNCTION sys.dsql_local_new_job_id() FROM PUBLIC;
-- Relations of the user (DSQL counts tables, views and sequences per database).
CREATE OR REPLACE FUNCTION sys.dsql_local_user_relations(kinds "char"[]) RETURNS bigint LANGUAGE sql
    STABLE SET search_path = pg_catalog AS $body$
    SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = ANY (kinds) AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast', 'sys')
      AND n.nspname !~ '^pg_(toast_)?temp_'
$body$;
REVOKE ALL ON FUNCTION sys.dsql_local_user_relations("char"[]) FROM PUBLIC;
-- An index whose key columns (not INCLUDE columns) have a type DSQL cannot index: that type's name.
CREATE OR REPLACE FUNCTION sys.dsql_local_unsupported_key_type(index_oid oid) RETURNS text LANGUAGE sql
    STABLE SET search_path = pg_catalog AS $body$
    SELECT format_type(CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END, NULL)
    FROM pg_index x
    JOIN pg_attribute a ON a.attrelid = x.indexrelid AND a.attnum BETWEEN 1 AND x.indnkeyatts
    JOIN pg_type t ON t.oid = a.atttypid
    WHERE x.indexrelid = index_oid
      AND (CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END) IN
          ('jsonb'::regtype, 'json'::regtype, 'bytea'::regtype, 'interval'::regtype, 'timetz'::regtype)
    ORDER BY a.attnum LIMIT 1
$body$;
REVOKE ALL ON FUNCTION sys.dsql_local_unsupported_key_type(oid) FROM PUBLIC;
CREATE OR REPLACE FUNCTION sys.dsql_local_check_index(index_oid oid) RETURNS void LANGUAGE plpgsql
    SET search_path = pg_catalog AS $body$
DECLARE
    key_type text := sys.dsql_local_unsupported_key_type(index_oid);
BEGIN
    IF key_type IS NOT NULL THEN
        ${raise:index-key-type(type=key_type)};
    END IF;
    -- Declared key size: fixed-width types by their width, char(n)/varchar(n) by n; a key of types
    -- without a declared bound (text, numeric) is limited only when its values are written.
    IF (SELECT sum(CASE WHEN t.typlen > 0 THEN t.typlen
                        WHEN a.atttypid IN ('varchar'::regtype, 'bpchar'::regtype) AND a.atttypmod > 4
                            THEN a.atttypmod - 4
                        ELSE 0 END)
            FROM pg_index x
            JOIN pg_attribute a ON a.attrelid = x.indexrelid AND a.attnum BETWEEN 1 AND x.indnkeyatts
            JOIN pg_type t ON t.oid = a.atttypid
            WHERE x.indexrelid = index_oid) > ${limit:max_declared_key_bytes} THEN
        ${raise:declared-key-size};
    END IF;
END $body$;
REVOKE ALL ON FUNCTION sys.dsql_local_check_index(oid) FROM PUBLIC;
-- Indexes per table: PK, UNIQUE constraints and indexes still building (invalid) all count.
CREATE OR REPLACE FUNCTION sys.dsql_local_check_table(table_oid oid) RETURNS void LANGUAGE plpgsql
    SET search_path = pg_catalog AS $body$
DECLARE
    index_oid oid;
    too_long text;
BEGIN
    IF (SELECT count(*) FROM pg_index x WHERE x.indrelid = table_oid) > ${limit:max_indexes_per_table} THEN
        ${raise:index-count};
    END IF;
    -- ALTER TABLE ... ADD CONSTRAINT ... UNIQUE builds an index that is reported as the table only:
    -- check the table's indexes this transaction made.
    FOR index_oid IN SELECT c.oid FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid
            WHERE x.indrelid = table_oid AND c.xmin = pg_current_xact_id()::xid LOOP
        PERFORM sys.dsql_local_check_index(index_oid);
    END LOOP;
    -- Declared lengths (typmod = n + 4); DSQL refuses them when the table or column is defined.
    SELECT CASE WHEN a.atttypid = 'bpchar'::regtype THEN 'char' ELSE 'varchar' END INTO too_long
        FROM pg_attribute a
        WHERE a.attrelid = table_oid AND a.attnum > 0 AND NOT a.attisdropped
          AND a.xmin = pg_current_xact_id()::xid -- columns this statement defined
          AND ((a.atttypid = 'bpchar'::regtype AND a.atttypmod - 4 > ${limit:max_char_length})
            OR (a.atttypid = 'varchar'::regtype AND a.atttypmod - 4 > ${limit:max_varchar_length}))
        ORDER BY a.attnum LIMIT 1;
    IF too_long = 'char' THEN
        ${raise:char-length};
    ELSIF too_long = 'varchar' THEN
        ${raise:varchar-length};
    END IF;
END $body$;
REVOKE ALL ON FUNCTION sys.dsql_local_check_table(oid) FROM PUBLIC;
CREATE OR REPLACE FUNCTION sys.dsql_local_ddl_end() RETURNS event_trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = pg_catalog AS $body$
DECLARE
    command record;
    checked_counts text[] := '{}';
BEGIN
    IF session_user = '${superuser}' THEN
        RETURN;
    END IF;
    FOR command IN SELECT * FROM pg_event_trigger_ddl_commands() LOOP
        CONTINUE WHEN command.schema_name IN ('pg_catalog', 'information_schema', 'pg_toast', 'sys');
        IF command.object_type = 'schema' AND command.command_tag = 'CREATE SCHEMA'
                AND NOT 'schema' = ANY (checked_counts) THEN
            checked_counts := checked_counts || 'schema'::text;
            -- Besides public and sys (and PostgreSQL's own).
            IF (SELECT count(*) FROM pg_namespace n WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast', 'sys')
                    AND n.nspname <> 'public' AND n.nspname !~ '^pg_(toast_)?temp_') > ${limit:max_schemas} THEN
                ${raise:schema-count};
            END IF;
        ELSIF command.object_type = 'table' THEN
            IF command.command_tag = 'CREATE TABLE' AND NOT 'table' = ANY (checked_counts) THEN
                checked_counts := checked_counts || 'table'::text;
                IF sys.dsql_local_user_relations('{r,p}') > ${limit:max_tables} THEN
                    ${raise:table-count};
                END IF;
            END IF;
            PERFORM sys.dsql_local_check_table(command.objid);
        ELSIF command.object_type = 'view' AND NOT 'view' = ANY (checked_counts) THEN
            checked_counts := checked_counts || 'view'::text;
            IF sys.dsql_local_user_relations('{v}') > ${limit:max_views} THEN
                ${raise:view-count};
            END IF;
        ELSIF command.object_type = 'sequence' AND command.command_tag IN ('CREATE SEQUENCE', 'CREATE TABLE')
                AND NOT 'sequence' = ANY (checked_counts) THEN
            -- Identity columns' sequences count too (a guess: DSQL does not say).
            checked_counts := checked_counts || 'sequence'::text;
            IF sys.dsql_local_user_relations('{S}') > ${limit:max_sequences} THEN
                ${raise:sequence-count};
            END IF;
        ELSIF command.object_type = 'index' THEN
            PERFORM sys.dsql_local_check_index(command.objid);
            PERFORM sys.dsql_local_check_table(x.indrelid) FROM pg_index x
                WHERE x.indexrelid = command.objid;
        END IF;
    END LOOP;
END $body$;
REVOKE ALL ON FUNCTION sys.dsql_local_ddl_end() FROM PUBLIC;
DROP EVENT TRIGGER IF EXISTS dsql_local_ddl_end;
CREATE EVENT TRIGGER dsql_local_ddl_end ON ddl_command_end
    WHEN TAG IN ('CREATE SCHEMA', 'CREATE TABLE', 'ALTER TABLE', 'CREATE VIEW', 'CREATE SEQUENCE',
                 'CREATE INDEX')
    EXECUTE FUNCTION sys.dsql_local_ddl_end();
DROP FUNCTION IF EXISTS sys.dsql_local_record_validation_job(oid, text);
-- Submits the validation of a constraint of a table the caller owns; failure NULL means it will pass.
-- The job type is a guess: DSQL lists constraint-validation jobs in sys.jobs without naming their type.
CREATE OR REPLACE FUNCTION sys.dsql_local_record_validation_job(table_oid oid, failure text, constraint_name text)
    RETURNS text LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $body$
DECLARE
    qualified text;
BEGIN
    SELECT n.nspname || '.' || c.relname INTO qualified
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.oid = table_oid AND pg_has_role(session_user, c.relowner, 'USAGE');
    IF qualified IS NULL THEN
        RAISE EXCEPTION 'relation with OID % does not exist', table_oid USING ERRCODE = '42P01';
    END IF;
    RETURN sys.dsql_local_submit_job('CONSTRAINT_VALIDATION', table_oid, qualified, failure, constraint_name);
END $body$;
-- ALTER TABLE ASYNC ... VALIDATE CONSTRAINT: the validation is tried at once, as the caller, and undone. Errors
-- about the statement (no such table or constraint, not the owner) are the statement's; a row that violates the
-- constraint decides that the job fails. The constraint stays NOT VALID until the job runs (and when it fails),
-- as in DSQL.
CREATE OR REPLACE FUNCTION sys.dsql_local_validate_constraint_async(statement text, table_name text)
    RETURNS TABLE (job_id text) LANGUAGE plpgsql AS $body$
DECLARE
    table_oid oid := to_regclass(table_name);
    pending name[];
    validated name[];
    failure text;
BEGIN
    IF table_oid IS NULL THEN
        EXECUTE statement; -- PostgreSQL's own error for the missing table (a NOTICE for IF EXISTS)
        job_id := NULL;
        RETURN NEXT;
        RETURN;
    END IF;
    SELECT coalesce(array_agg(c.conname), '{}') INTO pending FROM pg_catalog.pg_constraint c
        WHERE c.conrelid = table_oid AND NOT c.convalidated;
    BEGIN
        EXECUTE statement;
        SELECT coalesce(array_agg(c.conname), '{}') INTO validated FROM pg_catalog.pg_constraint c
            WHERE c.conrelid = table_oid AND c.convalidated AND c.conname = ANY (pending);
        RAISE EXCEPTION 'dsql_local: trial validation' USING ERRCODE = 'P0001'; -- undoes the trial
    EXCEPTION
        WHEN integrity_constraint_violation THEN
            failure := SQLERRM;
        WHEN raise_exception THEN
            IF SQLERRM <> 'dsql_local: trial validation' THEN
                RAISE;
            END IF;
    END;
    job_id := sys.dsql_local_record_validation_job(table_oid, failure, validated[1]);
    RETURN NEXT;
END $body$;
-- ALTER TABLE ... DROP COLUMN of a primary-key column: PostgreSQL drops the key with the column, DSQL refuses.
-- By sql_drop time the key is gone from the catalog, so the primary-key columns (table oid:attnum) are noted when
-- an ALTER TABLE starts, for the rest of the transaction.
CREATE OR REPLACE FUNCTION sys.dsql_local_alter_table_start() RETURNS event_trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = pg_catalog AS $body$
BEGIN
    IF session_user = '${superuser}' THEN
        RETURN;
    END IF;
    PERFORM set_config('dsql_local.primary_key_columns', coalesce((SELECT string_agg(c.conrelid || ':' || k, ',')
        FROM pg_constraint c CROSS JOIN LATERAL unnest(c.conkey) k WHERE c.contype = 'p'), ''), true);
END $body$;
REVOKE ALL ON FUNCTION sys.dsql_local_alter_table_start() FROM PUBLIC;
CREATE OR REPLACE FUNCTION sys.dsql_local_alter_table_drop() RETURNS event_trigger LANGUAGE plpgsql
    SECURITY DEFINER SET search_path = pg_catalog AS $body$
DECLARE
    key_columns text[] := string_to_array(current_setting('dsql_local.primary_key_columns', true), ',');
    dropped record;
BEGIN
    IF session_user = '${superuser}' OR key_columns IS NULL THEN
        RETURN;
    END IF;
    FOR dropped IN SELECT * FROM pg_event_trigger_dropped_objects() d
            WHERE d.object_type = 'table column' AND d.original LOOP
        IF (dropped.objid || ':' || dropped.objsubid) = ANY (key_columns) THEN
            ${raise:drop-primary-key-column(column=dropped.address_names[3])};
        END IF;
    END LOOP;
END $body$;
REVOKE ALL ON FUNCTION sys.dsql_local_alter_table_drop() FROM PUBLIC;
DROP EVENT TRIGGER IF EXISTS dsql_local_alter_table_start;
CREATE EVENT TRIGGER dsql_local_alter_table_start ON ddl_command_start WHEN TAG IN ('ALTER TABLE')
    EXECUTE FUNCTION sys.dsql_local_alter_table_start();
DROP EVENT TRIGGER IF EXISTS dsql_local_alter_table_drop;
CREATE EVENT TRIGGER dsql_local_alter_table_drop ON sql_drop WHEN TAG IN ('ALTER TABLE')
    EXECUTE FUNCTION sys.dsql_local_alter_table_drop();
