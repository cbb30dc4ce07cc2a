package dev.dsqllocal.cdc;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dsqllocal.clusters.ClusterStreams;
import dev.dsqllocal.clusters.DatabaseEndpoint;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream's capture: a thread that reads the stream's logical replication slot, turns each committed
 * transaction into change records and delivers them. The slot's confirmed position moves past a transaction only
 * after its records were delivered, so nothing committed is lost when delivery fails, the emulator stops or
 * PostgreSQL restarts: reading starts again from the slot (records may then be delivered twice: at least once, as
 * DSQL). A failed delivery is retried with backoff; a target stream that does not exist ends the capture and
 * reports KINESIS_STREAM_NOT_FOUND, which AWS documents as unrecoverable.
 */
final class SlotCapture implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(SlotCapture.class);
    /** Schemas whose changes are the emulator's or PostgreSQL's own, never a user's. */
    private static final Set<String> INTERNAL_SCHEMAS = Set.of("sys", "pg_catalog", "information_schema", "pg_toast");
    /** Prefixes of the dialect's own objects in user schemas (see the dialect's InternalNames). */
    private static final List<String> INTERNAL_TABLE_PREFIXES = List.of("dsql_local_", "dsql_l0cal_");

    private static final long MAX_BACKOFF_MILLIS = 5_000;

    /** Reports a stream whose target cannot recover. */
    @FunctionalInterface
    interface Failures {
        void fail(String clusterId, String streamId, String reason);
    }

    private final ClusterStreams.Capturing stream;
    private final String slot;
    private final String user;
    private final Supplier<java.util.Optional<DatabaseEndpoint>> endpoint;
    private final RecordSink sink;
    private final ChangeRecordWriter writer;
    private final Failures failures;
    private final Clock clock;
    private volatile boolean running = true;
    private volatile Connection replication;
    private final Thread thread;

    SlotCapture(
            ClusterStreams.Capturing stream,
            String slot,
            String user,
            Supplier<java.util.Optional<DatabaseEndpoint>> endpoint,
            RecordSink sink,
            ObjectMapper json,
            int splitThreshold,
            Failures failures,
            Clock clock) {
        this.stream = stream;
        this.slot = slot;
        this.user = user;
        this.endpoint = endpoint;
        this.sink = sink;
        this.writer = new ChangeRecordWriter(json, splitThreshold);
        this.failures = failures;
        this.clock = clock;
        this.thread = new Thread(this, "cdc-" + stream.streamId());
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Stops reading (the slot keeps the position of the last delivered transaction) and waits for the thread. */
    void stop() {
        running = false;
        Connection c = replication;
        if (c != null) {
            try {
                c.close(); // ends a blocking read
            } catch (SQLException e) {
                LOG.debug("closing the replication connection of stream {}", stream.streamId(), e);
            }
        }
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean isRunning() {
        return thread.isAlive();
    }

    @Override
    public void run() {
        long backoff = 100;
        while (running) {
            try {
                DatabaseEndpoint db = endpoint.get().orElse(null);
                if (db == null) {
                    pause(500); // the cluster's PostgreSQL is (re)starting
                    continue;
                }
                if (capture(db)) {
                    return; // the target is gone: the stream FAILED
                }
                backoff = 100;
            } catch (SQLException | RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warn("Stream {}: reading changes failed ({}); retrying in {} ms", stream.streamId(), e, backoff);
                pause(backoff);
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
            }
        }
    }

    /** Reads and delivers until stopped; true when the target does not exist. */
    private boolean capture(DatabaseEndpoint db) throws SQLException {
        String url = "jdbc:postgresql://" + db.host() + ":" + db.port() + "/postgres";
        Properties catalogProps = new Properties();
        PGProperty.USER.set(catalogProps, user);
        PGProperty.APPLICATION_NAME.set(catalogProps, "dsql-local-cdc");
        Properties replicationProps = new Properties();
        PGProperty.USER.set(replicationProps, user);
        PGProperty.REPLICATION.set(replicationProps, "database");
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(replicationProps, "16");
        PGProperty.PREFER_QUERY_MODE.set(replicationProps, "simple");
        PGProperty.APPLICATION_NAME.set(replicationProps, "dsql-local-cdc");
        try (Connection catalog = DriverManager.getConnection(url, catalogProps);
                Connection conn = DriverManager.getConnection(url, replicationProps)) {
            replication = conn;
            if (!running) {
                return false;
            }
            PrimaryKeys keys = new PrimaryKeys(catalog);
            PGReplicationStream in = conn.unwrap(PGConnection.class)
                    .getReplicationAPI()
                    .replicationStream()
                    .logical()
                    .withSlotName(slot)
                    .withSlotOption("include-xids", true)
                    .withSlotOption("include-timestamp", true)
                    .withSlotOption("skip-empty-xacts", true)
                    .withStatusInterval(1, TimeUnit.SECONDS)
                    .start();
            Map<String, Set<String>> columnsSeen = new HashMap<>();
            TransactionWriteSet tx = null;
            while (running) {
                ByteBuffer message = in.read();
                if (message == null) {
                    continue;
                }
                String line = new String(
                        message.array(),
                        message.arrayOffset() + message.position(),
                        message.remaining(),
                        StandardCharsets.UTF_8);
                DecodedLine decoded = TestDecodingParser.parse(line);
                if (decoded instanceof DecodedLine.Begin) {
                    tx = new TransactionWriteSet(keys::of);
                } else if (decoded instanceof DecodedLine.Change change) {
                    if (tx != null && isUserTable(change)) {
                        noticeSchemaChange(change, columnsSeen, keys);
                        tx.add(change);
                    }
                } else if (decoded instanceof DecodedLine.Commit commit) {
                    LogSequenceNumber lsn = in.getLastReceiveLSN();
                    if (tx != null && !tx.isEmpty()) {
                        ChangeRecordWriter.Transaction t = ChangeRecordWriter.Transaction.of(
                                stream.clusterId(), commit.xid(), lsn.asLong(), commit.committedAt());
                        Instant now = clock.instant();
                        List<byte[]> records = new ArrayList<>();
                        for (TransactionWriteSet.RowChange change : tx.changes()) {
                            records.addAll(writer.write(t, change, now));
                        }
                        if (!records.isEmpty() && !deliver(records, in)) {
                            return true;
                        }
                    }
                    tx = null;
                    in.setFlushedLSN(lsn);
                    in.setAppliedLSN(lsn);
                }
            }
            return false;
        } finally {
            replication = null;
        }
    }

    private static boolean isUserTable(DecodedLine.Change change) {
        return !INTERNAL_SCHEMAS.contains(change.schema())
                && INTERNAL_TABLE_PREFIXES.stream().noneMatch(change.table()::startsWith);
    }

    /** A table whose columns changed (DDL) may be a new table under the old name: read its key again. */
    private static void noticeSchemaChange(
            DecodedLine.Change change, Map<String, Set<String>> columnsSeen, PrimaryKeys keys) {
        if (change.newRow().isEmpty()) {
            return;
        }
        Set<String> columns = new java.util.HashSet<>();
        change.newRow().forEach(c -> columns.add(c.name()));
        Set<String> before = columnsSeen.put(change.schema() + '.' + change.table(), columns);
        if (before != null && !before.equals(columns)) {
            keys.forget(change.schema(), change.table());
        }
    }

    /**
     * Delivers, retrying with backoff until it succeeds or the capture stops; false when it did not deliver. The
     * replication connection is kept alive meanwhile (PostgreSQL ends a silent one after wal_sender_timeout).
     */
    private boolean deliver(List<byte[]> records, PGReplicationStream in) throws SQLException {
        long backoff = 100;
        while (running) {
            try {
                sink.deliver(stream, records);
                return true;
            } catch (RecordSink.DeliveryException e) {
                if (e.targetMissing()) {
                    LOG.warn(
                            "Stream {}: {}; status FAILED (KINESIS_STREAM_NOT_FOUND)",
                            stream.streamId(),
                            e.getMessage());
                    failures.fail(stream.clusterId(), stream.streamId(), "KINESIS_STREAM_NOT_FOUND");
                    running = false;
                    return false;
                }
                LOG.warn(
                        "Stream {}: delivery failed ({}); retrying in {} ms",
                        stream.streamId(),
                        e.getMessage(),
                        backoff);
                pause(backoff);
                backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
                in.forceUpdateStatus();
            }
        }
        return false;
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            running = false;
        }
    }
}
