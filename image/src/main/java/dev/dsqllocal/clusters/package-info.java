/**
 * The domain: clusters and their streams, policies and tags in every account and Region, and their asynchronous
 * lifecycles (https://docs.aws.amazon.com/aurora-dsql/latest/APIReference/API_Operations.html).
 *
 * <p>It depends on no other package of the server and on no HTTP or JSON library: the control plane decodes
 * requests, calls one operation ({@link dev.dsqllocal.clusters.ClusterService}, {@link
 * dev.dsqllocal.clusters.ClusterPolicies}, {@link dev.dsqllocal.clusters.ClusterStreams}, {@link
 * dev.dsqllocal.clusters.ResourceTags}) and maps a {@link dev.dsqllocal.clusters.ClusterException} to the AWS
 * error. What the domain needs from outside it declares as ports, implemented elsewhere and plugged in by the
 * server: {@link dev.dsqllocal.clusters.ClusterPersistence} (the state file), {@link
 * dev.dsqllocal.clusters.DatabaseFleet} (the clusters' PostgreSQL servers); what it offers the SQL gateway is the
 * narrow {@link dev.dsqllocal.clusters.ClusterDirectory}.
 *
 * <p>State is immutable values ({@link dev.dsqllocal.clusters.Cluster}, {@link
 * dev.dsqllocal.clusters.ClusterStream}) in one map guarded by one lock and saved after each change; the
 * {@link dev.dsqllocal.clusters.ClusterScheduler} finishes transitions after their delays and recovers them after
 * a restart.
 */
package dev.dsqllocal.clusters;
