package dev.dsqllocal.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InternalNamesTest {

    @Test
    void sqlWithoutInternalNamesIsReturnedAsIs() {
        String sql = "SELECT a_b, dsql_localx, sys.jobs FROM t WHERE x = 'local_'";
        assertThat(InternalNames.hide(sql)).isSameAs(sql);
    }

    @Test
    void internalNamesBecomeNamesOfTheSameLengthThatNothingHas() {
        String sql = "SELECT sys.dsql_local_new_job_id(), SYS.DSQL_LOCAL_X(1) FROM sys.\"dsql_local_jobs\"";
        String hidden = InternalNames.hide(sql);
        assertThat(hidden)
                .isEqualTo("SELECT sys.dsql_l0cal_new_job_id(), SYS.DSQL_L0CAL_X(1) FROM sys.\"dsql_l0cal_jobs\"");
        assertThat(hidden).hasSameSizeAs(sql);
    }

    @Test
    void literalsAndCommentsAreLeftAlone() {
        String sql = "SELECT 'sys.dsql_local_jobs' /* dsql_local_x */ -- dsql_local_y\n";
        assertThat(InternalNames.hide(sql)).isEqualTo(sql);
    }

    @Test
    void sqlFunctionBodiesAreHiddenToo() {
        assertThat(InternalNames.hide("CREATE FUNCTION f() RETURNS text LANGUAGE sql AS 'SELECT sys.Dsql_Local_x()'"))
                .isEqualTo("CREATE FUNCTION f() RETURNS text LANGUAGE sql AS 'SELECT sys.Dsql_L0cal_x()'");
        assertThat(InternalNames.hide("CREATE OR REPLACE PROCEDURE p() LANGUAGE sql AS $$ CALL sys.dsql_local_y() $$"))
                .contains("dsql_l0cal_y");
    }

    @Test
    void aUnicodeEscapedNameIsReplacedWhole() {
        assertThat(InternalNames.hide("SELECT * FROM sys.U&\"d\\0073ql_local_jobs\" WHERE dsql_local_z = 1"))
                .isEqualTo("SELECT * FROM sys.\"dsql_l0cal_jobs\" WHERE dsql_l0cal_z = 1");
        assertThat(InternalNames.hide("DROP TABLE sys.u&\"!0064sql_local_jobs\" UESCAPE '!'"))
                .isEqualTo("DROP TABLE sys.\"dsql_l0cal_jobs\"");
        String ordinary = "SELECT * FROM U&\"d\\0061ta\"";
        assertThat(InternalNames.hide(ordinary)).isEqualTo(ordinary);
    }

    @Test
    void revealPutsTheWrittenNameBack() {
        assertThat(InternalNames.reveal("function sys.dsql_l0cal_x(integer) does not exist"))
                .isEqualTo("function sys.dsql_local_x(integer) does not exist");
        assertThat(InternalNames.mentionsInternal("PL/pgSQL function sys.dsql_local_ddl_end() line 3 at RAISE"))
                .isTrue();
        assertThat(InternalNames.mentionsInternal("SQL function \"f\" statement 1"))
                .isFalse();
    }
}
