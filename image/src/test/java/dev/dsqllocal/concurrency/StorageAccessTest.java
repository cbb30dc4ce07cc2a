package dev.dsqllocal.concurrency;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dsqllocal.sql.StatementClassifier;
import org.junit.jupiter.api.Test;

class StorageAccessTest {

    private static boolean touches(String sql) {
        return StorageAccess.touchesStorage(StatementClassifier.classifySingle(sql));
    }

    @Test
    void validationQueriesSessionStatementsAndTransactionControlTouchNothing() {
        for (String sql : new String[] {
            "",
            "-- ping",
            "SELECT 1",
            "select 1 as ok",
            "VALUES (1)",
            "SELECT version()",
            "SELECT current_schema(), current_user, pg_backend_pid()",
            "SELECT now()::text",
            "SELECT pg_catalog.current_setting('server_version')",
            "SET search_path = public",
            "RESET ALL",
            "SHOW transaction_isolation",
            "BEGIN",
            "BEGIN READ ONLY",
            "ROLLBACK",
            "SAVEPOINT s",
            "DISCARD ALL",
            "DEALLOCATE ALL",
            "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"
        }) {
            assertThat(touches(sql)).as(sql).isFalse();
        }
    }

    @Test
    void readsWritesSchemaChangesAndAnythingUnsureTouchStorage() {
        for (String sql : new String[] {
            "SELECT * FROM t",
            "SELECT (SELECT count(*) FROM t)",
            "TABLE t",
            "SELECT nextval('s')",
            "SELECT my_function()",
            "SELECT sys.dsql_major_version()",
            "SELECT 't'::regclass",
            "SELECT to_regclass('t')",
            "INSERT INTO t VALUES (1)",
            "UPDATE t SET v = 1",
            "CREATE TABLE t (id int)",
            "GRANT SELECT ON t TO PUBLIC",
            "AWS IAM GRANT r TO 'arn:aws:iam::012345678912:role/x'",
            "EXPLAIN SELECT 1",
            "CALL p()",
            "DO $$BEGIN END$$",
            "WITH x AS (SELECT 1) SELECT * FROM x",
            "COPY t TO STDOUT",
            "frobnicate"
        }) {
            assertThat(touches(sql)).as(sql).isTrue();
        }
    }
}
