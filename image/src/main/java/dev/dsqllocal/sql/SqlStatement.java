package dev.dsqllocal.sql;

import java.util.List;

/**
 * One statement of a (possibly multi-statement) SQL string.
 *
 * @param text     the statement's source text, without the terminating {@code ;}
 * @param start    offset of {@code text} in the whole SQL string
 * @param tokens   its tokens (comments and the terminating {@code ;} removed); positions refer to the whole string
 * @param complete false when the text ends inside a string, quoted identifier, dollar body or comment;
 *                 such a statement is never classified, PostgreSQL reports the syntax error itself
 */
public record SqlStatement(String text, int start, List<Token> tokens, boolean complete) {

    public SqlStatement {
        tokens = List.copyOf(tokens);
    }

    public boolean isEmpty() {
        return tokens.isEmpty();
    }

    /**
     * The statement text with one token cut out, e.g. to turn DSQL's {@code CREATE INDEX ASYNC} into the
     * {@code CREATE INDEX} PostgreSQL understands. Everything else, comments included, is kept byte for byte.
     */
    public String textWithout(Token token) {
        int from = token.start() - start;
        int to = token.end() - start;
        return text.substring(0, from) + " " + text.substring(to);
    }
}
