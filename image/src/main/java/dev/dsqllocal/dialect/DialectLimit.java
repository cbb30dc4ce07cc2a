package dev.dsqllocal.dialect;

import java.time.LocalDate;

/**
 * One dated entry of the {@code limits} of {@code dialect/rules.json}: a number DSQL enforces (rows per
 * transaction, catalog counts, declared sizes). The gateway reads it through {@link DialectRules#limit}, the
 * SQL that runs inside PostgreSQL through {@code sys.dsql_local_limit(name)}, and rule messages name it as a
 * {@code {name}} placeholder, so changing or dating a limit is one edit of the table.
 *
 * @param evidence {@code O} observed, {@code D} documented, {@code I} inferred
 * @param source   the section of the repository's DSQL behaviour reference
 * @param docs     the AWS documentation page, or null
 */
public record DialectLimit(
        String name, LocalDate since, LocalDate until, long value, String evidence, String source, String docs) {

    /** Rows inserted, updated or deleted per transaction. */
    public static final String ROWS_PER_TRANSACTION = "max_rows_per_transaction";
    /** Seconds a transaction may stay open. */
    public static final String TRANSACTION_AGE_SECONDS = "max_transaction_age_seconds";
    /** Columns a table may have. */
    public static final String COLUMNS_PER_TABLE = "max_columns_per_table";
    /** Columns of a primary key or index key. */
    public static final String KEY_COLUMNS = "max_key_columns";
    /** The smallest CACHE above 1 an identity column or sequence may declare. */
    public static final String MIN_LARGE_CACHE_SIZE = "min_large_cache_size";

    public DialectLimit {
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("a limit name is a lower-case identifier, got '" + name + "'");
        }
        if (since != null && until != null && !since.isBefore(until)) {
            throw new IllegalArgumentException("limit " + name + ": since must be before until");
        }
    }

    public boolean activeAt(DialectEpoch epoch) {
        return (since == null || !epoch.isBefore(since)) && (until == null || epoch.isBefore(until));
    }
}
