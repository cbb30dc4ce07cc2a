package dev.dsqllocal.cdc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A column value in PostgreSQL's text form → its JSON form in DSQL's CDC records (the value serialization table
 * of https://docs.aws.amazon.com/aurora-dsql/latest/userguide/cdc-record-format.html): integers as numbers, numeric as
 * strings, bytea as base64, dates as days since the epoch, times and timestamps as microseconds, json as its text.
 * Types the table does not list keep PostgreSQL's text form as a string.
 */
final class CdcValues {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** DSQL's documented values for timestamp {@code +infinity} / {@code -infinity}. */
    static final long PLUS_INFINITY_MICROS = 9223372036825200000L;

    static final long MINUS_INFINITY_MICROS = -9223372036832400000L;
    private static final long MICROS_PER_DAY = 86_400_000_000L;
    private static final long SECONDS_PER_MONTH = 2_629_800L;

    private static final DateTimeFormatter TIMESTAMP = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd()
            .toFormatter();
    private static final DateTimeFormatter TIME = new DateTimeFormatterBuilder()
            .appendPattern("HH:mm:ss")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd()
            .toFormatter();

    private CdcValues() {}

    static JsonNode toJson(ColumnValue column) {
        String text = column.text();
        if (text == null) {
            return NODES.nullNode();
        }
        try {
            return switch (column.type()) {
                case "smallint", "integer", "bigint", "oid" -> NODES.numberNode(Long.parseLong(text));
                case "real", "double precision" -> special(text) ? NODES.textNode(text) : decimal(text);
                case "boolean" -> NODES.booleanNode(text.equals("true") || text.equals("t"));
                case "character" -> NODES.textNode(text.stripTrailing());
                case "bytea" -> NODES.textNode(Base64.getEncoder().encodeToString(bytea(text)));
                case "date" -> NODES.numberNode(LocalDate.parse(text).toEpochDay());
                case "time without time zone" ->
                    NODES.numberNode(LocalTime.parse(text, TIME).toNanoOfDay() / 1000);
                case "time with time zone" -> NODES.numberNode(timeWithZone(text));
                case "timestamp without time zone" -> NODES.numberNode(timestamp(text, false));
                case "timestamp with time zone" -> NODES.numberNode(timestamp(text, true));
                case "interval" -> interval(text);
                case "oidvector" -> NODES.arrayNode();
                default -> NODES.textNode(text); // text, varchar, name, "char", numeric, uuid, json, jsonb, ...
            };
        } catch (RuntimeException e) {
            // a form this reader does not know (e.g. a BC date): PostgreSQL's own text is still the value
            return NODES.textNode(text);
        }
    }

    private static boolean special(String text) {
        return text.equals("NaN") || text.equals("Infinity") || text.equals("-Infinity");
    }

    private static JsonNode decimal(String text) {
        return NODES.numberNode(new BigDecimal(text));
    }

    private static byte[] bytea(String text) {
        if (!text.startsWith("\\x")) {
            throw new IllegalArgumentException("bytea not in hex form");
        }
        return HexFormat.of().parseHex(text.substring(2));
    }

    private static long timestamp(String text, boolean withZone) {
        if (text.equals("infinity")) {
            return PLUS_INFINITY_MICROS;
        }
        if (text.equals("-infinity")) {
            return MINUS_INFINITY_MICROS;
        }
        java.time.Instant at;
        if (withZone) {
            int sign = Math.max(text.lastIndexOf('+'), text.lastIndexOf('-'));
            LocalDateTime local = LocalDateTime.parse(text.substring(0, sign), TIMESTAMP);
            at = local.atOffset(offset(text.substring(sign))).toInstant();
        } else {
            at = LocalDateTime.parse(text, TIMESTAMP).toInstant(ZoneOffset.UTC);
        }
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1000);
    }

    /** {@code 12:00:00+02}: microseconds since midnight in UTC, wrapped into one day. */
    private static long timeWithZone(String text) {
        int sign = Math.max(text.lastIndexOf('+'), text.lastIndexOf('-'));
        long local = LocalTime.parse(text.substring(0, sign), TIME).toNanoOfDay() / 1000;
        long utc = local - offset(text.substring(sign)).getTotalSeconds() * 1_000_000L;
        return Math.floorMod(utc, MICROS_PER_DAY);
    }

    /** {@code +02}, {@code -05:30}, {@code +05:30:15}. */
    private static ZoneOffset offset(String text) {
        return ZoneOffset.of(text.length() == 3 ? text + ":00" : text);
    }

    /**
     * PostgreSQL's default interval output ({@code 1 year 2 mons -3 days 04:05:06.5}) → approximate microseconds:
     * months × 2,629,800 s + days × 86,400 s + the time; null when it overflows, as DSQL documents.
     */
    private static JsonNode interval(String text) {
        long months = 0;
        long days = 0;
        long micros = 0;
        String[] parts = text.trim().split("\\s+");
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.contains(":")) {
                boolean negative = p.startsWith("-");
                String hms = negative || p.startsWith("+") ? p.substring(1) : p;
                String[] f = hms.split(":");
                BigDecimal seconds = new BigDecimal(f.length > 2 ? f[2] : "0");
                long t = Long.parseLong(f[0]) * 3_600_000_000L
                        + Long.parseLong(f[1]) * 60_000_000L
                        + seconds.movePointRight(6).longValueExact();
                micros += negative ? -t : t;
            } else if (i + 1 < parts.length) {
                long n = Long.parseLong(p);
                String unit = parts[++i];
                if (unit.startsWith("year")) {
                    months = Math.addExact(months, Math.multiplyExact(n, 12));
                } else if (unit.startsWith("mon")) {
                    months = Math.addExact(months, n);
                } else if (unit.startsWith("day")) {
                    days = Math.addExact(days, n);
                } else {
                    throw new IllegalArgumentException("interval unit " + unit);
                }
            }
        }
        try {
            long total = Math.addExact(
                    Math.addExact(
                            Math.multiplyExact(Math.multiplyExact(months, SECONDS_PER_MONTH), 1_000_000L),
                            Math.multiplyExact(days, MICROS_PER_DAY)),
                    micros);
            return NODES.numberNode(total);
        } catch (ArithmeticException e) {
            return NODES.nullNode();
        }
    }
}
