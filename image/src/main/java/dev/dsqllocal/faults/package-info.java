/**
 * Faults injected by tests through {@code /dsql-local/clusters/{id}/faults} (the control plane's
 * {@code FaultEndpoints} decodes them): failed commits (OC000/OC001, optionally only for transactions that wrote
 * a given table), refused new connections for a while ({@link dev.dsqllocal.faults.FaultyClusterDirectory}),
 * and a status reported by GetCluster/ListClusters for a while. The registry never changes a cluster's real
 * state; injections disappear when used up, expired or cleared.
 */
package dev.dsqllocal.faults;
