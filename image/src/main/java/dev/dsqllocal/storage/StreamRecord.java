package dev.dsqllocal.storage;

import java.util.LinkedHashMap;
import java.util.Map;

/** A CDC stream of a cluster, as persisted. */
public final class StreamRecord {
    /** Wire values of StreamStatus. */
    public enum Status { CREATING, ACTIVE, DELETING, DELETED, FAILED, IMPAIRED }

    public String identifier;
    public Status status;
    public long creationTime;
    public long statusSince;
    public String ordering;
    public String format;
    public String kinesisStreamArn;
    public String roleArn;
    public Map<String, String> tags = new LinkedHashMap<>();

    public StreamRecord copy() {
        StreamRecord s = new StreamRecord();
        s.identifier = identifier;
        s.status = status;
        s.creationTime = creationTime;
        s.statusSince = statusSince;
        s.ordering = ordering;
        s.format = format;
        s.kinesisStreamArn = kinesisStreamArn;
        s.roleArn = roleArn;
        s.tags = new LinkedHashMap<>(tags);
        return s;
    }
}
