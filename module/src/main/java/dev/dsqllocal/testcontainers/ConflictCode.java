package dev.dsqllocal.testcontainers;

/**
 * The optimistic-concurrency failures Aurora DSQL reports with SQLSTATE {@code 40001}, told apart by the code in the
 * message (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/working-with-concurrency-control.html).
 */
public enum ConflictCode {
    /** {@code change conflicts with another transaction (OC000)}: another transaction wrote the same rows first. */
    OC000,
    /** {@code schema has been updated by another transaction (OC001)}: a schema change committed meanwhile. */
    OC001
}
