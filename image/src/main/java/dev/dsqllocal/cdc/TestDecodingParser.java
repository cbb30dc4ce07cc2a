package dev.dsqllocal.cdc;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the text lines of PostgreSQL's {@code test_decoding} plugin (contrib/test_decoding, PostgreSQL 16), e.g.
 * {@code table public.t: UPDATE: old-key: id[integer]:1 new-tuple: id[integer]:2 v[text]:'it''s'}. Identifiers
 * are printed with {@code quote_identifier}, types with {@code format_type_be} inside brackets, and values either
 * bare (numbers, booleans, {@code null}, {@code unchanged-toast-datum}), as {@code B'0101'} bit strings, or as
 * SQL literals in single quotes with quotes doubled.
 */
final class TestDecodingParser {
    private static final DateTimeFormatter COMMIT_TIME = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart()
            .appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true)
            .optionalEnd()
            .appendOffset("+HH:MM:ss", "+00:00")
            .toFormatter();

    private final String line;
    private int pos;

    private TestDecodingParser(String line) {
        this.line = line;
    }

    static DecodedLine parse(String line) {
        if (line.startsWith("BEGIN ")) {
            return new DecodedLine.Begin(Long.parseLong(line.substring(6).trim()));
        }
        if (line.startsWith("COMMIT ")) {
            int at = line.indexOf(" (at ");
            long xid = Long.parseLong(
                    line.substring(7, at < 0 ? line.length() : at).trim());
            Instant when = at < 0 ? Instant.now() : commitTime(line.substring(at + 5, line.lastIndexOf(')')));
            return new DecodedLine.Commit(xid, when);
        }
        if (line.startsWith("table ")) {
            return new TestDecodingParser(line).change();
        }
        return new DecodedLine.Other(line);
    }

    /** {@code 2026-01-02 03:04:05.123456+00}: the offset may lack minutes, which the formatter needs. */
    static Instant commitTime(String text) {
        String t = text.trim();
        if (t.matches(".*[+-]\\d\\d$")) {
            t = t + ":00";
        }
        return OffsetDateTime.parse(t, COMMIT_TIME).toInstant();
    }

    private DecodedLine change() {
        pos = "table ".length();
        String schema = identifier();
        expect(".");
        String table = identifier();
        expect(": ");
        int colon = line.indexOf(':', pos);
        if (colon < 0) {
            return new DecodedLine.Other(line);
        }
        String op = line.substring(pos, colon);
        pos = colon + 1;
        List<ColumnValue> oldKey = List.of();
        List<ColumnValue> newRow = List.of();
        switch (op) {
            case "INSERT" -> newRow = tuple();
            case "UPDATE" -> {
                if (line.startsWith(" old-key:", pos)) {
                    pos += " old-key:".length();
                    oldKey = tuple();
                    expect(" new-tuple:");
                }
                newRow = tuple();
            }
            case "DELETE" -> oldKey = tuple();
            default -> {
                return new DecodedLine.Other(line);
            }
        }
        return new DecodedLine.Change(schema, table, DecodedLine.Op.valueOf(op), oldKey, newRow);
    }

    /** Columns up to the end of the line or the {@code new-tuple:} marker; {@code (no-tuple-data)} is none. */
    private List<ColumnValue> tuple() {
        List<ColumnValue> columns = new ArrayList<>();
        if (line.startsWith(" (no-tuple-data)", pos)) {
            pos += " (no-tuple-data)".length();
            return columns;
        }
        while (pos < line.length() && !line.startsWith(" new-tuple:", pos)) {
            expect(" ");
            String name = identifier();
            expect("[");
            int end = line.indexOf("]:", pos);
            if (end < 0) {
                throw new IllegalArgumentException("no type at " + pos + " in: " + line);
            }
            String type = line.substring(pos, end);
            pos = end + 2;
            columns.add(value(name, type));
        }
        return columns;
    }

    private ColumnValue value(String name, String type) {
        if (line.startsWith("'", pos)) {
            return new ColumnValue(name, type, quoted(), false);
        }
        if (line.startsWith("B'", pos)) {
            pos++;
            return new ColumnValue(name, type, quoted(), false);
        }
        int end = line.indexOf(' ', pos);
        if (end < 0) {
            end = line.length();
        }
        String bare = line.substring(pos, end);
        pos = end;
        return switch (bare) {
            case "null" -> new ColumnValue(name, type, null, false);
            case "unchanged-toast-datum" -> new ColumnValue(name, type, null, true);
            default -> new ColumnValue(name, type, bare, false);
        };
    }

    /** A single-quoted literal starting at {@code pos}; a doubled quote stands for one. */
    private String quoted() {
        StringBuilder out = new StringBuilder();
        pos++;
        while (pos < line.length()) {
            char c = line.charAt(pos++);
            if (c == '\'') {
                if (pos < line.length() && line.charAt(pos) == '\'') {
                    out.append('\'');
                    pos++;
                } else {
                    return out.toString();
                }
            } else {
                out.append(c);
            }
        }
        throw new IllegalArgumentException("unterminated literal in: " + line);
    }

    /** A plain identifier, or a double-quoted one with doubled quotes inside. */
    private String identifier() {
        if (line.startsWith("\"", pos)) {
            StringBuilder out = new StringBuilder();
            pos++;
            while (pos < line.length()) {
                char c = line.charAt(pos++);
                if (c == '"') {
                    if (pos < line.length() && line.charAt(pos) == '"') {
                        out.append('"');
                        pos++;
                    } else {
                        return out.toString();
                    }
                } else {
                    out.append(c);
                }
            }
            throw new IllegalArgumentException("unterminated identifier in: " + line);
        }
        int start = pos;
        while (pos < line.length() && isIdentifierChar(line.charAt(pos))) {
            pos++;
        }
        return line.substring(start, pos);
    }

    private static boolean isIdentifierChar(char c) {
        return c == '_' || c == '$' || Character.isLetterOrDigit(c);
    }

    private void expect(String text) {
        if (!line.startsWith(text, pos)) {
            throw new IllegalArgumentException("expected '" + text + "' at " + pos + " in: " + line);
        }
        pos += text.length();
    }
}
