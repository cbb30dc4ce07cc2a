package dev.dsqllocal.concurrency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dsqllocal.sql.StatementClassifier;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SnapshotStatementsTest {

    private static Optional<SnapshotStatements.Snapshot> of(String sql) {
        return SnapshotStatements.of(StatementClassifier.classifyAll(sql).get(0));
    }

    @Test
    void anUpdateIsAnsweredByTheRowsItsTargetAndPredicateMatch() {
        SnapshotStatements.Snapshot s = of("UPDATE s.t AS x SET n = (SELECT 1 FROM u WHERE u.id = x.id) WHERE id >= $1")
                .orElseThrow();
        assertThat(s.sql()).isEqualTo("SELECT 1 FROM s.t AS x WHERE id >= $1");
        assertThat(s.tag()).isEqualTo("UPDATE");
        assertThat(s.table()).isEqualTo("t");
        assertThat(of("UPDATE t SET n = 1 FROM u WHERE t.id = u.id")
                        .orElseThrow()
                        .sql())
                .isEqualTo("SELECT 1 FROM t, u WHERE t.id = u.id");
    }

    @Test
    void aDeleteKeepsItsUsingListAndPredicate() {
        assertThat(of("DELETE FROM t USING u WHERE t.id = u.id").orElseThrow().sql())
                .isEqualTo("SELECT 1 FROM t, u WHERE t.id = u.id");
        assertThat(of("DELETE FROM t").orElseThrow().sql()).isEqualTo("SELECT 1 FROM t");
    }

    @Test
    void anInsertOfValuesIsAnsweredByItsRows() {
        SnapshotStatements.Snapshot s =
                of("INSERT INTO t (id, n) VALUES (1, $1), (2, 3)").orElseThrow();
        assertThat(s.sql()).isEqualTo("VALUES (1, $1), (2, 3)");
        assertThat(s.tag()).isEqualTo("INSERT 0");
        assertThat(of("INSERT INTO t (id) SELECT id FROM u WHERE id > 1")
                        .orElseThrow()
                        .sql())
                .isEqualTo("SELECT id FROM u WHERE id > 1");
        assertThat(of("INSERT INTO t VALUES (1, 2) ON CONFLICT (id) DO UPDATE SET n = DEFAULT")
                        .orElseThrow()
                        .sql())
                .isEqualTo("VALUES (1, 2)");
    }

    @Test
    void aLockingSelectRunsWithoutItsLockingClauses() {
        assertThat(of("SELECT n FROM t WHERE id = 1 FOR UPDATE OF t NOWAIT")
                        .orElseThrow()
                        .sql())
                .isEqualTo("SELECT n FROM t WHERE id = 1");
        assertThat(of("SELECT id FROM t FOR KEY SHARE LIMIT 1").orElseThrow().sql())
                .isEqualTo("SELECT id FROM t  LIMIT 1");
        assertThat(of("SELECT id FROM t FOR KEY SHARE").orElseThrow().tag()).isNull();
    }

    @Test
    void aDeleteReturningAnswersTheRowsItMatches() {
        SnapshotStatements.Snapshot s =
                of("DELETE FROM t USING u WHERE t.id = u.id RETURNING t.*, u.n").orElseThrow();
        assertThat(s.sql()).isEqualTo("SELECT t.*, u.n FROM t, u WHERE t.id = u.id");
        assertThat(s.tag()).isEqualTo("DELETE");
        assertThat(s.returning()).isTrue();
    }

    @Test
    void anUpdateReturningAnswersTheNewRowsComputedOnTheSnapshot() {
        SnapshotStatements.Snapshot s = of("UPDATE s.t AS x SET n = n + $1, \"Label\" = 'a,b' WHERE id = 1 RETURNING *")
                .orElseThrow();
        assertThat(s.sql())
                .isEqualTo("SELECT * FROM (SELECT (jsonb_populate_record(x, jsonb_build_object("
                        + "'n', CASE WHEN false THEN x.\"n\" ELSE (n + $1) END, "
                        + "'Label', CASE WHEN false THEN x.\"Label\" ELSE ('a,b') END))).*"
                        + " FROM s.t AS x WHERE id = 1) AS x");
        assertThat(s.tag()).isEqualTo("UPDATE");
        assertThat(s.returning()).isTrue();
    }

    @Test
    void whatCannotBeAnsweredFromTheSnapshotIsNotDeferred() {
        assertThat(of("UPDATE t SET n = 1 FROM u WHERE t.id = u.id RETURNING u.n"))
                .isEmpty();
        assertThat(of("UPDATE t SET (a, b) = (1, 2) RETURNING a")).isEmpty();
        assertThat(of("UPDATE t SET a = DEFAULT RETURNING a")).isEmpty();
        assertThat(of("DELETE FROM t WHERE CURRENT OF c")).isEmpty();
        assertThat(of("INSERT INTO t VALUES (1) RETURNING id")).isEmpty();
        assertThat(of("INSERT INTO t DEFAULT VALUES")).isEmpty();
        assertThat(of("INSERT INTO t WITH x AS (SELECT 1) SELECT * FROM x")).isEmpty();
        assertThat(of("SELECT n FROM t")).isEmpty();
        assertThat(of("WITH x AS (SELECT 1) UPDATE t SET n = 1")).isEmpty();
    }
}
