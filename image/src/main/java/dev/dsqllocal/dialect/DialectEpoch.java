package dev.dsqllocal.dialect;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The date whose DSQL behaviour the emulator reproduces. DSQL's dialect changes every few weeks (foreign keys
 * from 2026-08-26, partial indexes from 2026-09-15, ...); tests can pin a date, the default is the newest.
 *
 * <p>Accepted spellings: {@code latest}, {@code 2026-09-15}, or {@code 2026-09} meaning the end of that month.
 */
public record DialectEpoch(LocalDate date) implements Comparable<DialectEpoch> {

    /** Newer than every dated change: all rules in their newest form. */
    public static final DialectEpoch LATEST = new DialectEpoch(LocalDate.of(9999, 12, 31));

    public static DialectEpoch parse(String text) {
        String s = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty() || s.equals("latest")) {
            return LATEST;
        }
        try {
            if (s.length() == 7) {
                return new DialectEpoch(YearMonth.parse(s).atEndOfMonth());
            }
            return new DialectEpoch(LocalDate.parse(s));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "dialect epoch must be 'latest', YYYY-MM or YYYY-MM-DD, got '" + text + "'", e);
        }
    }

    public boolean isBefore(LocalDate other) {
        return date.isBefore(other);
    }

    @Override
    public int compareTo(DialectEpoch o) {
        return date.compareTo(o.date);
    }

    @Override
    public String toString() {
        return equals(LATEST) ? "latest" : date.toString();
    }
}
