package dev.dsqllocal.clusters;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A CDC stream of a cluster (immutable). Times are epoch milliseconds; {@code statusSince} is when the current
 * status was entered, so delays survive a restart. {@code failure} is the model's {@code statusReason}: null unless
 * the stream is FAILED (older state files have none).
 */
public record ClusterStream(
        String identifier,
        StreamStatus status,
        long creationTime,
        long statusSince,
        String ordering,
        String format,
        String kinesisStreamArn,
        String roleArn,
        Map<String, String> tags,
        StreamFailure failure) {

    public ClusterStream {
        tags = ordered(tags);
    }

    public ClusterStream withStatus(StreamStatus newStatus, long since) {
        return new ClusterStream(
                identifier, newStatus, creationTime, since, ordering, format, kinesisStreamArn, roleArn, tags, failure);
    }

    /** FAILED since {@code since} for {@code reason} (a StreamFailureErrorCode of the model). */
    public ClusterStream failed(String reason, long since) {
        return new ClusterStream(
                identifier,
                StreamStatus.FAILED,
                creationTime,
                since,
                ordering,
                format,
                kinesisStreamArn,
                roleArn,
                tags,
                new StreamFailure(reason, since));
    }

    public ClusterStream withTags(Map<String, String> newTags) {
        return new ClusterStream(
                identifier,
                status,
                creationTime,
                statusSince,
                ordering,
                format,
                kinesisStreamArn,
                roleArn,
                newTags,
                failure);
    }

    /** An unmodifiable copy that keeps insertion order (tags are listed in the order they were added). */
    static <K, V> Map<K, V> ordered(Map<K, V> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
    }
}
