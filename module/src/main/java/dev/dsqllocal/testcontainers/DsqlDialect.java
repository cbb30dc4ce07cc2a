package dev.dsqllocal.testcontainers;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which of Aurora DSQL's SQL rules the emulator applies. DSQL's rules change over time (foreign keys, for instance,
 * from 2026-08-26), so the emulator keeps them as dated data: {@link #LATEST} follows the newest, an
 * {@link #epoch(String) epoch} pins the rules as they were on a date, and {@link #OFF} gives plain PostgreSQL
 * behaviour behind the same TLS and token checks.
 */
public final class DsqlDialect {

    /** The newest rules the emulator knows (the default). */
    public static final DsqlDialect LATEST = new DsqlDialect("latest");

    /** No DSQL rules: plain PostgreSQL 16 behind DSQL's TLS and token checks. */
    public static final DsqlDialect OFF = new DsqlDialect("off");

    private static final Pattern EPOCH = Pattern.compile("\\d{4}-\\d{2}(-\\d{2})?");

    private final String value;

    private DsqlDialect(String value) {
        this.value = value;
    }

    /**
     * The rules as they were at a month ({@code "2026-08"}, its first day) or on a day ({@code "2026-08-25"}).
     *
     * @throws IllegalArgumentException when {@code date} is neither {@code yyyy-MM} nor {@code yyyy-MM-dd}
     */
    public static DsqlDialect epoch(String date) {
        Objects.requireNonNull(date, "date");
        if (!EPOCH.matcher(date).matches()) {
            throw new IllegalArgumentException(
                    "a dialect epoch is a month (2026-08) or a day (2026-08-25), not '" + date + "'");
        }
        return new DsqlDialect(date);
    }

    /** The value the emulator's {@code DSQL_LOCAL_DIALECT} setting takes. */
    public String value() {
        return value;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DsqlDialect && ((DsqlDialect) other).value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
