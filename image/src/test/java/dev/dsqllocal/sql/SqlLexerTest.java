package dev.dsqllocal.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlLexerTest {

    private static List<Token> tokens(String sql) {
        SqlLexer.Result r = SqlLexer.tokenize(sql);
        assertThat(r.complete()).as("complete: %s", sql).isTrue();
        return r.tokens();
    }

    private static List<String> values(String sql) {
        return tokens(sql).stream().map(Token::value).toList();
    }

    private static List<String> statementTexts(String sql) {
        return SqlLexer.split(sql).stream().map(s -> s.text().strip()).toList();
    }

    @Test
    void foldsUnquotedWordsAndKeepsQuotedIdentifiers() {
        List<Token> t = tokens("SeLeCt \"MixedCase\", \"a\"\"b\", ÄbC FROM Tbl");
        assertThat(t)
                .extracting(Token::type)
                .containsExactly(
                        TokenType.WORD,
                        TokenType.QUOTED_IDENTIFIER,
                        TokenType.PUNCTUATION,
                        TokenType.QUOTED_IDENTIFIER,
                        TokenType.PUNCTUATION,
                        TokenType.WORD,
                        TokenType.WORD,
                        TokenType.WORD);
        assertThat(t)
                .extracting(Token::value)
                .containsExactly("select", "MixedCase", ",", "a\"b", ",", "Äbc", "from", "tbl");
        assertThat(t.get(1).start()).isEqualTo(7);
        assertThat(t.get(1).end()).isEqualTo(18);
    }

    @Test
    void commentsAreSkippedIncludingNestedOnes() {
        assertThat(values("SELECT /* TRUNCATE /* nested */ t; */ 1 -- VACUUM;\n, 2"))
                .containsExactly("select", "1", ",", "2");
    }

    @Test
    void commentStartEndsAnOperator() {
        assertThat(values("SELECT 1+-- comment\n2")).containsExactly("select", "1", "+", "2");
        assertThat(values("SELECT 1 */* c */2")).containsExactly("select", "1", "*", "2");
    }

    @Test
    void standardStringsDoubleQuotesAndKeepBackslashes() {
        List<Token> t = tokens("SELECT 'it''s', 'a\\b'");
        assertThat(t.get(1).type()).isEqualTo(TokenType.STRING);
        assertThat(t.get(1).value()).isEqualTo("it's");
        assertThat(t.get(3).value()).isEqualTo("a\\b");
    }

    @Test
    void escapeStringsHonourBackslashQuote() {
        List<Token> t = tokens("SELECT E'\\'; TRUNCATE t; \\n', e'x'");
        assertThat(t).hasSize(4);
        assertThat(t.get(1).value()).isEqualTo("'; TRUNCATE t; \n");
        assertThat(t.get(3).value()).isEqualTo("x");
    }

    @Test
    void prefixedStringsAreStrings() {
        List<Token> t = tokens("SELECT U&'d\\0061t', B'101', X'1F', N'nat', U&\"d\\0061t\"");
        assertThat(t)
                .extracting(Token::type)
                .containsExactly(
                        TokenType.WORD,
                        TokenType.STRING,
                        TokenType.PUNCTUATION,
                        TokenType.STRING,
                        TokenType.PUNCTUATION,
                        TokenType.STRING,
                        TokenType.PUNCTUATION,
                        TokenType.STRING,
                        TokenType.PUNCTUATION,
                        TokenType.QUOTED_IDENTIFIER);
    }

    @Test
    void adjacentStringsSeparatedByNewlineAreOneLiteral() {
        List<Token> t = tokens("SELECT 'foo'\n  'bar', 'x' 'y'");
        assertThat(t.get(1).value()).isEqualTo("foobar");
        // without a newline PostgreSQL reports a syntax error; they stay two tokens
        assertThat(t).hasSize(5);
    }

    @Test
    void dollarQuotedBodiesAndParameters() {
        List<Token> t = tokens("SELECT $1, $$a;'b$$, $fn$ $$ ; TRUNCATE $fn$, a$b, $2::int");
        assertThat(t)
                .extracting(Token::text)
                .containsExactly(
                        "SELECT",
                        "$1",
                        ",",
                        "$$a;'b$$",
                        ",",
                        "$fn$ $$ ; TRUNCATE $fn$",
                        ",",
                        "a$b",
                        ",",
                        "$2",
                        "::",
                        "int");
        assertThat(t.get(1).type()).isEqualTo(TokenType.PARAMETER);
        assertThat(t.get(3).value()).isEqualTo("a;'b");
        assertThat(t.get(5).value()).isEqualTo(" $$ ; TRUNCATE ");
        assertThat(t.get(7).type()).isEqualTo(TokenType.WORD);
    }

    @Test
    void numbers() {
        assertThat(tokens("SELECT 1, 1.5, .5, 1e10, 2.5E-3, 0x1F, 1_000, 1..2"))
                .filteredOn(x -> x.type() == TokenType.NUMBER)
                .extracting(Token::text)
                .containsExactly(
                        "1", "1.5", ".5", "1e10", "2.5E-3", "0x1F", "1_000", "1",
                        ".2"); // like scan.l: 1..2 is 1, '.', .2
    }

    @Test
    void operatorsAndCasts() {
        assertThat(values("SELECT a->>'k', b::text, c := 1, d <> e, f >= g")).contains("->>", "::", ":=", "<>", ">=");
    }

    @Test
    void operatorsDoNotEndInSignsUnlessPostgresWouldKeepThem() {
        assertThat(values("SELECT a=-1, b<>-2, c @- d, e*-f"))
                .containsExactly(
                        "select", "a", "=", "-", "1", ",", "b", "<>", "-", "2", ",", "c", "@-", "d", ",", "e", "*", "-",
                        "f");
    }

    @Test
    void unterminatedInputIsIncompleteNotAnException() {
        assertThat(SqlLexer.tokenize("SELECT 'abc").complete()).isFalse();
        assertThat(SqlLexer.tokenize("SELECT \"abc").complete()).isFalse();
        assertThat(SqlLexer.tokenize("SELECT $$abc").complete()).isFalse();
        assertThat(SqlLexer.tokenize("SELECT 1 /* abc /* */").complete()).isFalse();
        assertThat(SqlLexer.tokenize("SELECT E'abc\\").complete()).isFalse();
        List<SqlStatement> s = SqlLexer.split("SELECT 1; SELECT 'abc");
        assertThat(s).hasSize(2);
        assertThat(s.get(0).complete()).isTrue();
        assertThat(s.get(1).complete()).isFalse();
    }

    @Test
    void splitsOnTopLevelSemicolonsOnly() {
        assertThat(statementTexts("SELECT 1; SELECT ';' ; SELECT $$;$$;SELECT (1);"))
                .containsExactly("SELECT 1", "SELECT ';'", "SELECT $$;$$", "SELECT (1)");
    }

    @Test
    void escapedQuoteDoesNotSwallowTheSeparator() {
        assertThat(statementTexts("SELECT E'\\''; TRUNCATE t; SELECT 'a\\'; SELECT 2"))
                .containsExactly("SELECT E'\\''", "TRUNCATE t", "SELECT 'a\\'", "SELECT 2");
    }

    @Test
    void emptyStatementsAndCommentsAreDropped() {
        assertThat(statementTexts(";; -- nothing\n ; /* still nothing */")).isEmpty();
        assertThat(statementTexts("BEGIN;\n-- c\nCREATE INDEX ASYNC i ON t (a);\nCOMMIT;"))
                .containsExactly("BEGIN", "-- c\nCREATE INDEX ASYNC i ON t (a)", "COMMIT");
    }

    @Test
    void keepsSqlStandardFunctionBodiesWhole() {
        String sql = """
                CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql
                BEGIN ATOMIC
                  SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END;
                  SELECT x;
                END;
                SELECT f(1);
                """;
        List<String> texts = statementTexts(sql);
        assertThat(texts).hasSize(2);
        assertThat(texts.get(0)).startsWith("CREATE FUNCTION").endsWith("END");
        assertThat(texts.get(1)).isEqualTo("SELECT f(1)");
    }

    @Test
    void beginAsTransactionIsNotAFunctionBody() {
        assertThat(statementTexts("BEGIN; SELECT 1; END;")).containsExactly("BEGIN", "SELECT 1", "END");
        assertThat(
                        statementTexts(
                                "CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END; CALL p()"))
                .hasSize(2);
    }

    @Test
    void statementPositionsPointIntoTheOriginalText() {
        String sql = "SELECT 1;  CREATE INDEX ASYNC idx ON t (a)";
        SqlStatement second = SqlLexer.split(sql).get(1);
        Token async = second.tokens().get(2);
        assertThat(sql.substring(async.start(), async.end())).isEqualTo("ASYNC");
        assertThat(second.textWithout(async).strip()).isEqualTo("CREATE INDEX   idx ON t (a)");
    }
}
