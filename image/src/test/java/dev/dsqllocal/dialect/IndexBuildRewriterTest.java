package dev.dsqllocal.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dsqllocal.sql.SqlLexer;
import dev.dsqllocal.sql.SqlStatement;
import dev.dsqllocal.sql.StatementClassifier;
import dev.dsqllocal.sql.StatementInfo;
import org.junit.jupiter.api.Test;

class IndexBuildRewriterTest {

    private static String rewrite(String sql) {
        SqlStatement statement = SqlLexer.split(sql).get(0);
        StatementInfo info = StatementClassifier.classify(statement);
        return IndexBuildRewriter.asyncIndex(statement, info.index().orElseThrow());
    }

    @Test
    void theAsyncTokenIsCutByPositionAndTheRestKeptByteForByte() {
        assertThat(rewrite("CREATE UNIQUE INDEX ASYNC IF NOT EXISTS ix ON s.t (a) /* async */"))
                .isEqualTo("SELECT job_id FROM sys.dsql_local_create_index_async("
                        + "$dsql_local$CREATE UNIQUE INDEX   IF NOT EXISTS ix ON s.t (a) /* async */$dsql_local$, "
                        + "$dsql_local$\"s\".\"t\"$dsql_local$, $dsql_local$ix$dsql_local$, "
                        + "$dsql_local$CREATE   INDEX   IF NOT EXISTS ix ON s.t (a) /* async */$dsql_local$)");
    }

    @Test
    void aUniqueIndexAlsoPassesItsNonUniqueTwinForABuildOverDuplicates() {
        assertThat(rewrite("/* c */ create unique index async u on t (a)"))
                .endsWith(", $dsql_local$/* c */ create   index   u on t (a)$dsql_local$)");
    }

    @Test
    void anUnnamedIndexPassesNoName() {
        assertThat(rewrite("create index async on t (a)")).endsWith(", NULL, NULL)");
    }

    @Test
    void aDollarTagInTheStatementIsNeverReused() {
        String sql = "CREATE INDEX ASYNC ix ON t ((a || '$dsql_local$'))";
        String rewritten = rewrite(sql);
        assertThat(rewritten).contains("$dsql_local0$CREATE INDEX   ix ON t ((a || '$dsql_local$'))$dsql_local0$");
    }

    @Test
    void theSyncBuildChecksEmptinessInTheSameStatement() {
        String block = IndexBuildRewriter.syncIndexIfEmpty(
                "CREATE INDEX ix ON t (a)",
                "\"t\"",
                DsqlError.error("0A000", "unsupported mode. please use CREATE INDEX ASYNC."));
        assertThat(block)
                .startsWith("DO $dsql_local0$")
                .contains(
                        "IF EXISTS (SELECT FROM \"t\") THEN RAISE EXCEPTION USING ERRCODE = $dsql_local$0A000$dsql_local$")
                .contains("EXECUTE $dsql_local$CREATE INDEX ix ON t (a)$dsql_local$");
    }

    @Test
    void alterTableAsyncValidateRunsAsAJobFunction() {
        SqlStatement statement = SqlLexer.split("ALTER TABLE ASYNC app.\"Orders\" VALIDATE CONSTRAINT ck")
                .get(0);
        StatementInfo.AlterTableFacts alter =
                StatementClassifier.classify(statement).alterTable().orElseThrow();
        assertThat(ConstraintValidationRewriter.applies(alter)).isTrue();
        assertThat(ConstraintValidationRewriter.asyncValidation(statement, alter))
                .isEqualTo("SELECT job_id FROM sys.dsql_local_validate_constraint_async("
                        + "$dsql_local$ALTER TABLE   app.\"Orders\" VALIDATE CONSTRAINT ck$dsql_local$, "
                        + "$dsql_local$\"app\".\"Orders\"$dsql_local$)");
        SqlStatement sync =
                SqlLexer.split("ALTER TABLE t VALIDATE CONSTRAINT ck").get(0);
        assertThat(ConstraintValidationRewriter.applies(
                        StatementClassifier.classify(sync).alterTable().orElseThrow()))
                .isFalse();
    }
}
