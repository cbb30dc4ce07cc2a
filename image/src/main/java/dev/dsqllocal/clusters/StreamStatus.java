package dev.dsqllocal.clusters;

/** StreamStatus of the DSQL model; wire values are the constant names. */
public enum StreamStatus {
    CREATING,
    ACTIVE,
    DELETING,
    DELETED,
    FAILED,
    IMPAIRED
}
