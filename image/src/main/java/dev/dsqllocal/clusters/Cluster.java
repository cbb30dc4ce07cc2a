package dev.dsqllocal.clusters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the emulator keeps about one cluster (immutable: a change makes a new value with a {@code with}
 * method). Times are epoch milliseconds.
 *
 * @param statusSince when the current status was entered; drives the delays across restarts
 * @param kmsKeyArn the customer-managed key's ARN, or null for the AWS-owned key
 * @param encryptionChanging true while an UpdateCluster that changed the key is in progress
 * @param multiRegion whether multiRegionProperties was given
 * @param policy the attached resource policy, or null
 * @param policyVersion the attached policy's version, 0 when none
 * @param policyVersionCounter the last version ever handed out; versions keep counting up after a delete
 * @param databaseId the PostgreSQL database (data directory) this cluster serves, or null for its own (named by its
 *     identifier); peered multi-Region clusters name the same one (see {@link Peering})
 */
public record Cluster(
        String identifier,
        String accountId,
        String region,
        ClusterStatus status,
        long creationTime,
        long statusSince,
        boolean deletionProtectionEnabled,
        String kmsKeyArn,
        boolean encryptionChanging,
        boolean multiRegion,
        String witnessRegion,
        List<String> peerClusterArns,
        Map<String, String> tags,
        String policy,
        long policyVersion,
        long policyVersionCounter,
        Map<String, ClusterStream> streams,
        String databaseId) {

    public Cluster {
        peerClusterArns = peerClusterArns == null ? List.of() : List.copyOf(peerClusterArns);
        tags = ClusterStream.ordered(tags);
        streams = ClusterStream.ordered(streams);
    }

    /** A new cluster in {@code status} since {@code now}, without policy, streams or multi-Region properties. */
    static Cluster created(
            String identifier,
            Caller caller,
            ClusterStatus status,
            long now,
            boolean deletionProtection,
            String kmsKeyArn,
            Map<String, String> tags) {
        return new Cluster(
                identifier,
                caller.accountId(),
                caller.region(),
                status,
                now,
                now,
                deletionProtection,
                kmsKeyArn,
                false,
                false,
                null,
                List.of(),
                tags,
                null,
                0,
                0,
                Map.of(),
                null);
    }

    public boolean isIn(Caller caller) {
        return accountId.equals(caller.accountId()) && region.equals(caller.region());
    }

    public Optional<String> policyDocument() {
        return Optional.ofNullable(policy);
    }

    public Cluster withStatus(ClusterStatus newStatus, long since) {
        return new Cluster(
                identifier,
                accountId,
                region,
                newStatus,
                creationTime,
                since,
                deletionProtectionEnabled,
                kmsKeyArn,
                encryptionChanging,
                multiRegion,
                witnessRegion,
                peerClusterArns,
                tags,
                policy,
                policyVersion,
                policyVersionCounter,
                streams,
                databaseId);
    }

    public Cluster withDeletionProtection(boolean enabled) {
        return new Cluster(
                identifier,
                accountId,
                region,
                status,
                creationTime,
                statusSince,
                enabled,
                kmsKeyArn,
                encryptionChanging,
                multiRegion,
                witnessRegion,
                peerClusterArns,
                tags,
                policy,
                policyVersion,
                policyVersionCounter,
                streams,
                databaseId);
    }

    public Cluster withEncryption(String newKmsKeyArn, boolean changing) {
        return new Cluster(
                identifier,
                accountId,
                region,
                status,
                creationTime,
                statusSince,
                deletionProtectionEnabled,
                newKmsKeyArn,
                changing,
                multiRegion,
                witnessRegion,
                peerClusterArns,
                tags,
                policy,
                policyVersion,
                policyVersionCounter,
                streams,
                databaseId);
    }

    public Cluster withMultiRegion(boolean isMultiRegion, String witness, List<String> peers) {
        return new Cluster(
                identifier,
                accountId,
                region,
                status,
                creationTime,
                statusSince,
                deletionProtectionEnabled,
                kmsKeyArn,
                encryptionChanging,
                isMultiRegion,
                witness,
                peers,
                tags,
                policy,
                policyVersion,
                policyVersionCounter,
                streams,
                databaseId);
    }

    public Cluster withTags(Map<String, String> newTags) {
        return new Cluster(
                identifier,
                accountId,
                region,
                status,
                creationTime,
                statusSince,
                deletionProtectionEnabled,
                kmsKeyArn,
                encryptionChanging,
                multiRegion,
                witnessRegion,
                peerClusterArns,
                newTags,
                policy,
                policyVersion,
                policyVersionCounter,
                streams,
                databaseId);
    }

    /** The policy attached with the next version number. */
    public Cluster withPolicy(String document) {
        long version = policyVersionCounter + 1;
        return new Cluster(
                identifier,
                accountId,
                region,
                status,
                creationTime,
                statusSince,
                deletionProtectionEnabled,
                kmsKeyArn,
                encryptionChanging,
                multiRegion,
                witnessRegion,
                peerClusterArns,
                tags,
                document,
                version,
                version,
                streams,
                databaseId);
    }

    /** No policy attached; the version counter keeps its value. */
    public Cluster withoutPolicy() {
        return new Cluster(
                identifier,
                accountId,
                region,
                status,
                creationTime,
                statusSince,
                deletionProtectionEnabled,
                kmsKeyArn,
                encryptionChanging,
                multiRegion,
                witnessRegion,
                peerClusterArns,
                tags,
                null,
                0,
                policyVersionCounter,
                streams,
                databaseId);
    }

    /** The stream added or replaced (by identifier; a new stream goes last). */
    public Cluster withStream(ClusterStream stream) {
        Map<String, ClusterStream> next = new LinkedHashMap<>(streams);
        next.put(stream.identifier(), stream);
        return withStreams(next);
    }

    public Cluster withoutStream(String streamId) {
        Map<String, ClusterStream> next = new LinkedHashMap<>(streams);
        next.remove(streamId);
        return withStreams(next);
    }

    private Cluster withStreams(Map<String, ClusterStream> newStreams) {
        return new Cluster(
                identifier,
                accountId,
                region,
                status,
                creationTime,
                statusSince,
                deletionProtectionEnabled,
                kmsKeyArn,
                encryptionChanging,
                multiRegion,
                witnessRegion,
                peerClusterArns,
                tags,
                policy,
                policyVersion,
                policyVersionCounter,
                newStreams,
                databaseId);
    }

    /** The database this cluster serves: the one it shares with its peer, else its own. */
    public String database() {
        return databaseId == null ? identifier : databaseId;
    }

    public Cluster withDatabase(String newDatabaseId) {
        return new Cluster(
                identifier,
                accountId,
                region,
                status,
                creationTime,
                statusSince,
                deletionProtectionEnabled,
                kmsKeyArn,
                encryptionChanging,
                multiRegion,
                witnessRegion,
                peerClusterArns,
                tags,
                policy,
                policyVersion,
                policyVersionCounter,
                streams,
                newDatabaseId);
    }
}
