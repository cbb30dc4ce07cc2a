package dev.dsqllocal.clusters;

import java.io.IOException;
import java.util.Optional;
import java.util.Set;

/**
 * The PostgreSQL 16 servers behind the clusters: one server and one data directory per database, named by the
 * database's identifier ({@link Cluster#database()}: a cluster's own identifier, or the database peered
 * multi-Region clusters share), which the methods below call {@code clusterId}.
 *
 * <p>These identifiers are random and unique across accounts and regions, so they are the only key. All
 * methods are thread-safe and may block for the time a server needs to start or stop (well under a second).
 */
public interface DatabaseFleet extends AutoCloseable {

    /**
     * Makes sure the cluster has a data directory (a copy of the initialised template, created atomically so a
     * crash never leaves a half-copied one) and a running server, then returns where it listens. Calling it for a
     * cluster that is already running returns the running endpoint; calling it after a restart of the emulator
     * starts the server on the existing data.
     */
    DatabaseEndpoint provision(String clusterId) throws IOException;

    /** The endpoint of a running server, or empty when the cluster has none running. */
    Optional<DatabaseEndpoint> endpoint(String clusterId);

    /** Stops the cluster's server, if running, and deletes its data directory. Idempotent. */
    void destroy(String clusterId) throws IOException;

    /**
     * The identifiers of the databases that have a data directory, running or not: after a crash, those no cluster
     * serves are orphans of an interrupted delete.
     */
    Set<String> existingClusterIds() throws IOException;

    /** Stops every server, keeping their data. */
    @Override
    void close();
}
