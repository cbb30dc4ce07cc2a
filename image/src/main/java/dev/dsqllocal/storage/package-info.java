/**
 * The control plane's state on disk: one {@code state.json} holding the domain's clusters and the API's
 * idempotency records, replaced atomically on every change. The JSON layout lives here only: the domain hands
 * over immutable snapshots through its {@link dev.dsqllocal.clusters.ClusterPersistence} port.
 */
package dev.dsqllocal.storage;
