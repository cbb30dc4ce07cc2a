package dev.dsqllocal.cdc;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dsqllocal.clusters.ChangeCapture;
import dev.dsqllocal.clusters.ClusterStreams;
import dev.dsqllocal.clusters.DatabaseEndpoint;
import dev.dsqllocal.clusters.DatabaseFleet;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The streams' captures: each stream has a logical replication slot {@code dsql_cdc_<streamId>} (plugin
 * {@code test_decoding}) in its cluster's PostgreSQL, created when the stream is created, so its position is kept
 * with the database (and survives a restart in persistent mode), and dropped when the stream is deleted; and a
 * {@link SlotCapture} thread while the stream captures.
 */
public final class LogicalDecodingCapture implements ChangeCapture {
    static final String SLOT_PREFIX = "dsql_cdc_";

    private final DatabaseFleet fleet;
    private final String user;
    private final RecordSink sink;
    private final int splitThreshold;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, SlotCapture> running = new ConcurrentHashMap<>();
    private volatile SlotCapture.Failures failures = (cluster, stream, reason) -> {};

    /**
     * @param user the cluster databases' superuser (creates slots, reads the catalog and the replication stream)
     * @param sink where records go
     */
    public LogicalDecodingCapture(DatabaseFleet fleet, String user, RecordSink sink, Clock clock) {
        this(fleet, user, sink, ChangeRecordWriter.DSQL_SPLIT_THRESHOLD, clock);
    }

    LogicalDecodingCapture(DatabaseFleet fleet, String user, RecordSink sink, int splitThreshold, Clock clock) {
        this.fleet = fleet;
        this.user = user;
        this.sink = sink;
        this.splitThreshold = splitThreshold;
        this.clock = clock;
    }

    /** Where a stream whose target cannot recover is reported (the domain's {@code ClusterStreams.fail}). */
    public void reportFailuresTo(ClusterStreams streams) {
        this.failures = streams::fail;
    }

    @Override
    public synchronized void start(ClusterStreams.Capturing stream) throws IOException {
        SlotCapture current = running.get(stream.streamId());
        if (current != null && current.isRunning()) {
            return;
        }
        DatabaseEndpoint db = fleet.endpoint(stream.database())
                .orElseThrow(
                        () -> new IOException("the PostgreSQL of cluster " + stream.clusterId() + " is not running"));
        try (Connection c = connect(db)) {
            ensureSlot(c, slotName(stream.streamId()));
        } catch (SQLException e) {
            throw new IOException("cannot create the replication slot of stream " + stream.streamId(), e);
        }
        sink.open(stream);
        SlotCapture capture = new SlotCapture(
                stream,
                slotName(stream.streamId()),
                user,
                () -> fleet.endpoint(stream.database()),
                sink,
                json,
                splitThreshold,
                (cluster, id, reason) -> failures.fail(cluster, id, reason),
                clock);
        running.put(stream.streamId(), capture);
        capture.start();
    }

    @Override
    public void stop(String database, String streamId, boolean discard) {
        SlotCapture capture;
        synchronized (this) {
            capture = running.remove(streamId);
        }
        if (capture != null) {
            capture.stop();
        }
        if (discard) {
            sink.forget(streamId);
            fleet.endpoint(database).ifPresent(db -> dropSlot(db, slotName(streamId)));
        }
    }

    @Override
    public void close() {
        List<SlotCapture> all;
        synchronized (this) {
            all = new ArrayList<>(running.values());
            running.clear();
        }
        all.forEach(SlotCapture::stop);
    }

    static String slotName(String streamId) {
        return SLOT_PREFIX + streamId;
    }

    private Connection connect(DatabaseEndpoint db) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("ApplicationName", "dsql-local-cdc");
        return DriverManager.getConnection("jdbc:postgresql://" + db.host() + ":" + db.port() + "/postgres", p);
    }

    private static void ensureSlot(Connection c, String slot) throws SQLException {
        try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
            exists.setString(1, slot);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (PreparedStatement create =
                c.prepareStatement("SELECT pg_create_logical_replication_slot(?, 'test_decoding')")) {
            create.setString(1, slot);
            create.execute();
        }
    }

    /** Drops the slot, ending a replication connection still on it (a capture that did not stop in time). */
    private void dropSlot(DatabaseEndpoint db, String slot) {
        try (Connection c = connect(db);
                PreparedStatement drop = c.prepareStatement("""
                        SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots
                         WHERE slot_name = ? AND active_pid IS NOT NULL""")) {
            drop.setString(1, slot);
            drop.execute();
            for (int attempt = 0; attempt < 50; attempt++) {
                try (PreparedStatement d = c.prepareStatement(
                        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?")) {
                    d.setString(1, slot);
                    d.execute();
                    return;
                } catch (SQLException e) {
                    // 55006: still active for a moment after its backend was told to end
                    Thread.sleep(100);
                }
            }
        } catch (SQLException e) {
            org.slf4j.LoggerFactory.getLogger(LogicalDecodingCapture.class)
                    .warn("Cannot drop replication slot {}", slot, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
