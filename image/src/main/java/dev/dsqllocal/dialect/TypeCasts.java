package dev.dsqllocal.dialect;

import dev.dsqllocal.sql.SqlStatement;
import dev.dsqllocal.sql.Token;
import dev.dsqllocal.sql.TokenType;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The types a statement converts values to, read from its tokens: {@code value::type}, {@code CAST(value AS type)}
 * and typed literals ({@code type 'text'}), each optionally qualified with {@code pg_catalog}. DSQL refuses some
 * types at query time, not only as column types (DSQL-BEHAVIOUR.md §8); what a cast names is enough to tell, since
 * these types have no aliases.
 */
final class TypeCasts {

    private TypeCasts() {}

    /** The first type the statement converts to that {@code wanted} accepts. */
    static Optional<String> firstTarget(SqlStatement statement, Predicate<String> wanted) {
        List<Token> tokens = statement.tokens();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            String type = null;
            if (t.isOperator("::")) {
                type = typeAt(tokens, i + 1);
            } else if (t.isWord("cast")
                    && i + 1 < tokens.size()
                    && tokens.get(i + 1).isPunctuation('(')) {
                type = castTarget(tokens, i + 1);
            } else if (t.type() == TokenType.WORD
                    && i + 1 < tokens.size()
                    && tokens.get(i + 1).type() == TokenType.STRING
                    && (i == 0 || !tokens.get(i - 1).isPunctuation('.'))) {
                type = t.value(); // a typed literal, e.g. circle '<(0,0),1>'
            }
            if (type != null && wanted.test(type)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }

    /** The type named at {@code i}, skipping a {@code pg_catalog.} qualifier; null when no name is there. */
    private static String typeAt(List<Token> tokens, int i) {
        if (i + 2 < tokens.size()
                && tokens.get(i).isWord("pg_catalog")
                && tokens.get(i + 1).isPunctuation('.')) {
            i += 2;
        }
        return i < tokens.size() && tokens.get(i).isName() ? tokens.get(i).value() : null;
    }

    /** The type of {@code CAST(... AS type)} whose opening parenthesis is at {@code open}. */
    private static String castTarget(List<Token> tokens, int open) {
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isPunctuation('(')) {
                depth++;
            } else if (t.isPunctuation(')')) {
                if (--depth == 0) {
                    return null;
                }
            } else if (depth == 1 && t.isWord("as")) {
                return typeAt(tokens, i + 1);
            }
        }
        return null;
    }
}
