package dev.dsqllocal.sql;

import dev.dsqllocal.sql.StatementInfo.ColumnDefinition;
import dev.dsqllocal.sql.StatementInfo.IdentitySpec;
import java.util.List;
import java.util.Set;

/** Reads column definitions, type names and sequence options (shared by CREATE TABLE, ALTER TABLE, CREATE SEQUENCE). */
final class ColumnDefinitionReader {

    private ColumnDefinitionReader() {}

    /** {@code name type [constraints...]}; null if it does not look like one. */
    static ColumnDefinition columnDefinition(TokenCursor c) {
        String name = c.acceptName();
        if (name == null || c.atEnd()) {
            return null;
        }
        TypeRef type = typeName(c);
        if (type == null) {
            return null;
        }
        IdentitySpec identity = null;
        boolean hasConstraint = false;
        boolean references = false;
        boolean collate = false;
        while (!c.atEnd()) {
            if (c.accept("generated")) {
                hasConstraint = true;
                if ((c.accept("always") || c.accept("by", "default")) && c.accept("as", "identity")) {
                    List<Token> options = c.skipGroup();
                    identity = new IdentitySpec(cacheOption(options));
                }
            } else if (c.accept("references")) {
                hasConstraint = true;
                references = true;
            } else if (c.accept("collate")) {
                collate = true;
                c.acceptQualifiedName();
            } else if (c.accept("storage") || c.accept("compression")) {
                c.next();
            } else if (c.atWord("default")
                    || c.atWord("not")
                    || c.atWord("primary")
                    || c.atWord("unique")
                    || c.atWord("check")
                    || c.atWord("constraint")) {
                hasConstraint = true;
                c.next();
            } else if (c.skipGroup().isEmpty()) {
                c.next();
            }
        }
        return new ColumnDefinition(name, type, identity, hasConstraint, references, collate);
    }

    /** The value after {@code CACHE} among sequence options, or null if there is none. */
    static Long cacheOption(List<Token> options) {
        for (int i = 0; i + 1 < options.size(); i++) {
            if (options.get(i).isWord("cache")) {
                int j = i + 1;
                boolean negative = false;
                if (options.get(j).isOperator("-") || options.get(j).isOperator("+")) {
                    negative = options.get(j).isOperator("-");
                    j++;
                }
                if (j < options.size() && options.get(j).type() == TokenType.NUMBER) {
                    long v = parseLong(options.get(j).text());
                    return negative ? -v : v;
                }
            }
        }
        return null;
    }

    private static long parseLong(String number) {
        String digits = number.replace("_", "");
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            try {
                return (long) Double.parseDouble(digits);
            } catch (NumberFormatException e2) {
                return Long.MAX_VALUE;
            }
        }
    }

    /** Reads a type name with modifiers and array bounds. */
    static TypeRef typeName(TokenCursor c) {
        Token first = c.peek();
        if (first == null || !first.isName()) {
            return null;
        }
        String schema = null;
        String name = c.acceptName();
        if (c.atPunctuation('.') && c.peek(1) != null && c.peek(1).isName()) {
            c.next();
            schema = name;
            name = c.acceptName();
        }
        boolean floatPrecision = false;
        int precision = 0;
        if (first.type() == TokenType.WORD && schema == null) {
            switch (name) {
                case "double" -> {
                    if (c.accept("precision")) {
                        name = "double precision";
                    }
                }
                case "character", "char", "nchar" -> {
                    if (c.accept("varying")) {
                        name = name + " varying";
                    }
                }
                case "national" -> {
                    String second = c.acceptName();
                    name = "national " + second + (c.accept("varying") ? " varying" : "");
                }
                case "bit" -> {
                    if (c.accept("varying")) {
                        name = "bit varying";
                    }
                }
                case "float" -> {
                    if (c.atPunctuation('(') && c.peek(1) != null && c.peek(1).type() == TokenType.NUMBER) {
                        floatPrecision = true;
                        precision = (int)
                                Math.min(Integer.MAX_VALUE, parseLong(c.peek(1).text()));
                    }
                }
                case "time", "timestamp" -> {
                    if (c.atPunctuation('(')) {
                        c.skipGroup();
                    }
                    if (c.accept("with", "time", "zone")) {
                        name = name + " with time zone";
                    } else if (c.accept("without", "time", "zone")) {
                        name = name + " without time zone";
                    }
                }
                case "interval" -> {
                    while (c.peek() != null
                            && c.peek().type() == TokenType.WORD
                            && Set.of("year", "month", "day", "hour", "minute", "second", "to")
                                    .contains(c.peek().value())) {
                        c.next();
                    }
                }
                default -> {}
            }
        }
        if (c.atPunctuation('(')) {
            c.skipGroup(); // type modifiers
        }
        boolean array = false;
        while (c.atPunctuation('[')) {
            c.skipGroup();
            array = true;
        }
        if (c.accept("array")) {
            array = true;
            c.skipGroup();
        }
        return floatPrecision ? TypeRef.floatWithPrecision(precision, array) : TypeRef.of(name, schema, array);
    }
}
