package dev.dsqllocal.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * Tokenizer for PostgreSQL 16 SQL text, following the rules of the server's scanner ({@code scan.l}) closely
 * enough that keywords hidden in comments, strings, quoted identifiers and dollar-quoted bodies are never seen
 * as keywords. Assumes {@code standard_conforming_strings = on} (the only setting DSQL has).
 *
 * <p>It never throws on bad input: text that ends inside a literal or comment yields the tokens before it and
 * {@link Result#complete()} {@code false}, so the caller can leave the statement to PostgreSQL, which gives the
 * real syntax error.
 */
public final class SqlLexer {

    /** Tokens of a whole SQL string. */
    public record Result(List<Token> tokens, boolean complete) {}

    private static final String OPERATOR_CHARS = "~!@#^&|`?+-*/%<>=";

    private final String sql;
    private int pos;
    private final List<Token> tokens = new ArrayList<>();
    private boolean complete = true;

    private SqlLexer(String sql) {
        this.sql = sql;
    }

    public static Result tokenize(String sql) {
        SqlLexer lexer = new SqlLexer(sql);
        lexer.run();
        return new Result(List.copyOf(lexer.tokens), lexer.complete);
    }

    /**
     * Splits a simple-query string into its statements at top-level semicolons: not inside parentheses or
     * brackets, literals, comments, dollar bodies, or the {@code BEGIN ATOMIC ... END} body of a
     * {@code CREATE FUNCTION/PROCEDURE}. Empty statements ({@code ;;}, comment only) are dropped.
     */
    public static List<SqlStatement> split(String sql) {
        Result result = tokenize(sql);
        List<SqlStatement> statements = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        int statementStart = 0;
        int parenDepth = 0;
        int atomicDepth = 0;
        for (int i = 0; i < result.tokens().size(); i++) {
            Token t = result.tokens().get(i);
            if (t.isPunctuation('(') || t.isPunctuation('[')) {
                parenDepth++;
            } else if (t.isPunctuation(')') || t.isPunctuation(']')) {
                parenDepth = Math.max(0, parenDepth - 1);
            } else if (t.type() == TokenType.WORD && parenDepth == 0 && isRoutineDefinition(current)) {
                // SQL-standard routine bodies contain ';' between their statements (psqlscan.l does the same).
                if (t.value().equals("begin") && next(result.tokens(), i).isWord("atomic")) {
                    atomicDepth++;
                } else if (t.value().equals("case") && atomicDepth > 0) {
                    atomicDepth++;
                } else if (t.value().equals("end") && atomicDepth > 0) {
                    atomicDepth--;
                }
            } else if (t.isPunctuation(';') && parenDepth == 0 && atomicDepth == 0) {
                addStatement(statements, sql, statementStart, t.start(), current, true);
                current = new ArrayList<>();
                statementStart = t.end();
                continue;
            }
            current.add(t);
        }
        addStatement(statements, sql, statementStart, sql.length(), current, result.complete());
        return statements;
    }

    private static Token next(List<Token> tokens, int i) {
        return i + 1 < tokens.size() ? tokens.get(i + 1) : new Token(TokenType.PUNCTUATION, ";", ";", -1, -1);
    }

    /** {@code CREATE [OR REPLACE] FUNCTION|PROCEDURE}. */
    private static boolean isRoutineDefinition(List<Token> t) {
        if (t.isEmpty() || !t.get(0).isWord("create")) {
            return false;
        }
        int i = 1;
        if (t.size() > 2 && t.get(1).isWord("or") && t.get(2).isWord("replace")) {
            i = 3;
        }
        return t.size() > i && (t.get(i).isWord("function") || t.get(i).isWord("procedure"));
    }

    private static void addStatement(
            List<SqlStatement> out, String sql, int start, int end, List<Token> tokens, boolean complete) {
        if (tokens.isEmpty() && complete) {
            return;
        }
        out.add(new SqlStatement(sql.substring(start, end), start, tokens, complete));
    }

    // ------------------------------------------------------------------ scanning

    private void run() {
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (isSpace(c)) {
                pos++;
            } else if (c == '-' && peek(1) == '-') {
                skipLineComment();
            } else if (c == '/' && peek(1) == '*') {
                if (!skipBlockComment()) {
                    return;
                }
            } else if (!scanToken(c)) {
                complete = false;
                return;
            }
        }
    }

    /** Returns false when the input ends inside the token. */
    private boolean scanToken(char c) {
        int start = pos;
        char n1 = peek(1);
        if ((c == 'e' || c == 'E') && n1 == '\'') {
            pos++;
            return scanQuoted(start, true);
        }
        if ((c == 'b' || c == 'B' || c == 'x' || c == 'X' || c == 'n' || c == 'N') && n1 == '\'') {
            pos++;
            return scanQuoted(start, false);
        }
        if ((c == 'u' || c == 'U') && n1 == '&' && (peek(2) == '\'' || peek(2) == '"')) {
            pos += 2;
            return peek(0) == '\'' ? scanQuoted(start, false) : scanQuotedIdentifier(start);
        }
        if (isIdentStart(c)) {
            pos++;
            while (pos < sql.length() && isIdentContinue(sql.charAt(pos))) {
                pos++;
            }
            String text = sql.substring(start, pos);
            add(TokenType.WORD, start, foldIdentifier(text));
            return true;
        }
        if (c == '\'') {
            return scanQuoted(start, false);
        }
        if (c == '"') {
            return scanQuotedIdentifier(start);
        }
        if (c == '$') {
            return scanDollar(start);
        }
        if (isDigit(c) || (c == '.' && isDigit(n1))) {
            scanNumber();
            add(TokenType.NUMBER, start, sql.substring(start, pos));
            return true;
        }
        if (c == ':' && (n1 == ':' || n1 == '=')) {
            pos += 2;
            add(TokenType.OPERATOR, start, sql.substring(start, pos));
            return true;
        }
        if ("()[],;.:".indexOf(c) >= 0) {
            pos++;
            add(TokenType.PUNCTUATION, start, String.valueOf(c));
            return true;
        }
        if (OPERATOR_CHARS.indexOf(c) >= 0) {
            pos++;
            while (pos < sql.length() && OPERATOR_CHARS.indexOf(sql.charAt(pos)) >= 0 && !startsComment(pos)) {
                pos++;
            }
            pos = start + trimmedOperatorLength(sql.substring(start, pos));
            add(TokenType.OPERATOR, start, sql.substring(start, pos));
            return true;
        }
        // Anything else (a stray backslash, a non-ASCII symbol...) is a syntax error for PostgreSQL;
        // keep it as a one-character operator so positions stay right.
        pos++;
        add(TokenType.OPERATOR, start, sql.substring(start, pos));
        return true;
    }

    /**
     * scan.l's rule: a multi-character operator may not end in {@code +} or {@code -} unless it contains one of
     * {@code ~ ! @ # % ^ & | ` ?}, so {@code =-1} is {@code =} then {@code -1}.
     */
    private static int trimmedOperatorLength(String op) {
        int n = op.length();
        if (n > 1 && (op.charAt(n - 1) == '+' || op.charAt(n - 1) == '-')) {
            for (int i = n - 2; i >= 0; i--) {
                if ("~!@#^&|`?%".indexOf(op.charAt(i)) >= 0) {
                    return n;
                }
            }
            do {
                n--;
            } while (n > 1 && (op.charAt(n - 1) == '+' || op.charAt(n - 1) == '-'));
        }
        return n;
    }

    /** {@code '...'} with doubled quotes; {@code escapes} for {@code E'...'} where backslash escapes too. */
    private boolean scanQuoted(int start, boolean escapes) {
        StringBuilder value = new StringBuilder();
        while (true) {
            pos++; // past the opening quote
            boolean closed = false;
            while (pos < sql.length()) {
                char c = sql.charAt(pos);
                if (escapes && c == '\\') {
                    if (pos + 1 >= sql.length()) {
                        pos = sql.length();
                        return false;
                    }
                    value.append(unescape(sql.charAt(pos + 1)));
                    pos += 2;
                } else if (c == '\'') {
                    if (peek(1) == '\'') {
                        value.append('\'');
                        pos += 2;
                    } else {
                        pos++;
                        closed = true;
                        break;
                    }
                } else {
                    value.append(c);
                    pos++;
                }
            }
            if (!closed) {
                return false;
            }
            // 'foo'<newline>'bar' is one literal in PostgreSQL.
            int resume = continuationQuote();
            if (resume < 0) {
                break;
            }
            pos = resume;
        }
        add(TokenType.STRING, start, value.toString());
        return true;
    }

    /** Position of the next {@code '} if only whitespace containing a newline separates it, else -1. */
    private int continuationQuote() {
        int p = pos;
        boolean newline = false;
        while (p < sql.length()) {
            char c = sql.charAt(p);
            if (c == '\n' || c == '\r') {
                newline = true;
                p++;
            } else if (isSpace(c)) {
                p++;
            } else if (c == '-' && p + 1 < sql.length() && sql.charAt(p + 1) == '-') {
                while (p < sql.length() && sql.charAt(p) != '\n' && sql.charAt(p) != '\r') {
                    p++;
                }
            } else {
                break;
            }
        }
        return newline && p < sql.length() && sql.charAt(p) == '\'' ? p : -1;
    }

    private static char unescape(char c) {
        return switch (c) {
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            case 'b' -> '\b';
            case 'f' -> '\f';
            default -> c; // \\ \' and anything else stand for themselves (octal/hex/unicode kept simple)
        };
    }

    private boolean scanQuotedIdentifier(int start) {
        StringBuilder value = new StringBuilder();
        pos++;
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (c == '"') {
                if (peek(1) == '"') {
                    value.append('"');
                    pos += 2;
                    continue;
                }
                pos++;
                add(TokenType.QUOTED_IDENTIFIER, start, value.toString());
                return true;
            }
            value.append(c);
            pos++;
        }
        return false;
    }

    /** {@code $1} parameter or {@code $tag$ ... $tag$} body. */
    private boolean scanDollar(int start) {
        int p = pos + 1;
        if (p < sql.length() && isDigit(sql.charAt(p))) {
            while (p < sql.length() && isDigit(sql.charAt(p))) {
                p++;
            }
            pos = p;
            add(TokenType.PARAMETER, start, sql.substring(start, pos));
            return true;
        }
        if (p < sql.length() && isIdentStart(sql.charAt(p))) {
            p++;
            while (p < sql.length() && isDollarTagChar(sql.charAt(p))) {
                p++;
            }
        }
        if (p >= sql.length() || sql.charAt(p) != '$') {
            // A lone '$' is not valid SQL; PostgreSQL reports it.
            pos++;
            add(TokenType.OPERATOR, start, "$");
            return true;
        }
        String delimiter = sql.substring(start, p + 1);
        int bodyStart = p + 1;
        int close = sql.indexOf(delimiter, bodyStart);
        if (close < 0) {
            pos = sql.length();
            return false;
        }
        pos = close + delimiter.length();
        add(TokenType.STRING, start, sql.substring(bodyStart, close));
        return true;
    }

    private void scanNumber() {
        if (sql.charAt(pos) == '0' && "xXoObB".indexOf(peek(1)) >= 0 && isAlnum(peek(2))) {
            pos += 2;
            while (pos < sql.length() && (isAlnum(sql.charAt(pos)) || sql.charAt(pos) == '_')) {
                pos++;
            }
            return;
        }
        digits();
        if (peek(0) == '.' && peek(1) != '.') {
            pos++;
            digits();
        }
        if ((peek(0) == 'e' || peek(0) == 'E')
                && (isDigit(peek(1)) || ((peek(1) == '+' || peek(1) == '-') && isDigit(peek(2))))) {
            pos += 2;
            digits();
        }
    }

    private void digits() {
        while (pos < sql.length() && (isDigit(sql.charAt(pos)) || (sql.charAt(pos) == '_' && isDigit(peek(1))))) {
            pos++;
        }
    }

    private void skipLineComment() {
        while (pos < sql.length() && sql.charAt(pos) != '\n' && sql.charAt(pos) != '\r') {
            pos++;
        }
    }

    /** Block comments nest in PostgreSQL. Returns false when unterminated. */
    private boolean skipBlockComment() {
        int depth = 0;
        while (pos < sql.length()) {
            if (sql.charAt(pos) == '/' && peek(1) == '*') {
                depth++;
                pos += 2;
            } else if (sql.charAt(pos) == '*' && peek(1) == '/') {
                depth--;
                pos += 2;
                if (depth == 0) {
                    return true;
                }
            } else {
                pos++;
            }
        }
        complete = false;
        return false;
    }

    private boolean startsComment(int p) {
        char c = sql.charAt(p);
        char n = p + 1 < sql.length() ? sql.charAt(p + 1) : 0;
        return (c == '-' && n == '-') || (c == '/' && n == '*');
    }

    private void add(TokenType type, int start, String value) {
        tokens.add(new Token(type, sql.substring(start, pos), value, start, pos));
    }

    private char peek(int ahead) {
        int p = pos + ahead;
        return p < sql.length() ? sql.charAt(p) : 0;
    }

    /** PostgreSQL folds only ASCII letters of unquoted identifiers ({@code downcase_identifier}). */
    static String foldIdentifier(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            b.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return b.toString();
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0x0B;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isAlnum(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
    }

    private static boolean isIdentContinue(char c) {
        return isIdentStart(c) || isDigit(c) || c == '$';
    }

    private static boolean isDollarTagChar(char c) {
        return isIdentStart(c) || isDigit(c);
    }
}
