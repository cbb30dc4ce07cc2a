package dev.dsqllocal.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dsqllocal.sql.StatementClassifier;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Rules carry dates: pinned to an earlier epoch, the emulator refuses what DSQL refused then. */
class DialectEpochTest {

    private static Verdict check(String epoch, String sql) {
        DialectCheck check = new DialectCheck(DialectRules.load(DialectEpoch.parse(epoch)));
        return check.check(StatementClassifier.classifySingle(sql), SessionState.initial());
    }

    private static String message(Verdict v) {
        assertThat(v).isInstanceOf(Verdict.Refuse.class);
        return ((Verdict.Refuse) v).error().message();
    }

    @Test
    void parsesEpochSpellings() {
        assertThat(DialectEpoch.parse("latest")).isEqualTo(DialectEpoch.LATEST);
        assertThat(DialectEpoch.parse("")).isEqualTo(DialectEpoch.LATEST);
        assertThat(DialectEpoch.parse("2026-09").date()).isEqualTo(LocalDate.of(2026, 9, 30));
        assertThat(DialectEpoch.parse("2026-08-26").date()).isEqualTo(LocalDate.of(2026, 8, 26));
        assertThatThrownBy(() -> DialectEpoch.parse("sept")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DialectRules.load(DialectEpoch.parse("2025-01")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("older than the oldest");
    }

    @Test
    void foreignKeysArriveOn20260826() {
        String sql = "CREATE TABLE c (id uuid PRIMARY KEY, p uuid REFERENCES p (id))";
        assertThat(message(check("2026-08-25", sql))).isEqualTo("FOREIGN KEY constraints not supported");
        assertThat(check("2026-08-26", sql)).isEqualTo(Verdict.PASS);
        assertThat(check("latest", sql)).isEqualTo(Verdict.PASS);
    }

    @Test
    void partialIndexesArriveOn20260915() {
        String sql = "CREATE INDEX ASYNC i ON t (a) WHERE a IS NOT NULL";
        assertThat(message(check("2026-09-14", sql))).isEqualTo("WHERE clause not supported for CREATE INDEX");
        assertThat(check("2026-09-15", sql)).isEqualTo(Verdict.PASS);
        // "2026-09" means the end of September, after the change
        assertThat(check("2026-09", sql)).isEqualTo(Verdict.PASS);
    }

    @Test
    void expressionIndexesArriveOn20260813() {
        String sql = "CREATE INDEX ASYNC i ON t (lower(name))";
        assertThat(check("2026-08-12", sql)).isInstanceOf(Verdict.Refuse.class);
        assertThat(check("2026-08-13", sql)).isEqualTo(Verdict.PASS);
    }

    @Test
    void forKeyShareArrivesOn20260825WithANewMessage() {
        assertThat(message(check("2026-08-24", "SELECT * FROM t FOR KEY SHARE")))
                .isEqualTo("locking clauses other than FOR UPDATE are not supported");
        assertThat(message(check("2026-08-24", "SELECT * FROM t FOR SHARE")))
                .isEqualTo("locking clauses other than FOR UPDATE are not supported");
        assertThat(check("2026-08-25", "SELECT * FROM t FOR KEY SHARE")).isEqualTo(Verdict.PASS);
        assertThat(message(check("2026-08-25", "SELECT * FROM t FOR SHARE")))
                .isEqualTo("locking clauses other than FOR UPDATE/FOR KEY SHARE are not supported");
    }

    @Test
    void dropColumnAndNotValidConstraintsArriveOn20260803() {
        assertThat(check("2026-08-02", "ALTER TABLE t DROP COLUMN c")).isInstanceOf(Verdict.Refuse.class);
        assertThat(check("2026-08-03", "ALTER TABLE t DROP COLUMN c")).isEqualTo(Verdict.PASS);
        String notValid = "ALTER TABLE t ADD CONSTRAINT k CHECK (a > 0) NOT VALID";
        assertThat(check("2026-08-02", notValid)).isInstanceOf(Verdict.Refuse.class);
        assertThat(check("2026-08-03", notValid)).isEqualTo(Verdict.PASS);
        assertThat(check("2026-08-02", "ALTER TABLE ASYNC t VALIDATE CONSTRAINT k"))
                .isInstanceOf(Verdict.Refuse.class);
    }

    @Test
    void statisticsArriveOn20260827() {
        String sql = "CREATE STATISTICS s (dependencies) ON a, b FROM t";
        assertThat(message(check("2026-08-26", sql))).isEqualTo("unsupported statement: CreateStats");
        assertThat(check("2026-08-27", sql)).isEqualTo(Verdict.PASS);
    }

    @Test
    void batchedNestloopSettingArrivesOn20260911() {
        String sql = "SET dsql.enable_batched_nestloop = on";
        assertThat(message(check("2026-09-10", sql)))
                .isEqualTo("setting configuration parameter \"dsql.enable_batched_nestloop\" not supported");
        assertThat(check("2026-09-11", sql)).isEqualTo(Verdict.PASS);
    }

    @Test
    void ruleTableIsWellFormed() {
        List<DialectRule> rules = DialectRules.latest().allRules();
        assertThat(rules).allSatisfy(r -> {
            assertThat(r.sqlstate()).matches("[0-9A-Z]{5}");
            assertThat(r.message()).isNotBlank();
            assertThat(r.evidence()).isIn("O", "D", "I");
            assertThat(r.source()).isNotBlank();
            if (r.since() != null && r.until() != null) {
                assertThat(r.since()).isBefore(r.until());
            }
        });
        // entries sharing an id never overlap in time for the same subject
        for (DialectRule a : rules) {
            for (DialectRule b : rules) {
                if (a != b && a.id().equals(b.id()) && overlaps(a, b)) {
                    assertThat(a.subjects()).as("overlapping %s", a.id()).doesNotContainAnyElementsOf(b.subjects());
                    assertThat(a.subjects())
                            .as("overlapping %s without subjects", a.id())
                            .isNotEmpty();
                }
            }
        }
    }

    private static boolean overlaps(DialectRule a, DialectRule b) {
        LocalDate aStart = a.since() == null ? LocalDate.MIN : a.since();
        LocalDate bStart = b.since() == null ? LocalDate.MIN : b.since();
        LocalDate aEnd = a.until() == null ? LocalDate.MAX : a.until();
        LocalDate bEnd = b.until() == null ? LocalDate.MAX : b.until();
        return aStart.isBefore(bEnd) && bStart.isBefore(aEnd);
    }
}
