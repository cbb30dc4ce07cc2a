package dev.dsqllocal.storage;

import dev.dsqllocal.clusters.ClusterStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything the emulator keeps about one cluster, as persisted in the state snapshot. Mutable, guarded by the
 * cluster service's lock; readers outside the lock get a {@link #copy()}.
 */
public final class ClusterRecord {
    public String identifier;
    public String accountId;
    public String region;
    public ClusterStatus status;
    /** Epoch milliseconds. */
    public long creationTime;
    /** When the current status was entered (epoch milliseconds); drives delays across restarts. */
    public long statusSince;
    public boolean deletionProtectionEnabled = true;
    /** Customer-managed key ARN, or null for the AWS-owned key. */
    public String kmsKeyArn;
    /** True while an UpdateCluster that changed the key is in progress (encryptionStatus UPDATING). */
    public boolean encryptionChanging;
    /** Whether multiRegionProperties was given (a multi-Region cluster). */
    public boolean multiRegion;
    public String witnessRegion;
    public List<String> peerClusterArns = new ArrayList<>();
    public Map<String, String> tags = new LinkedHashMap<>();
    public String policy;
    /** Version of the attached policy, 0 when none. */
    public long policyVersion;
    /** Last version ever handed out; versions keep counting up after a delete. */
    public long policyVersionCounter;
    public Map<String, StreamRecord> streams = new LinkedHashMap<>();

    public ClusterRecord copy() {
        ClusterRecord c = new ClusterRecord();
        c.identifier = identifier;
        c.accountId = accountId;
        c.region = region;
        c.status = status;
        c.creationTime = creationTime;
        c.statusSince = statusSince;
        c.deletionProtectionEnabled = deletionProtectionEnabled;
        c.kmsKeyArn = kmsKeyArn;
        c.encryptionChanging = encryptionChanging;
        c.multiRegion = multiRegion;
        c.witnessRegion = witnessRegion;
        c.peerClusterArns = new ArrayList<>(peerClusterArns);
        c.tags = new LinkedHashMap<>(tags);
        c.policy = policy;
        c.policyVersion = policyVersion;
        c.policyVersionCounter = policyVersionCounter;
        c.streams = new LinkedHashMap<>();
        streams.forEach((k, v) -> c.streams.put(k, v.copy()));
        return c;
    }
}
