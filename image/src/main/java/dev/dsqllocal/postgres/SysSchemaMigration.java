package dev.dsqllocal.postgres;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the {@code sys} schema of a running cluster server up to the current template's shape. Clusters on a
 * persistent data directory were copied from whatever template was current when they were created; their
 * {@code sys} objects ({@code sys.jobs}, {@code sys.wait_for_job}, IAM mappings, ...) may be missing or old. The
 * schema SQL is idempotent, so it simply runs again, in one transaction, as the internal superuser, whenever the
 * recorded version differs; a cluster already at the current version costs one query.
 */
final class SysSchemaMigration {
    private static final Logger LOG = LoggerFactory.getLogger(SysSchemaMigration.class);

    private SysSchemaMigration() {}

    /** Migrates the server listening on {@code port} if needed; true when it ran the schema SQL. */
    static boolean apply(int port) throws IOException {
        try (Connection connection = PostgresTemplate.connect(port, PostgresTemplate.SUPERUSER)) {
            if (PostgresTemplate.SYS_SCHEMA_VERSION.equals(recordedVersion(connection))) {
                return false;
            }
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute(PostgresTemplate.SYS_SCHEMA_SQL);
                statement.execute(PostgresTemplate.RECORD_SYS_SCHEMA_VERSION);
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            }
            LOG.info("brought the sys schema on port {} to version {}", port, PostgresTemplate.SYS_SCHEMA_VERSION);
            return true;
        } catch (SQLException e) {
            throw new IOException("could not migrate the sys schema: " + e.getMessage(), e);
        }
    }

    private static String recordedVersion(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            try (ResultSet rs =
                    statement.executeQuery("SELECT to_regclass('sys.dsql_local_schema_version') IS NOT NULL")) {
                if (!rs.next() || !rs.getBoolean(1)) {
                    return null;
                }
            }
            try (ResultSet rs = statement.executeQuery("SELECT max(version) FROM sys.dsql_local_schema_version")) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
