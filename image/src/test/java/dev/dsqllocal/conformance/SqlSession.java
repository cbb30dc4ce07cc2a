package dev.dsqllocal.conformance;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.CachedQuery;
import org.postgresql.core.Field;
import org.postgresql.core.Query;
import org.postgresql.core.QueryExecutor;
import org.postgresql.core.ResultCursor;
import org.postgresql.core.ResultHandlerBase;
import org.postgresql.core.Tuple;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * A real pgJDBC connection that runs one step and records the server's answer exactly.
 *
 * <p>JDBC's public API drops the command tag (it keeps only update counts), and the tag is part of what DSQL
 * answers ({@code CREATE INDEX} for an async index that returns a row, {@code ROLLBACK} for a COMMIT of an
 * aborted transaction). So steps go through pgJDBC's own {@link QueryExecutor} with a result handler that keeps
 * every CommandComplete: the same driver code and wire messages as {@code Statement.execute}, nothing hand-made.
 * Autocommit stays on, so the driver never adds a BEGIN of its own; transactions are the steps' own SQL.
 */
final class SqlSession implements AutoCloseable {
    private final Connection connection;
    private final QueryExecutor executor;
    private final boolean simple;

    /** {@code simple}: the connection was opened with pgJDBC's {@code preferQueryMode=simple}. */
    SqlSession(Connection connection, boolean simple) throws SQLException {
        this.connection = connection;
        this.simple = simple;
        this.executor =
                connection.unwrap(PGConnection.class) instanceof BaseConnection base ? base.getQueryExecutor() : null;
        if (executor == null) {
            throw new SQLException("not a pgJDBC BaseConnection: " + connection);
        }
        connection.setAutoCommit(true);
    }

    /**
     * Runs {@code sql} as one simple Query message (a simple-mode session; may hold several statements) or through
     * the extended protocol (Parse/Bind/Describe/Execute/Sync, unnamed statement) and returns what came back.
     */
    StepOutcome run(String sql) throws SQLException {
        // createQuery is what Statement.execute uses: in simple mode it keeps "a; b" whole (one Query message,
        // one implicit transaction, as psql -c sends it); in extended mode it splits like pgJDBC always does.
        CachedQuery cached = executor.createQuery(sql, false, false);
        Query query = cached.query;
        int flags = QueryExecutor.QUERY_ONESHOT
                | QueryExecutor.QUERY_NO_BINARY_TRANSFER
                | QueryExecutor.QUERY_BOTH_ROWS_AND_STATUS
                | QueryExecutor.QUERY_SUPPRESS_BEGIN
                | (simple ? QueryExecutor.QUERY_EXECUTE_AS_SIMPLE : 0);
        Recorder recorder = new Recorder();
        try {
            executor.execute(query, query.createParameterList(), recorder, 0, 0, flags);
        } finally {
            executor.releaseQuery(cached);
        }
        return recorder.outcome;
    }

    boolean simple() {
        return simple;
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }

    /** Keeps tags, the last result set, and the first server error with all its fields. */
    private static final class Recorder extends ResultHandlerBase {
        final StepOutcome outcome = new StepOutcome();

        @Override
        public void handleResultRows(Query fromQuery, Field[] fields, List<Tuple> tuples, ResultCursor cursor) {
            List<String> columns = new ArrayList<>();
            for (Field f : fields) {
                columns.add(f.getColumnLabel());
            }
            List<List<String>> rows = new ArrayList<>();
            for (Tuple t : tuples) {
                List<String> row = new ArrayList<>();
                for (int i = 0; i < t.fieldCount(); i++) {
                    byte[] v = t.get(i);
                    row.add(v == null ? null : new String(v, StandardCharsets.UTF_8));
                }
                rows.add(row);
            }
            outcome.columns = columns;
            outcome.rows = rows;
        }

        @Override
        public void handleCommandStatus(String status, long updateCount, long insertOID) {
            outcome.tags.add(status);
        }

        @Override
        public void handleError(SQLException error) {
            if (!outcome.failed()) {
                ServerErrorMessage server = error instanceof PSQLException p ? p.getServerErrorMessage() : null;
                if (server != null) {
                    outcome.sqlstate = server.getSQLState();
                    outcome.message = server.getMessage();
                    outcome.hint = server.getHint();
                    outcome.detail = server.getDetail();
                } else {
                    outcome.sqlstate = error.getSQLState();
                    outcome.message = "(client-side) " + error.getMessage();
                }
            }
        }

        @Override
        public void handleCompletion() {
            // errors are part of the outcome, never thrown
        }
    }
}
