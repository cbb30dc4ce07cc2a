package dev.dsqllocal.concurrency;

/**
 * DSQL's two optimistic-concurrency failures, both SQLSTATE 40001
 * (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/working-with-concurrency-control.html).
 */
public enum Conflict {
    /** Another transaction changed what this one read or wrote. */
    OC000("change conflicts with another transaction (OC000)"),
    /** Another transaction changed the schema after this one cached it. */
    OC001("schema has been updated by another transaction (OC001)");

    private final String message;

    Conflict(String message) {
        this.message = message;
    }

    public String message() {
        return message;
    }
}
