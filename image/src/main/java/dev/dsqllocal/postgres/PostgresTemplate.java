package dev.dsqllocal.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The initialised data directory every new cluster starts as a copy of: {@code initdb} (UTF-8, C collation as in
 * Aurora DSQL), the emulator's server settings, and the bootstrap SQL (the non-superuser {@code admin} role owning
 * database {@code postgres} and schema {@code public}, and DSQL's {@code sys} schema). Built once per cache directory and settings, in
 * {@code <cacheDir>/template-<key>}; the key changes whenever anything that goes into the template changes.
 */
final class PostgresTemplate {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresTemplate.class);

    /** Top-level files of a data directory that a copy must not inherit. */
    static final Set<String> NOT_COPIED = Set.of(PostgresServer.LOG_FILE, PostmasterPidFile.NAME, "postmaster.opts");

    /** The internal superuser (the gateway and the dialect layer use it; users never do). */
    static final String SUPERUSER = "postgres";
    /** The role users connect as, as in Aurora DSQL. */
    static final String ADMIN = "admin";

    /*
     * 1 MB WAL segments instead of 16 MB: a fresh cluster's WAL is a segment or two, so copying the template (and
     * thus creating a cluster) moves ~15 MB less. Nothing user-visible depends on the segment size.
     */
    private static final List<String> INITDB_ARGS = List.of(
            "-U", SUPERUSER, "-E", "UTF8", "--locale=C", "--auth=trust", "--wal-segsize=1",
            // while initdb runs, delete used WAL segments instead of recycling them: 3 fewer segments to copy
            // (SERVER_SETTINGS, appended after initdb's lines, restores both for the clusters)
            "-c", "wal_recycle=off", "-c", "min_wal_size=2MB");

    /*
     * Appended to postgresql.conf. Loopback only, no Unix socket (PostgresServer adds one in the data directory for
     * the gateway when the path allows it), UTC and
     * REPEATABLE READ as Aurora DSQL; modest memory so 20+ clusters fit on a laptop; stderr goes to server.log.
     * DSQL's session parameter disable_sync_create_index lives in PostgreSQL as a custom setting (the dialect
     * rewrites its SET/RESET/SHOW); it needs its default here, or SHOW before any SET fails with 42704.
     */
    static final String SERVER_SETTINGS = String.join("\n",
            "",
            "# --- DSQL Local ---",
            "listen_addresses = '127.0.0.1'",
            "unix_socket_directories = ''",
            "timezone = 'UTC'",
            "log_timezone = 'UTC'",
            "default_transaction_isolation = 'repeatable read'",
            "dsql_local.disable_sync_create_index = on",
            "max_connections = 100",
            "shared_buffers = 16MB",
            "work_mem = 4MB",
            "maintenance_work_mem = 16MB",
            "huge_pages = off",
            "min_wal_size = 8MB",
            "wal_recycle = on",
            "max_wal_size = 256MB",
            "logging_collector = off",
            "log_destination = 'stderr'",
            "log_line_prefix = '%m [%p] '",
            "");

    /**
     * Everything of the {@code sys} schema, written to be run again on a cluster made from an older template
     * ({@code IF NOT EXISTS}, {@code CREATE OR REPLACE}); {@link SysSchemaMigration} does that when a server starts
     * and the version recorded in {@code sys.dsql_local_schema_version} differs from {@link #SYS_SCHEMA_VERSION}.
     */
    static final String SYS_SCHEMA_SQL = sysSchema();

    /** Changes whenever {@link #SYS_SCHEMA_SQL} does. */
    static final String SYS_SCHEMA_VERSION = sha256(SYS_SCHEMA_SQL);

    /** Records the version the {@code sys} schema was brought to (run after {@link #SYS_SCHEMA_SQL}). */
    static final String RECORD_SYS_SCHEMA_VERSION = """
            CREATE TABLE IF NOT EXISTS sys.dsql_local_schema_version (version text NOT NULL);
            REVOKE ALL ON sys.dsql_local_schema_version FROM PUBLIC;
            DELETE FROM sys.dsql_local_schema_version;
            INSERT INTO sys.dsql_local_schema_version VALUES ('{version}');
            """.replace("{version}", SYS_SCHEMA_VERSION);

    private static final String BOOTSTRAP_SQL = String.join("\n",
            "CREATE ROLE " + ADMIN + " WITH LOGIN CREATEROLE;",
            "ALTER DATABASE postgres OWNER TO " + ADMIN + ";",
            "ALTER SCHEMA public OWNER TO " + ADMIN + ";",
            SYS_SCHEMA_SQL,
            RECORD_SYS_SCHEMA_VERSION);

    /**
     * DSQL's {@code sys} schema (COMPAT.md §7, §8), owned by the internal superuser so users can read but not
     * change it: {@code sys.jobs} over a table only a SECURITY DEFINER function writes, {@code sys.wait_for_job},
     * {@code sys.dsql_major_version()}, and the function the dialect layer turns {@code CREATE INDEX ASYNC} into
     * ({@code dev.dsqllocal.dialect.IndexBuildRewriter}), then the IAM mappings and the catalog rules
     * ({@link SysDialectObjects}). Job ids are DSQL's: the unpadded lower-case RFC 4648 base32 form of a random UUID
     * (26 characters). Users never name the {@code sys.dsql_local_*} objects: the gateway hides them
     * ({@code dev.dsqllocal.dialect.InternalNames}).
     */
    private static String sysSchema() {
        return """
            CREATE SCHEMA IF NOT EXISTS sys AUTHORIZATION {superuser};
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
            """.replace("{superuser}", SUPERUSER) + iamMappings() + SysDialectObjects.SQL + transactionLimits()
                + versionFunction();
    }

    /**
     * IAM role mappings (COMPAT.md §3): {@code AWS IAM GRANT/REVOKE} become {@code CALL}s of the two SECURITY
     * DEFINER procedures below ({@code dev.dsqllocal.dialect.IamStatementRewriter}), the only writers of the
     * mapping table; the gateway reads it at login ({@code IamRoleMappings}). A mapped role is granted SELECT on
     * the empty, column-less table {@code sys.dsql_local_iam_trust}: a privilege PostgreSQL records as a
     * dependency, so it refuses {@code DROP ROLE} itself ({@code 2BP01 role "x" cannot be dropped because some
     * objects depend on it}) until the last mapping of the role is revoked.
     */
    private static String iamMappings() {
        return """
            CREATE SEQUENCE IF NOT EXISTS sys.dsql_local_iam_oid_seq START 26000;
            REVOKE ALL ON sys.dsql_local_iam_oid_seq FROM PUBLIC;
            CREATE TABLE IF NOT EXISTS sys.dsql_local_iam_mappings (
                iam_oid oid PRIMARY KEY DEFAULT nextval('sys.dsql_local_iam_oid_seq')::oid,
                arn text NOT NULL, pg_role_oid oid NOT NULL, grantor_pg_role_oid oid NOT NULL,
                UNIQUE (arn, pg_role_oid));
            REVOKE ALL ON sys.dsql_local_iam_mappings FROM PUBLIC;
            CREATE TABLE IF NOT EXISTS sys.dsql_local_iam_trust ();
            REVOKE ALL ON sys.dsql_local_iam_trust FROM PUBLIC;
            CREATE OR REPLACE VIEW sys.iam_pg_role_mappings AS
                SELECT m.iam_oid, m.arn, m.pg_role_oid, r.rolname AS pg_role_name, m.grantor_pg_role_oid,
                       g.rolname AS grantor_pg_role_name
                FROM sys.dsql_local_iam_mappings m
                JOIN pg_catalog.pg_roles r ON r.oid = m.pg_role_oid
                LEFT JOIN pg_catalog.pg_roles g ON g.oid = m.grantor_pg_role_oid;
            GRANT SELECT ON sys.iam_pg_role_mappings TO PUBLIC;
            -- Rules shared by GRANT and REVOKE; answers the role's oid. Only admin may change IAM trust.
            CREATE OR REPLACE FUNCTION sys.dsql_local_iam_target(verb text, role_name text, arn text)
                RETURNS oid LANGUAGE plpgsql STABLE SET search_path = pg_catalog AS $body$
            DECLARE
                target pg_roles%ROWTYPE;
            BEGIN
                IF session_user <> '{admin}' THEN
                    RAISE EXCEPTION 'permission denied to % IAM trust with role %', verb, role_name
                        USING ERRCODE = '42501';
                END IF;
                SELECT * INTO target FROM pg_roles r WHERE r.rolname = role_name;
                IF NOT FOUND OR target.rolname = '{superuser}' THEN
                    RAISE EXCEPTION 'Role % does not exist', role_name USING ERRCODE = '42704';
                END IF;
                IF target.rolname = '{admin}' OR target.rolsuper THEN
                    RAISE EXCEPTION 'Cannot establish trust with role %', role_name USING ERRCODE = '42501';
                END IF;
                IF verb = 'grant' AND NOT target.rolcanlogin THEN
                    RAISE EXCEPTION 'role % must have the LOGIN attribute', role_name USING ERRCODE = '22023';
                END IF;
                IF arn IS NULL OR arn !~ '^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/[A-Za-z0-9+=,.@_/-]+$' THEN
                    RAISE EXCEPTION 'IAM role must look like an IAM ARN' USING ERRCODE = '22023';
                END IF;
                RETURN target.oid;
            END $body$;
            REVOKE ALL ON FUNCTION sys.dsql_local_iam_target(text, text, text) FROM PUBLIC;
            CREATE OR REPLACE PROCEDURE sys.dsql_local_iam_grant(role_name text, arn text)
                LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $body$
            DECLARE
                role_oid oid := sys.dsql_local_iam_target('grant', role_name, arn);
            BEGIN
                INSERT INTO sys.dsql_local_iam_mappings (arn, pg_role_oid, grantor_pg_role_oid)
                    SELECT arn, role_oid, r.oid FROM pg_roles r WHERE r.rolname = session_user
                    ON CONFLICT DO NOTHING;
                EXECUTE format('GRANT SELECT ON sys.dsql_local_iam_trust TO %I', role_name);
            END $body$;
            CREATE OR REPLACE PROCEDURE sys.dsql_local_iam_revoke(role_name text, arn text)
                LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $body$
            DECLARE
                role_oid oid := sys.dsql_local_iam_target('revoke', role_name, arn);
            BEGIN
                DELETE FROM sys.dsql_local_iam_mappings m WHERE m.arn = dsql_local_iam_revoke.arn
                    AND m.pg_role_oid = role_oid;
                IF NOT EXISTS (SELECT FROM sys.dsql_local_iam_mappings m WHERE m.pg_role_oid = role_oid) THEN
                    EXECUTE format('REVOKE SELECT ON sys.dsql_local_iam_trust FROM %I', role_name);
                END IF;
            END $body$;
            """.replace("{superuser}", SUPERUSER).replace("{admin}", ADMIN);
    }

    /**
     * DSQL's per-transaction write limits (COMPAT.md §5), enforced by PostgreSQL itself so that every protocol path
     * (simple Query, multi-statement implicit transactions, Parse/Bind/Execute up to Sync, pgJDBC batches, COPY)
     * and every transaction shape (autocommit or BEGIN ... COMMIT) is covered, and nothing is ever half-applied:
     * <ul>
     *   <li><b>Counting.</b> An event trigger gives every ordinary permanent table outside {@code sys} and the
     *       catalogs three statement-level AFTER triggers (INSERT, UPDATE, DELETE) with transition tables. They add
     *       the rows the statement really wrote (rows skipped by ON CONFLICT DO NOTHING are not in the transition
     *       table; index entries are not rows) to transaction-local custom settings. Statement-level, so a
     *       statement costs one trigger call however many rows it writes; nothing runs for a SELECT.</li>
     *   <li><b>3,000 rows.</b> The statement that takes the transaction past 3,000 rows fails with
     *       {@code 54000 transaction row limit exceeded}; PostgreSQL then aborts the transaction (implicit ones
     *       roll back at once).</li>
     *   <li><b>10 MiB at COMMIT.</b> "Data modified" is approximated as: per inserted or updated row, the size of
     *       the new row version ({@code pg_column_size} of the row as written, before TOAST compression) plus 32
     *       bytes of per-row overhead; per deleted row, 32 bytes. Secondary index entries are not counted (their
     *       keys would need a catalog lookup per statement). The statement that takes the total past 10 MiB
     *       queues a deferred constraint trigger (a row in {@code sys.dsql_local_size_guard}, which therefore never
     *       commits), so the error comes at COMMIT, or at the implicit commit of an autocommit statement, and the
     *       whole transaction rolls back.</li>
     *   <li>The triggers are marked internal ({@code tgisinternal}), as PostgreSQL's own constraint triggers are:
     *       psql's {@code \d}, {@code information_schema.triggers} and pg_dump do not show them.</li>
     *   <li>With {@code --dialect off} the server runs with {@code dsql_local.dialect=off} and the triggers do
     *       nothing (plain PostgreSQL).</li>
     * </ul>
     * The gateway's dialect layer removes PostgreSQL's CONTEXT (the trigger function) from these errors.
     */
    private static String transactionLimits() {
        return """
            CREATE TABLE IF NOT EXISTS sys.dsql_local_size_guard (xid xid8 NOT NULL);
            REVOKE ALL ON sys.dsql_local_size_guard FROM PUBLIC;
            CREATE OR REPLACE FUNCTION sys.dsql_local_size_limit_exceeded() RETURNS trigger LANGUAGE plpgsql AS $body$
            DECLARE
                bytes bigint := coalesce(nullif(pg_catalog.current_setting('dsql_local.transaction_bytes', true), ''),
                    '0')::bigint;
            BEGIN
                RAISE EXCEPTION 'transaction size limit 10mb exceeded' USING ERRCODE = '54000',
                    DETAIL = pg_catalog.format('Current transaction size %smb > 10mb', pg_catalog.ceil(bytes / 1048576.0));
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
                total_rows := coalesce(nullif(pg_catalog.current_setting('dsql_local.transaction_rows', true), ''),
                    '0')::bigint + changed;
                IF total_rows > 3000 THEN
                    RAISE EXCEPTION 'transaction row limit exceeded' USING ERRCODE = '54000';
                END IF;
                bytes_before := coalesce(nullif(pg_catalog.current_setting('dsql_local.transaction_bytes', true), ''),
                    '0')::bigint;
                ignored := pg_catalog.set_config('dsql_local.transaction_rows', total_rows::text, true);
                ignored := pg_catalog.set_config('dsql_local.transaction_bytes', (bytes_before + written)::text, true);
                IF bytes_before <= 10485760 AND bytes_before + written > 10485760 THEN
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
                      AND n.nspname NOT IN ('sys', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%';
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
            """;
    }

    /**
     * {@code SELECT version()} answers DSQL's short {@code PostgreSQL 16} (COMPAT.md §2) everywhere, also inside
     * views and SQL functions, because the catalog function itself is replaced (same OID, so existing references
     * keep working); clients that look at the version (pgJDBC, psql, the AWS JDBC connector) read
     * {@code server_version} from ParameterStatus, which stays PostgreSQL's 16.15. With {@code --dialect off}
     * ({@code dsql_local.dialect=off}) it answers PostgreSQL's own string again.
     */
    private static String versionFunction() {
        return """
            CREATE OR REPLACE FUNCTION sys.dsql_local_postgres_version() RETURNS text LANGUAGE internal STABLE
                PARALLEL SAFE AS 'pgsql_version';
            CREATE OR REPLACE FUNCTION pg_catalog.version() RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $body$
                SELECT CASE WHEN pg_catalog.current_setting('dsql_local.dialect', true) = 'off'
                            THEN sys.dsql_local_postgres_version() ELSE 'PostgreSQL 16' END
            $body$;
            """;
    }

    /** No recycled WAL segments while building: the template then holds only the segment it needs, less to copy. */
    /*
     * Sorted, not Map.of: the settings take part in the template key, and Map.of's iteration order changes from one
     * JVM run to the next, which made about half of all starts miss the prepared template and rebuild it.
     */
    private static final SortedMap<String, String> BOOTSTRAP_SERVER_SETTINGS =
            Collections.unmodifiableSortedMap(new TreeMap<>(Map.of("min_wal_size", "2MB", "wal_recycle", "off")));

    private static final Duration STALE_BUILD_AGE = Duration.ofMinutes(30);

    private PostgresTemplate() {
    }

    /** The template directory for these binaries in {@code cacheDir}, built first if it does not exist yet. */
    static Path ensure(Path cacheDir, PostgresPrograms programs) throws IOException {
        Path template = cacheDir.resolve("template-" + key(programs.binaries()));
        // Appears only by an atomic rename of a finished build, so existing means complete.
        if (Files.isDirectory(template)) {
            return template;
        }
        removeAbandonedBuilds(cacheDir);
        long started = System.nanoTime();
        Path temp = cacheDir.resolve(template.getFileName() + ".tmp-" + UUID.randomUUID());
        Path initdbLog = cacheDir.resolve(temp.getFileName() + ".initdb.log");
        try {
            Files.createDirectory(temp);
            programs.user().prepareDataDirectory(temp);
            programs.run("initdb", concat(List.of("-D", temp.toString()), INITDB_ARGS), initdbLog, 120);
            Files.writeString(temp.resolve("postgresql.conf"), SERVER_SETTINGS, StandardCharsets.UTF_8,
                    StandardOpenOption.APPEND);
            bootstrap(programs, temp);
            for (String name : NOT_COPIED) {
                Files.deleteIfExists(temp.resolve(name));
            }
            // Only ever copied from, never started again: readable by all, so a template prepared by one user
            // (e.g. root while building the Docker image) serves servers run by another.
            FileTrees.makeReadableByAll(temp);
            try {
                Files.move(temp, template, StandardCopyOption.ATOMIC_MOVE);
                LOG.info("built the PostgreSQL template {} in {} ms", template, (System.nanoTime() - started) / 1_000_000);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                LOG.debug("another process built the template {} first", template);
            }
        } finally {
            FileTrees.deleteIfExists(temp);
            Files.deleteIfExists(initdbLog);
        }
        return template;
    }

    private static void bootstrap(PostgresPrograms programs, Path dataDir) throws IOException {
        PostgresServer server = PostgresServer.start(programs, dataDir, BOOTSTRAP_SERVER_SETTINGS);
        try (Connection connection = connect(server.port(), SUPERUSER); Statement statement = connection.createStatement()) {
            statement.execute(BOOTSTRAP_SQL);
        } catch (SQLException e) {
            throw new IOException("bootstrap SQL failed on the template: " + e.getMessage(), e);
        } finally {
            server.stop();
        }
        if (server.isRunning()) {
            throw new IOException("the template's server did not stop");
        }
    }

    static Connection connect(int port, String user) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        Connection connection = new org.postgresql.Driver()
                .connect("jdbc:postgresql://" + PostgresServer.HOST + ":" + port + "/postgres", properties);
        if (connection == null) {
            throw new SQLException("pgJDBC did not accept the URL");
        }
        return connection;
    }

    /** A build directory older than any build takes is what a killed emulator left behind. */
    private static void removeAbandonedBuilds(Path cacheDir) throws IOException {
        Instant cutoff = Instant.now().minus(STALE_BUILD_AGE);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(cacheDir, "*.tmp-*")) {
            for (Path entry : entries) {
                FileTime modified = Files.getLastModifiedTime(entry);
                if (modified.toInstant().isBefore(cutoff)) {
                    FileTrees.deleteIfExists(entry);
                }
            }
        }
    }

    /** Changes with anything that shapes the template: binaries, initdb arguments, settings, bootstrap SQL. */
    static String key(PostgresBinaries binaries) {
        return key(binaries.home());
    }

    /** The key for binaries installed at {@code binariesHome}; the same in every JVM run. */
    static String key(Path binariesHome) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : List.of(binariesHome.toString(), String.join(" ", INITDB_ARGS), SERVER_SETTINGS,
                    BOOTSTRAP_SERVER_SETTINGS.toString(), BOOTSTRAP_SQL)) {
                digest.update(part.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
