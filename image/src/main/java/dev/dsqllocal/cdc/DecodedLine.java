package dev.dsqllocal.cdc;

import java.time.Instant;
import java.util.List;

/** One message of the {@code test_decoding} output plugin (options include-xids and include-timestamp on). */
sealed interface DecodedLine {

    record Begin(long xid) implements DecodedLine {}

    record Commit(long xid, Instant committedAt) implements DecodedLine {}

    /**
     * A row change. {@code oldKey} holds the replica identity (the primary key) of the row before an UPDATE that
     * changed it, or of a deleted row; it is empty when PostgreSQL did not log it (no primary key, or an UPDATE
     * that left the key alone). {@code newRow} is empty for a DELETE.
     */
    record Change(String schema, String table, Op op, List<ColumnValue> oldKey, List<ColumnValue> newRow)
            implements DecodedLine {}

    /** Anything else (TRUNCATE, logical messages): not a row change DSQL reports. */
    record Other(String text) implements DecodedLine {}

    enum Op {
        INSERT,
        UPDATE,
        DELETE
    }
}
