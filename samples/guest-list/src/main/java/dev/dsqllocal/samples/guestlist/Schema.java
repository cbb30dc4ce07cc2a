package dev.dsqllocal.samples.guestlist;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates the guest list tables and indexes (idempotent), one statement per transaction as DSQL requires for DDL.
 * {@code CREATE INDEX ASYNC} answers with a {@code job_id} at once; the index is usable when the job is done, so
 * each job is awaited with {@code CALL sys.wait_for_job}, as a DSQL migration must.
 */
public final class Schema {
    private static final String RESOURCE = "schema.sql";

    private Schema() {}

    public static void apply(ConnectionFactory connections) throws SQLException {
        try (Connection connection = connections.open();
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            for (String sql : statements()) {
                if (statement.execute(sql)) {
                    awaitIndexJob(connection, statement.getResultSet());
                }
            }
        }
    }

    private static void awaitIndexJob(Connection connection, ResultSet jobs) throws SQLException {
        String jobId;
        try (jobs) {
            if (!jobs.next()) {
                return;
            }
            jobId = jobs.getString("job_id");
        }
        try (PreparedStatement wait = connection.prepareStatement("CALL sys.wait_for_job(?)")) {
            wait.setString(1, jobId);
            try (ResultSet done = wait.executeQuery()) {
                if (!done.next() || !done.getBoolean("succeeded")) {
                    throw new SQLException("index job " + jobId + " failed; see sys.jobs");
                }
            }
        }
    }

    /** The statements of schema.sql: comment lines dropped, split at semicolons that end a line. */
    static List<String> statements() {
        String script;
        try (InputStream in = Schema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String sql = current.toString().strip();
                statements.add(sql.substring(0, sql.length() - 1));
                current.setLength(0);
            }
        }
        return statements;
    }
}
