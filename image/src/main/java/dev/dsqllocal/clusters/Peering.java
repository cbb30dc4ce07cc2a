package dev.dsqllocal.clusters;

import dev.dsqllocal.clusters.ClusterException.InvalidInput;
import java.util.List;
import java.util.Optional;

/**
 * Which multi-Region clusters are peered, and the rules on naming a peer. Two clusters are <em>linked</em> when each
 * names the other in its {@code multiRegionProperties.clusters}: AWS's documented set-up
 * (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/multi-region-aws-cli.html) creates the first cluster
 * with a witness Region (PENDING_SETUP), creates the second naming the first, then updates the first naming the
 * second, after which both go on to ACTIVE; the Terraform provider's {@code aws_dsql_cluster_peering} instead
 * updates two PENDING_SETUP clusters to name each other. Both end with each cluster naming the other, so that is
 * the moment the emulator links them.
 *
 * <p>Linked clusters serve one database ({@link Cluster#database()}): "Both endpoints present a single logical
 * database that supports concurrent read and write operations with strong data consistency" (same page). The
 * emulator runs that database once, so a commit through one endpoint is visible through the other at once and
 * concurrent writes conflict as on one cluster. Callers hold the state's monitor.
 */
final class Peering {
    private Peering() {}

    static String arn(Cluster c) {
        return Arns.cluster(c.region(), c.accountId(), c.identifier());
    }

    /** The cluster an ARN names, if it exists (in the ARN's own account and Region). */
    static Optional<Cluster> named(ClusterState state, String arn) {
        return Arns.parseDsql(arn)
                .filter(a -> a.streamId() == null)
                .flatMap(a -> state.get(a.clusterId())
                        .filter(c ->
                                c.region().equals(a.region()) && c.accountId().equals(a.accountId())));
    }

    /** The cluster {@code c} is linked with: one it names that names it back. */
    static Optional<Cluster> linkedPeer(ClusterState state, Cluster c) {
        String own = arn(c);
        for (String peerArn : c.peerClusterArns()) {
            Optional<Cluster> peer =
                    named(state, peerArn).filter(p -> p.peerClusterArns().contains(own));
            if (peer.isPresent()) {
                return peer;
            }
        }
        return Optional.empty();
    }

    /**
     * The peers named for cluster {@code id} exist, are multi-Region clusters with the same witness Region ("a
     * second cluster that shares the same witness Region as your first cluster"), are not being deleted, and are
     * not linked to a third cluster. DSQL peers two Regions ("two regional endpoints, one in each peered cluster
     * AWS Region"), so one peer at most. AWS documents no error texts for these; the messages are the emulator's.
     */
    static void checkPeers(ClusterState state, String id, MultiRegion mr) {
        List<String> peers = mr.peerArns();
        if (peers.size() > 1) {
            throw InvalidInput.field(
                    "multiRegionProperties.clusters", "A multi-Region cluster has exactly one peer cluster.");
        }
        String witness = mr.witnessRegion().orElse("");
        for (String peerArn : peers) {
            Cluster peer = named(state, peerArn)
                    .orElseThrow(() -> InvalidInput.field(
                            "multiRegionProperties.clusters", "Peer cluster " + peerArn + " does not exist."));
            if (!peer.multiRegion()) {
                throw InvalidInput.field(
                        "multiRegionProperties.clusters",
                        "Peer cluster " + peerArn + " is not a multi-Region cluster.");
            }
            if (!witness.equals(peer.witnessRegion())) {
                throw InvalidInput.field(
                        "multiRegionProperties.clusters",
                        "Peer cluster " + peerArn + " has witness Region " + peer.witnessRegion() + ", not " + witness
                                + ".");
            }
            if (peer.status() == ClusterStatus.DELETING
                    || peer.status() == ClusterStatus.PENDING_DELETE
                    || peer.status() == ClusterStatus.FAILED) {
                throw InvalidInput.field(
                        "multiRegionProperties.clusters",
                        "Peer cluster " + peerArn + " cannot be peered while it is " + peer.status() + ".");
            }
            Optional<Cluster> peersPeer = linkedPeer(state, peer);
            if (peersPeer.isPresent() && !peersPeer.get().identifier().equals(id)) {
                throw InvalidInput.field(
                        "multiRegionProperties.clusters",
                        "Peer cluster " + peerArn + " is already peered with " + arn(peersPeer.get()) + ".");
            }
        }
    }

    /**
     * The database two clusters that are being linked will share: the one of the member that already serves data
     * (a cluster past PENDING_SETUP), else the one of {@code updated}, whose UpdateCluster completes the link: in
     * AWS's set-up that is the first cluster. Two members that both serve data cannot be merged (AWS documents no
     * such case: its set-up peers a new cluster with a waiting one), so that is refused.
     */
    static String sharedDatabase(Cluster updated, Cluster peer) {
        boolean updatedServes = updated.status() != ClusterStatus.PENDING_SETUP;
        boolean peerServes = peer.status() != ClusterStatus.PENDING_SETUP;
        if (updatedServes && peerServes) {
            throw InvalidInput.field(
                    "multiRegionProperties.clusters",
                    "Clusters " + arn(updated) + " and " + arn(peer) + " both hold data; only a cluster in"
                            + " PENDING_SETUP can join a peer.");
        }
        return peerServes ? peer.database() : updated.database();
    }

    /** {@code c}'s peer list without {@code removed}. */
    static List<String> without(Cluster c, Cluster removed) {
        String gone = arn(removed);
        return c.peerClusterArns().stream().filter(a -> !a.equals(gone)).toList();
    }
}
