package dev.dsqllocal.postgres;

import dev.dsqllocal.clusters.DatabaseEndpoint;
import dev.dsqllocal.dialect.AsyncJobs;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the clusters' asynchronous jobs when they are due. A job lives in its cluster's PostgreSQL
 * ({@code sys.dsql_local_jobs}, template's {@code sys-schema.sql}) with the time it is due; this runner only decides
 * when to look: when a session has committed job submissions, at the due time the cluster answers, and once per
 * cluster for jobs left pending by an earlier run of the server. Each look is one short connection as the internal
 * superuser running {@code sys.dsql_local_run_due_jobs()}, so a cluster without jobs costs nothing. A client that
 * calls {@code sys.wait_for_job} does not wait for this runner: the procedure runs the job itself.
 */
public final class AsyncJobRunner implements AsyncJobs {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncJobRunner.class);

    /** A little after the due time, so the job is due when the runner looks. */
    private static final long MARGIN_MILLIS = 5;

    private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
        Thread thread = new Thread(r, "dsql-local-async-jobs");
        thread.setDaemon(true);
        return thread;
    });
    /** Per cluster, the time (nanoTime) of the next look already scheduled. */
    private final Map<String, Long> nextLook = new ConcurrentHashMap<>();

    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private volatile Function<String, Optional<DatabaseEndpoint>> endpoints = id -> Optional.empty();

    public AsyncJobRunner() {
        // The thread ends when there is nothing to do, so an idle or forgotten runner holds no thread.
        executor.setKeepAliveTime(10, TimeUnit.SECONDS);
        executor.allowCoreThreadTimeOut(true);
        executor.setRemoveOnCancelPolicy(true);
    }

    /** Where each cluster's PostgreSQL listens (known once the server has its clusters). */
    public void useEndpoints(Function<String, Optional<DatabaseEndpoint>> endpoints) {
        this.endpoints = endpoints;
    }

    @Override
    public void submitted(String clusterId) {
        lookIn(clusterId, 0);
    }

    @Override
    public void clusterInUse(String clusterId) {
        if (seen.add(clusterId)) {
            lookIn(clusterId, 0);
        }
    }

    private void lookIn(String clusterId, long delayMillis) {
        long at = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
        Long scheduled = nextLook.get(clusterId);
        if (scheduled != null && scheduled - at <= 0) {
            return; // an earlier look is coming; it schedules the next one
        }
        nextLook.put(clusterId, at);
        executor.schedule(() -> look(clusterId, at), delayMillis, TimeUnit.MILLISECONDS);
    }

    private void look(String clusterId, long at) {
        nextLook.remove(clusterId, at);
        Optional<DatabaseEndpoint> endpoint = endpoints.apply(clusterId);
        if (endpoint.isEmpty()) {
            return; // not running: its jobs are looked at when a session uses it again
        }
        try {
            OptionalLong due = runDueJobs(endpoint.get().port());
            if (due.isPresent()) {
                lookIn(clusterId, due.getAsLong() + MARGIN_MILLIS);
            }
        } catch (SQLException e) {
            LOG.debug("could not run the asynchronous jobs of cluster {}: {}", clusterId, e.toString());
        }
    }

    /** Runs the cluster's due jobs; the milliseconds until the next pending one is due, if any. */
    static OptionalLong runDueJobs(int port) throws SQLException {
        try (Connection connection = PostgresTemplate.connect(port, PostgresTemplate.SUPERUSER);
                Statement statement = connection.createStatement()) {
            connection.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            try (ResultSet rs = statement.executeQuery(
                    "SELECT ceil(extract(epoch FROM sys.dsql_local_run_due_jobs()) * 1000)::bigint")) {
                rs.next();
                long millis = rs.getLong(1);
                return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(millis);
            }
        }
    }
}
