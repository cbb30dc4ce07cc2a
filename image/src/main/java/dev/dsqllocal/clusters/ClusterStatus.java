package dev.dsqllocal.clusters;

/** ClusterStatus of the DSQL model; wire values are the constant names. */
public enum ClusterStatus {
    CREATING,
    ACTIVE,
    IDLE,
    INACTIVE,
    UPDATING,
    DELETING,
    DELETED,
    FAILED,
    PENDING_SETUP,
    PENDING_DELETE
}
