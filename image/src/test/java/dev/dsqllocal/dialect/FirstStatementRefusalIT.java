package dev.dsqllocal.dialect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.dsqllocal.testsupport.ShippedEmulator;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A refused statement that is the first of a connection with autocommit off (pgJDBC sends its BEGIN in the same
 * batch) gets DSQL's error, never the gateway's internal marker. Flyway's connection-state restore does exactly this.
 */
class FirstStatementRefusalIT {
    @RegisterExtension
    static final ShippedEmulator EMULATOR = new ShippedEmulator();

    @RepeatedTest(4)
    void preparedFirstStatement() throws Exception {
        try (Connection c = EMULATOR.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("SET client_min_messages = WARNING")) {
                SQLException e = catchThrowableOfType(SQLException.class, p::execute);
                assertThat(e.getSQLState()).isEqualTo("0A000");
                assertThat(e.getMessage()).doesNotContain("dsql-local refusal");
            }
        }
    }

    @RepeatedTest(4)
    void plainFirstStatement() throws Exception {
        try (Connection c = EMULATOR.connect()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                SQLException e = catchThrowableOfType(SQLException.class, () -> s.execute("SET ROLE admin"));
                assertThat(e.getSQLState()).isEqualTo("0A000");
                assertThat(e.getMessage()).doesNotContain("dsql-local refusal");
            }
        }
    }

    /**
     * A refused statement in a session that another session's DDL has ended (rolled back and doomed) gets DSQL's
     * OC001, as its next statement must, and never the gateway's marker (Flyway restores the role with SET ROLE
     * after migrating on another connection).
     */
    @RepeatedTest(3)
    void refusedStatementOfASessionThatAnotherSessionsDdlEnded(RepetitionInfo run) throws Exception {
        try (Connection a = EMULATOR.connect()) {
            a.createStatement().execute("CREATE TABLE IF NOT EXISTS seen (id int PRIMARY KEY)");
            try (Connection b = EMULATOR.connect()) {
                b.setAutoCommit(false);
                b.createStatement().executeQuery("SELECT count(*) FROM seen").close();
                a.createStatement().execute("CREATE TABLE doomed_" + run.getCurrentRepetition() + " (id int)");
                try (PreparedStatement p = b.prepareStatement("SET ROLE admin")) {
                    SQLException e = catchThrowableOfType(SQLException.class, p::execute);
                    assertThat(e.getSQLState()).isEqualTo("40001");
                    assertThat(e.getMessage()).contains("(OC001)").doesNotContain("dsql-local refusal");
                }
            }
        }
    }
}
