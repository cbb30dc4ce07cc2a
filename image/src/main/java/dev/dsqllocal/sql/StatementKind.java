package dev.dsqllocal.sql;

/** Coarse statement categories; DSQL's transaction rules are stated in these terms. */
public enum StatementKind {
    /** Schema changes, GRANT/REVOKE, {@code AWS IAM GRANT/REVOKE}: one per transaction. */
    DDL,
    /** INSERT, UPDATE, DELETE, MERGE, COPY FROM. */
    DML,
    /** SELECT, VALUES, TABLE, COPY TO. */
    QUERY,
    /** BEGIN, START TRANSACTION, COMMIT, ROLLBACK, SAVEPOINT, RELEASE, ... */
    TRANSACTION_CONTROL,
    /** SET, RESET, SET TRANSACTION, SET CONSTRAINTS. */
    SET,
    SHOW,
    /** EXPLAIN, VACUUM, ANALYZE, CALL, DO, LISTEN, LOCK, PREPARE, DISCARD, ... */
    UTILITY,
    /** No tokens (only comments or whitespace). */
    EMPTY,
    /** Not understood: passed to PostgreSQL untouched, never guessed at. */
    UNKNOWN
}
