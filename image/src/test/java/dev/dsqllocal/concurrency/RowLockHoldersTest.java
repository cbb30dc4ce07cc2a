package dev.dsqllocal.concurrency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dsqllocal.pgwire.BackendMessage.ErrorResponse;
import dev.dsqllocal.pgwire.BackendMessage.NoticeResponse;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RowLockHoldersTest {

    private static ErrorResponse lockTimeout(String context) {
        return new ErrorResponse(
                Map.of('S', "ERROR", 'C', "55P03", 'M', "canceling statement due to lock timeout", 'W', context));
    }

    @Test
    void theTupleComesFromTheLockTimeoutsContext() {
        assertThat(RowLockHolders.blockedAt(lockTimeout("while updating tuple (0,1) in relation \"t\"")))
                .contains(new RowLockHolders.Tuple("t", "(0,1)"));
        // A foreign-key check: the referenced row, the check's SQL on the next line.
        assertThat(RowLockHolders.blockedAt(lockTimeout("while locking tuple (12,34) in relation \"Parent\"\n"
                        + "SQL statement \"SELECT 1 FROM ONLY \"public\".\"Parent\" x WHERE ...\"")))
                .contains(new RowLockHolders.Tuple("Parent", "(12,34)"));
    }

    @Test
    void aWaitThatNamesNoHeapTupleIsNotSearched() {
        assertThat(RowLockHolders.blockedAt(lockTimeout("while inserting index tuple (0,3) in relation \"t_pkey\"")))
                .isEmpty();
        assertThat(RowLockHolders.blockedAt(lockTimeout("while updating tuple (0,1) in relation \"a$b\"")))
                .as("a name that would end the dollar-quoted block")
                .isEmpty();
        assertThat(RowLockHolders.blockedAt(new ErrorResponse(Map.of('C', "55P03"))))
                .isEmpty();
    }

    @Test
    void theQueryQuotesTheRelationAndReportsInANotice() {
        String sql = RowLockHolders.query(new RowLockHolders.Tuple("it's", "(0,1)"));
        assertThat(sql).startsWith("DO $dsql_local$").endsWith("END$dsql_local$");
        assertThat(sql).contains("'it''s'").contains("'(0,1)'").contains("RAISE NOTICE 'dsql_local_blockers:%'");
    }

    @Test
    void thePidsComeFromTheNotice() {
        assertThat(RowLockHolders.pids(new NoticeResponse(Map.of('M', "dsql_local_blockers:101,202"))))
                .contains(Set.of(101, 202));
        assertThat(RowLockHolders.pids(new NoticeResponse(Map.of('M', "dsql_local_blockers:"))))
                .contains(Set.of());
        assertThat(RowLockHolders.pids(new NoticeResponse(Map.of('M', "relation exists, skipping"))))
                .isEmpty();
    }
}
