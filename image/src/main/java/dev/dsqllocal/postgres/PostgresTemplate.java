package dev.dsqllocal.postgres;

import dev.dsqllocal.dialect.database.DialectDatabase;
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
    static final String SUPERUSER = InternalRoles.SUPERUSER;
    /** The role users connect as, as in Aurora DSQL. */
    static final String ADMIN = InternalRoles.ADMIN;

    /*
     * 1 MB WAL segments instead of 16 MB: a fresh cluster's WAL is a segment or two, so copying the template (and
     * thus creating a cluster) moves ~15 MB less. Nothing user-visible depends on the segment size.
     */
    private static final List<String> INITDB_ARGS = List.of(
            "-U",
            SUPERUSER,
            "-E",
            "UTF8",
            "--locale=C",
            "--auth=trust",
            "--wal-segsize=1",
            // while initdb runs, delete used WAL segments instead of recycling them: 3 fewer segments to copy
            // (SERVER_SETTINGS, appended after initdb's lines, restores both for the clusters)
            "-c",
            "wal_recycle=off",
            "-c",
            "min_wal_size=2MB");

    /*
     * Appended to postgresql.conf. Loopback only, no Unix socket (PostgresServer adds one in the data directory for
     * the gateway when the path allows it), UTC and
     * REPEATABLE READ as Aurora DSQL; modest memory so 20+ clusters fit on a laptop; stderr goes to server.log.
     * DSQL's session parameter disable_sync_create_index lives in PostgreSQL as a custom setting (the dialect
     * rewrites its SET/RESET/SHOW); it needs its default here, or SHOW before any SET fails with 42704.
     */
    static final String SERVER_SETTINGS = String.join(
            "\n",
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
     * Everything of the {@code sys} schema: the DSQL dialect's SQL (jobs, IAM mappings, catalog rules, transaction
     * limits, {@code version()}), kept with the rule table it is filled from ({@link DialectDatabase}). Written to
     * be run again on a cluster made from an older template ({@code IF NOT EXISTS}, {@code CREATE OR REPLACE});
     * {@link SysSchemaMigration} does that when a server starts and the version recorded in
     * {@code sys.dsql_local_schema_version} differs from {@link #SYS_SCHEMA_VERSION}.
     */
    static final String SYS_SCHEMA_SQL = DialectDatabase.schemaSql(SUPERUSER, ADMIN);

    /** Changes whenever {@link #SYS_SCHEMA_SQL} does. */
    static final String SYS_SCHEMA_VERSION = sha256(SYS_SCHEMA_SQL);

    /** Records the version the {@code sys} schema was brought to (run after {@link #SYS_SCHEMA_SQL}). */
    static final String RECORD_SYS_SCHEMA_VERSION = """
            CREATE TABLE IF NOT EXISTS sys.dsql_local_schema_version (version text NOT NULL);
            REVOKE ALL ON sys.dsql_local_schema_version FROM PUBLIC;
            DELETE FROM sys.dsql_local_schema_version;
            INSERT INTO sys.dsql_local_schema_version VALUES ('{version}');
            """.replace("{version}", SYS_SCHEMA_VERSION);

    private static final String BOOTSTRAP_SQL = String.join(
            "\n",
            "CREATE ROLE " + ADMIN + " WITH LOGIN CREATEROLE;",
            "ALTER DATABASE postgres OWNER TO " + ADMIN + ";",
            "ALTER SCHEMA public OWNER TO " + ADMIN + ";",
            SYS_SCHEMA_SQL,
            RECORD_SYS_SCHEMA_VERSION);

    /** No recycled WAL segments while building: the template then holds only the segment it needs, less to copy. */
    /*
     * Sorted, not Map.of: the settings take part in the template key, and Map.of's iteration order changes from one
     * JVM run to the next, which made about half of all starts miss the prepared template and rebuild it.
     */
    private static final SortedMap<String, String> BOOTSTRAP_SERVER_SETTINGS =
            Collections.unmodifiableSortedMap(new TreeMap<>(Map.of("min_wal_size", "2MB", "wal_recycle", "off")));

    private static final Duration STALE_BUILD_AGE = Duration.ofMinutes(30);

    private PostgresTemplate() {}

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
            Files.writeString(
                    temp.resolve("postgresql.conf"),
                    SERVER_SETTINGS,
                    StandardCharsets.UTF_8,
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
                LOG.info(
                        "built the PostgreSQL template {} in {} ms",
                        template,
                        (System.nanoTime() - started) / 1_000_000);
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
        try (Connection connection = connect(server.port(), SUPERUSER);
                Statement statement = connection.createStatement()) {
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
            for (String part : List.of(
                    binariesHome.toString(),
                    String.join(" ", INITDB_ARGS),
                    SERVER_SETTINGS,
                    BOOTSTRAP_SERVER_SETTINGS.toString(),
                    BOOTSTRAP_SQL)) {
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
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 16);
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
