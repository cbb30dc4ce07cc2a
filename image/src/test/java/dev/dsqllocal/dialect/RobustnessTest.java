package dev.dsqllocal.dialect;

import static org.assertj.core.api.Assertions.assertThatCode;

import dev.dsqllocal.sql.StatementClassifier;
import dev.dsqllocal.sql.StatementInfo;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Whatever a client sends, the dialect layer answers (pass, refuse or unknown) and never throws. */
class RobustnessTest {

    private static final DialectCheck CHECK = new DialectCheck(DialectRules.latest());

    private static void judge(String sql) {
        for (StatementInfo info : StatementClassifier.classifyAll(sql)) {
            CHECK.check(info, SessionState.initial());
        }
        StatementClassifier.classifySingle(sql);
    }

    @Test
    void everyPrefixOfEveryConformanceCaseIsHandled() {
        for (DialectConformanceTest.Case c : DialectConformanceTest.cases()) {
            String sql = c.sql();
            if (sql.length() > 500) {
                continue; // the generated wide tables add nothing but time
            }
            for (int i = 0; i <= sql.length(); i++) {
                String prefix = sql.substring(0, i);
                assertThatCode(() -> judge(prefix)).as(prefix).doesNotThrowAnyException();
            }
        }
    }

    @Test
    void randomTokenSoupIsHandled() {
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
            "\n"
        };
        Random random = new Random(42);
        for (int n = 0; n < 2_000; n++) {
            StringBuilder sql = new StringBuilder();
            int length = random.nextInt(14);
            for (int i = 0; i < length; i++) {
                sql.append(pieces[random.nextInt(pieces.length)]).append(random.nextBoolean() ? " " : "");
            }
            String text = sql.toString();
            assertThatCode(() -> judge(text)).as(text).doesNotThrowAnyException();
        }
    }
}
