package dev.dsqllocal.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dsqllocal.sql.SqlLexer;
import dev.dsqllocal.sql.StatementClassifier;
import dev.dsqllocal.sql.StatementInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Whatever a client sends, the dialect answers with a verdict of its own rule table: a refusal carries the SQLSTATE
 * of the rule it names and a message with every placeholder filled; the same text always gets the same verdicts; and
 * the statements a client wrote are counted as PostgreSQL counts them (a semicolon inside a literal, a quoted name,
 * a comment or parentheses separates nothing).
 */
class RobustnessTest {

    private static final DialectRules RULES = DialectRules.latest();
    private static final DialectCheck CHECK = new DialectCheck(RULES);
    private static final Map<String, DialectRule> RULES_BY_ID =
            RULES.allRules().stream().collect(Collectors.toMap(r -> r.id().key(), Function.identity(), (a, b) -> a));
    private static final Pattern UNFILLED = Pattern.compile("\\{[a-z_]+\\}");

    /** The verdicts for each statement of {@code sql} as a Query, then for {@code sql} as one Parse. */
    private static List<Verdict> judge(String sql) {
        List<Verdict> verdicts = new ArrayList<>();
        for (StatementInfo info : StatementClassifier.classifyAll(sql)) {
            verdicts.add(CHECK.check(info, SessionState.initial()));
        }
        verdicts.add(CHECK.check(StatementClassifier.classifySingle(sql), SessionState.initial()));
        return verdicts;
    }

    /** Judges {@code sql} twice and checks every refusal against the rule table. */
    private static int judgeAndCheck(String sql) {
        List<Verdict> verdicts = judge(sql);
        assertThat(judge(sql)).as("same verdicts for the same text: %s", sql).isEqualTo(verdicts);
        int refusals = 0;
        for (Verdict verdict : verdicts) {
            DsqlError error = verdict instanceof Verdict.Refuse refuse
                    ? refuse.error()
                    : verdict instanceof Verdict.PassIfTableEmpty conditional ? conditional.ifNotEmpty() : null;
            if (error == null) {
                continue;
            }
            refusals++;
            DialectRule rule = RULES_BY_ID.get(error.ruleId());
            assertThat(rule)
                    .as("refusal of %s names a rule of the table: %s", sql, error)
                    .isNotNull();
            assertThat(error.sqlstate())
                    .as("SQLSTATE of rule %s for %s", rule.id().key(), sql)
                    .isEqualTo(rule.sqlstate());
            assertThat(error.message()).as("message of %s", sql).isNotBlank().doesNotContainPattern(UNFILLED);
            if (error.detail() != null) {
                assertThat(error.detail()).doesNotContainPattern(UNFILLED);
            }
            if (error.hint() != null) {
                assertThat(error.hint()).doesNotContainPattern(UNFILLED);
            }
        }
        return refusals;
    }

    @Test
    void everyPrefixOfEveryConformanceCaseGetsVerdictsFromTheRuleTable() {
        int refusals = 0;
        int refusedCases = 0;
        for (DialectConformanceTest.Case c : DialectConformanceTest.cases()) {
            String sql = c.sql();
            if (sql.length() > 500) {
                continue; // the generated wide tables add nothing but time
            }
            for (int i = 0; i <= sql.length(); i++) {
                refusals += judgeAndCheck(sql.substring(0, i));
            }
            if (c.sqlstate() != null && judgeAndCheck(sql) > 0) {
                refusedCases++;
            }
        }
        assertThat(refusals)
                .as("the prefixes exercise refusals, not only passes")
                .isGreaterThan(100);
        assertThat(refusedCases)
                .as("whole cases that DSQL refuses are refused here too")
                .isGreaterThan(10);
    }

    @Test
    void randomTokenSoupGetsVerdictsFromTheRuleTable() {
        String[] pieces = {
            "CREATE",
            "TABLE",
            "INDEX",
            "ASYNC",
            "ALTER",
            "ADD",
            "COLUMN",
            "(",
            ")",
            "[",
            "]",
            ",",
            ";",
            "'x'",
            "$$",
            "$1",
            "\"q\"",
            "--",
            "/*",
            "*/",
            "E'\\'",
            "int",
            "ARRAY",
            "GENERATED",
            "AS",
            "IDENTITY",
            "CACHE",
            "-",
            "1",
            "SET",
            "LOCAL",
            "TO",
            "=",
            "WITH",
            "SELECT",
            "FOR",
            "UPDATE",
            "BEGIN",
            "ATOMIC",
            "END",
            "CASE",
            "FUNCTION",
            "AWS",
            "IAM",
            "GRANT",
            "CALL",
            ".",
            "sys",
            "ON",
            "USING",
            "TRUNCATE",
            "TRIGGER",
            "\n"
        };
        Random random = new Random(42);
        int refusals = 0;
        for (int n = 0; n < 2_000; n++) {
            StringBuilder sql = new StringBuilder();
            int length = random.nextInt(14);
            for (int i = 0; i < length; i++) {
                sql.append(pieces[random.nextInt(pieces.length)]).append(random.nextBoolean() ? " " : "");
            }
            refusals += judgeAndCheck(sql.toString());
        }
        assertThat(refusals).as("the soup hits refusals").isGreaterThan(20);
    }

    /**
     * Statements built from pieces that may hide a semicolon (a literal, a quoted name, a comment, parentheses),
     * joined with semicolons: the lexer finds exactly the statements written, where a naive split on every
     * semicolon finds more.
     */
    @Test
    void statementsAreCountedAsWrittenNotAtEverySemicolon() {
        String[] plain = {"SELECT", "a", "1", "FROM", "t", "WHERE", "=", "+", ","};
        String[] hiding = {"'x;y'", "\"q;r\"", "/* ; */", "-- ;\n", "(1;2)", "$$;$$", "$tag$ ; $tag$", "E'\\';'"};
        Random random = new Random(7);
        int naiveWouldMiscount = 0;
        for (int n = 0; n < 1_000; n++) {
            int statements = 1 + random.nextInt(4);
            List<String> written = new ArrayList<>();
            for (int s = 0; s < statements; s++) {
                StringBuilder statement = new StringBuilder(plain[random.nextInt(plain.length)]);
                for (int i = random.nextInt(6); i > 0; i--) {
                    String[] from = random.nextInt(3) == 0 ? hiding : plain;
                    statement.append(' ').append(from[random.nextInt(from.length)]);
                }
                written.add(statement.toString());
            }
            String sql = String.join(random.nextBoolean() ? ";" : " ;\n", written);
            int naive = (int) java.util.Arrays.stream(sql.split(";"))
                    .filter(part -> !part.isBlank())
                    .count();
            naiveWouldMiscount += naive != statements ? 1 : 0;
            assertThat(SqlLexer.split(sql)).as(sql).hasSize(statements);
            assertThat(StatementClassifier.classifyAll(sql)).as(sql).hasSize(statements);
        }
        assertThat(naiveWouldMiscount).as("the inputs do hide semicolons").isGreaterThan(300);
    }
}
