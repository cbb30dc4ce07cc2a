package dev.dsqllocal.sql;

/** Lexical categories of PostgreSQL SQL text, as far as the dialect layer needs to tell them apart. */
public enum TokenType {
    /** Unquoted identifier or keyword; {@link Token#value()} is folded to lower case like PostgreSQL does. */
    WORD,
    /** {@code "Quoted"} or {@code U&"..."} identifier; value keeps its case and has {@code ""} undoubled. */
    QUOTED_IDENTIFIER,
    /** Any string constant: {@code '...'}, {@code E'...'}, {@code U&'...'}, {@code N'...'}, {@code B'...'}, {@code X'...'}, {@code $tag$...$tag$}. */
    STRING,
    NUMBER,
    /** Positional parameter {@code $1}. */
    PARAMETER,
    /** Operator such as {@code =}, {@code ::}, {@code ->>}, {@code :=}. */
    OPERATOR,
    /** One of {@code ( ) [ ] , ; . :}. */
    PUNCTUATION
}
