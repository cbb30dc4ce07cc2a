package dev.dsqllocal.sql;

/**
 * One lexical token of SQL text.
 *
 * @param type  category
 * @param text  the exact source text of the token
 * @param value normalised value: folded word, undoubled identifier, decoded string body, or the text itself
 * @param start offset of the first character in the source
 * @param end   offset just past the last character in the source
 */
public record Token(TokenType type, String text, String value, int start, int end) {

    /** True for an unquoted word equal (after folding) to {@code lowerCaseWord}. */
    public boolean isWord(String lowerCaseWord) {
        return type == TokenType.WORD && value.equals(lowerCaseWord);
    }

    public boolean isPunctuation(char c) {
        return type == TokenType.PUNCTUATION && text.length() == 1 && text.charAt(0) == c;
    }

    public boolean isOperator(String op) {
        return type == TokenType.OPERATOR && text.equals(op);
    }

    /** A name in the sense of the grammar: an unquoted word or a quoted identifier. */
    public boolean isName() {
        return type == TokenType.WORD || type == TokenType.QUOTED_IDENTIFIER;
    }
}
