package dev.dsqllocal.sql;

import java.util.ArrayList;
import java.util.List;

/** A read position over a statement's tokens with the small look-ahead helpers a hand-written parser needs. */
final class TokenCursor {

    private final List<Token> tokens;
    private int index;

    TokenCursor(List<Token> tokens) {
        this(tokens, 0);
    }

    TokenCursor(List<Token> tokens, int index) {
        this.tokens = tokens;
        this.index = index;
    }

    int position() {
        return index;
    }

    void seek(int position) {
        index = position;
    }

    boolean atEnd() {
        return index >= tokens.size();
    }

    /** Token {@code ahead} positions on, or null past the end. */
    Token peek(int ahead) {
        int i = index + ahead;
        return i < tokens.size() ? tokens.get(i) : null;
    }

    Token peek() {
        return peek(0);
    }

    Token next() {
        return atEnd() ? null : tokens.get(index++);
    }

    boolean atWord(String word) {
        Token t = peek();
        return t != null && t.isWord(word);
    }

    /** True if the next tokens are exactly these words (folded), without consuming them. */
    boolean atWords(String... words) {
        for (int i = 0; i < words.length; i++) {
            Token t = peek(i);
            if (t == null || !t.isWord(words[i])) {
                return false;
            }
        }
        return true;
    }

    /** Consumes the words if all of them follow, in order. */
    boolean accept(String... words) {
        if (!atWords(words)) {
            return false;
        }
        index += words.length;
        return true;
    }

    /** Consumes an operator token such as {@code *} if it is next. */
    boolean acceptOperator(String op) {
        Token t = peek();
        if (t != null && t.isOperator(op)) {
            index++;
            return true;
        }
        return false;
    }

    static String upper(String word) {
        return word.toUpperCase(java.util.Locale.ROOT);
    }

    boolean atPunctuation(char c) {
        Token t = peek();
        return t != null && t.isPunctuation(c);
    }

    boolean acceptPunctuation(char c) {
        if (atPunctuation(c)) {
            index++;
            return true;
        }
        return false;
    }

    /** Name-like token (word or quoted identifier) value, consumed; null if the next token is not one. */
    String acceptName() {
        Token t = peek();
        if (t != null && t.isName()) {
            index++;
            return t.value();
        }
        return null;
    }

    /** A possibly qualified name {@code a.b.c}; returns the dotted value, or null. */
    String acceptQualifiedName() {
        String name = acceptName();
        if (name == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(name);
        while (atPunctuation('.') && peek(1) != null && peek(1).isName()) {
            index++;
            b.append('.').append(next().value());
        }
        return b.toString();
    }

    /**
     * A possibly qualified name written so that PostgreSQL resolves it to the same object: every part
     * double-quoted (unquoted parts were folded already), e.g. {@code "app"."Orders"}; null if absent.
     */
    String acceptQualifiedNameQuoted() {
        Token t = peek();
        if (t == null || !t.isName()) {
            return null;
        }
        StringBuilder b = new StringBuilder(quote(next().value()));
        while (atPunctuation('.') && peek(1) != null && peek(1).isName()) {
            index++;
            b.append('.').append(quote(next().value()));
        }
        return b.toString();
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /**
     * When at an opening bracket, skips to just past its matching closer and returns the tokens inside;
     * otherwise returns an empty list and does not move.
     */
    List<Token> skipGroup() {
        if (!atPunctuation('(') && !atPunctuation('[')) {
            return List.of();
        }
        int depth = 0;
        int start = index + 1;
        while (!atEnd()) {
            Token t = next();
            if (t.isPunctuation('(') || t.isPunctuation('[')) {
                depth++;
            } else if (t.isPunctuation(')') || t.isPunctuation(']')) {
                depth--;
                if (depth == 0) {
                    return tokens.subList(start, index - 1);
                }
            }
        }
        return tokens.subList(start, tokens.size());
    }

    /** Remaining tokens from the current position. */
    List<Token> rest() {
        return tokens.subList(Math.min(index, tokens.size()), tokens.size());
    }

    /** Splits tokens at commas that are not nested in brackets. */
    static List<List<Token>> splitTopLevel(List<Token> tokens, char separator) {
        List<List<Token>> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isPunctuation('(') || t.isPunctuation('[')) {
                depth++;
            } else if (t.isPunctuation(')') || t.isPunctuation(']')) {
                depth--;
            } else if (depth == 0 && t.isPunctuation(separator)) {
                parts.add(tokens.subList(start, i));
                start = i + 1;
            }
        }
        if (start < tokens.size()) {
            parts.add(tokens.subList(start, tokens.size()));
        }
        return parts;
    }

    /** True if a word occurs at bracket depth 0 in the tokens. */
    static boolean containsTopLevelWord(List<Token> tokens, String word) {
        return indexOfTopLevelWord(tokens, word, 0) >= 0;
    }

    static int indexOfTopLevelWord(List<Token> tokens, String word, int from) {
        int depth = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isPunctuation('(') || t.isPunctuation('[')) {
                depth++;
            } else if (t.isPunctuation(')') || t.isPunctuation(']')) {
                depth--;
            } else if (depth == 0 && i >= from && t.isWord(word)) {
                return i;
            }
        }
        return -1;
    }
}
