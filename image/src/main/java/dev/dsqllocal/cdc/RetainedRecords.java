package dev.dsqllocal.cdc;

import dev.dsqllocal.clusters.ClusterStreams;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The records of streams when no Kinesis endpoint is configured: kept in memory for tests to read, at most
 * {@code capacity} per stream (the oldest are dropped first, and counted), until the stream is deleted.
 */
public final class RetainedRecords implements RecordSink {
    public static final int DEFAULT_CAPACITY = 10_000;

    /** What is kept for one stream, for the account that owns it. */
    public record Kept(String accountId, String clusterId, List<byte[]> records, long dropped) {}

    private static final class Buffer {
        final String accountId;
        final String clusterId;
        final ArrayDeque<byte[]> records = new ArrayDeque<>();
        long dropped;

        Buffer(String accountId, String clusterId) {
            this.accountId = accountId;
            this.clusterId = clusterId;
        }
    }

    private final int capacity;
    private final Map<String, Buffer> streams = new ConcurrentHashMap<>();

    public RetainedRecords(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    @Override
    public void deliver(ClusterStreams.Capturing stream, List<byte[]> records) {
        Buffer b = streams.computeIfAbsent(stream.streamId(), id -> new Buffer(stream.accountId(), stream.clusterId()));
        synchronized (b) {
            for (byte[] r : records) {
                if (b.records.size() == capacity) {
                    b.records.removeFirst();
                    b.dropped++;
                }
                b.records.addLast(r);
            }
        }
    }

    @Override
    public void open(ClusterStreams.Capturing stream) {
        streams.computeIfAbsent(stream.streamId(), id -> new Buffer(stream.accountId(), stream.clusterId()));
    }

    @Override
    public void forget(String streamId) {
        streams.remove(streamId);
    }

    /** The records kept for the stream, oldest first. */
    public Optional<Kept> kept(String streamId) {
        Buffer b = streams.get(streamId);
        if (b == null) {
            return Optional.empty();
        }
        synchronized (b) {
            return Optional.of(new Kept(b.accountId, b.clusterId, List.copyOf(b.records), b.dropped));
        }
    }
}
