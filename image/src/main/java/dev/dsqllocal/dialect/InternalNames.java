package dev.dsqllocal.dialect;

import dev.dsqllocal.sql.SqlLexer;
import dev.dsqllocal.sql.SqlStatement;
import dev.dsqllocal.sql.Token;
import dev.dsqllocal.sql.TokenType;
import java.util.List;

/**
 * Keeps the emulator's own objects ({@code sys.dsql_local_*}: the tables, functions and procedures the cluster
 * template installs to implement DSQL's rules) out of users' reach. They live where PostgreSQL needs them and the
 * gateway's rewrites call them, but a statement a user writes that names one is sent with the name changed, by
 * one character, to a name nothing has ({@code dsql_l0cal_...}). PostgreSQL then answers exactly what it, and
 * DSQL, answer for an object that does not exist ({@code 42883 function sys.dsql_local_x(integer) does not exist},
 * {@code 42P01 relation "sys.dsql_local_jobs" does not exist}, for calls, DML, DROP and ALTER alike), and
 * {@link #reveal} puts the written name back into the error. The substitution keeps every length, so error
 * positions still point into the statement as written.
 *
 * <p>Names are found by the lexer (identifiers, quoted or not), so text in literals and comments is left alone,
 * except the string bodies of {@code CREATE FUNCTION/PROCEDURE}, which PostgreSQL parses as SQL. A name spelled with
 * Unicode escapes ({@code U&"..."}) is replaced whole. Privileges do the rest: the internal tables are not granted
 * to anyone, and only the entry points the rewrites need are executable by users (their effect is that of the DSQL
 * statement they implement).
 */
final class InternalNames {

    static final String PREFIX = "dsql_local_";
    /** Same length as {@link #PREFIX}; no object has it. */
    static final String HIDDEN = "dsql_l0cal_";

    private static final int CHANGED_AT = 6; // the 'o' of "local"

    private InternalNames() {}

    /** {@code sql} itself when it names no internal object (the common case: one scan, no lexing). */
    static String hide(String sql) {
        // U&"..." identifiers may spell the name with escapes: those statements are always lexed.
        if (!mentionsPrefix(sql, 0, sql.length()) && sql.indexOf("&\"") < 0) {
            return sql;
        }
        StringBuilder out = new StringBuilder(sql);
        // Edits in source order; only a U&"..." spelling changes a length, so later offsets shift by `shift`.
        int shift = 0;
        for (SqlStatement statement : SqlLexer.split(sql)) {
            boolean routine = isRoutineDefinition(statement.tokens());
            List<Token> tokens = statement.tokens();
            for (int k = 0; k < tokens.size(); k++) {
                Token t = tokens.get(k);
                String name = t.type() == TokenType.QUOTED_IDENTIFIER
                                && t.text().length() > 1
                                && t.text().charAt(1) == '&'
                        ? unicodeName(t, tokens, k)
                        : t.value();
                if (t.isName() && name.startsWith(PREFIX)) {
                    if (t.type() == TokenType.WORD) {
                        out.setCharAt(t.start() + shift + CHANGED_AT, '0');
                    } else if (sql.startsWith("\"" + PREFIX, t.start())) {
                        out.setCharAt(t.start() + shift + 1 + CHANGED_AT, '0');
                    } else {
                        String hidden = HIDDEN + name.substring(PREFIX.length());
                        String quoted = '"' + hidden.replace("\"", "\"\"") + '"';
                        boolean uescape =
                                k + 1 < tokens.size() && tokens.get(k + 1).isWord("uescape");
                        int end = uescape && k + 2 < tokens.size()
                                ? tokens.get(k + 2).end()
                                : t.end();
                        out.replace(t.start() + shift, end + shift, quoted);
                        shift += quoted.length() - (end - t.start());
                    }
                } else if (routine && t.type() == TokenType.STRING) {
                    for (int i = t.start(); i + PREFIX.length() <= t.end(); i++) {
                        if (sql.regionMatches(true, i, PREFIX, 0, PREFIX.length())) {
                            out.setCharAt(i + shift + CHANGED_AT, '0');
                        }
                    }
                }
            }
        }
        return out.toString();
    }

    /**
     * The identifier a {@code U&"..."} token spells: {@code \XXXX}, {@code \+XXXXXX} and a doubled escape
     * character decoded, with the escape character of a following {@code UESCAPE 'c'} clause if there is one.
     */
    static String unicodeName(Token t, List<Token> tokens, int at) {
        char escape = '\\';
        if (at + 2 < tokens.size()
                && tokens.get(at + 1).isWord("uescape")
                && tokens.get(at + 2).type() == TokenType.STRING
                && tokens.get(at + 2).value().length() == 1) {
            escape = tokens.get(at + 2).value().charAt(0);
        }
        String body = t.value();
        StringBuilder b = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != escape || i + 1 >= body.length()) {
                b.append(c);
            } else if (body.charAt(i + 1) == escape) {
                b.append(escape);
                i++;
            } else {
                int digits = body.charAt(i + 1) == '+' ? 6 : 4;
                int from = body.charAt(i + 1) == '+' ? i + 2 : i + 1;
                try {
                    b.appendCodePoint(Integer.parseInt(body.substring(from, from + digits), 16));
                    i = from + digits - 1;
                } catch (RuntimeException e) {
                    b.append(c); // not a valid escape: PostgreSQL refuses the statement itself
                }
            }
        }
        return b.toString();
    }

    /** Puts the written names back into a text PostgreSQL produced (an error message, detail, hint). */
    static String reveal(String text) {
        return text == null || !text.contains(HIDDEN) ? text : text.replace(HIDDEN, PREFIX);
    }

    /** True when a text mentions an internal object (e.g. an error CONTEXT naming the function that raised). */
    static boolean mentionsInternal(String text) {
        return text != null && mentionsPrefix(text, 0, text.length());
    }

    private static boolean mentionsPrefix(String s, int from, int to) {
        // Scan for the '_' after "dsql" and compare around it: cheap on SQL that has no such name.
        for (int i = s.indexOf('_', from + 4); i >= 0 && i + 7 <= to; i = s.indexOf('_', i + 1)) {
            if (s.regionMatches(true, i - 4, PREFIX, 0, PREFIX.length())) {
                return true;
            }
        }
        return false;
    }

    private static boolean isRoutineDefinition(List<Token> tokens) {
        if (tokens.isEmpty() || !tokens.get(0).isWord("create")) {
            return false;
        }
        for (int i = 1; i < Math.min(tokens.size(), 5); i++) {
            if (tokens.get(i).isWord("function") || tokens.get(i).isWord("procedure")) {
                return true;
            }
        }
        return false;
    }
}
