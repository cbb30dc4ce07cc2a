package dev.dsqllocal.clusters;

import dev.dsqllocal.clusters.ClusterException.InvalidInput;

/** The rules on multi-Region properties and encryption keys that go beyond the model's constraints. */
final class ClusterRules {
    private ClusterRules() {}

    /** True when the properties make a multi-Region cluster (a witness Region or peers). */
    static boolean isMultiRegion(MultiRegion mr) {
        return mr.witnessRegion().filter(w -> !w.isEmpty()).isPresent()
                || !mr.peerArns().isEmpty();
    }

    /** Witness set, valid and not the cluster's Region; peers are same-account clusters of other Regions. */
    static void checkMultiRegion(Caller caller, String id, MultiRegion mr) {
        String witness = mr.witnessRegion().orElse("");
        if (witness.isEmpty()) {
            throw InvalidInput.field(
                    "multiRegionProperties.witnessRegion", "A multi-Region cluster needs a witness Region.");
        }
        if (!witness.matches("[a-z]{2}(-[a-z]+)+-[0-9]+")) {
            throw InvalidInput.field("multiRegionProperties.witnessRegion", "Invalid witness Region: " + witness + ".");
        }
        if (witness.equals(caller.region())) {
            throw InvalidInput.field(
                    "multiRegionProperties.witnessRegion",
                    "The witness Region must be different from the cluster's Region.");
        }
        String own = Arns.cluster(caller.region(), caller.accountId(), id);
        for (String peer : mr.peerArns()) {
            Arns.DsqlArn p = Arns.parseDsql(peer)
                    .filter(a -> a.streamId() == null)
                    .orElseThrow(
                            () -> InvalidInput.field("multiRegionProperties.clusters", "Invalid cluster ARN: " + peer));
            if (peer.equals(own)) {
                throw InvalidInput.field("multiRegionProperties.clusters", "A cluster cannot be its own peer.");
            }
            if (!p.accountId().equals(caller.accountId())) {
                throw InvalidInput.field(
                        "multiRegionProperties.clusters", "Peer clusters must belong to the same account: " + peer);
            }
            if (p.region().equals(caller.region())) {
                throw InvalidInput.field(
                        "multiRegionProperties.clusters", "Peer clusters must be in a different Region: " + peer);
            }
            if (p.region().equals(witness)) {
                throw InvalidInput.field(
                        "multiRegionProperties.clusters", "A peer cluster cannot be in the witness Region: " + peer);
            }
        }
    }

    /** The ARN reported in encryptionDetails.kmsKeyArn; null for the AWS-owned key. */
    static String kmsKeyArn(Caller caller, String key) {
        if (key.equals("AWS_OWNED_KMS_KEY")) {
            return null;
        }
        if (key.startsWith("arn:")) {
            return key;
        }
        return "arn:" + Arns.partition(caller.region()) + ":kms:" + caller.region() + ":" + caller.accountId() + ":"
                + (key.startsWith("alias/") ? key : "key/" + key);
    }
}
