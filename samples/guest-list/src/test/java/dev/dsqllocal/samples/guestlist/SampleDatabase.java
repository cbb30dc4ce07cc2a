package dev.dsqllocal.samples.guestlist;

import dev.dsqllocal.testcontainers.DsqlContainer;
import java.sql.SQLException;

/**
 * One DsqlContainer for all of the sample's test classes (the singleton pattern: started on first use, removed by
 * Testcontainers when the JVM exits), with the schema applied once. Each test makes its own guest list, so tests
 * never see each other's rows.
 */
final class SampleDatabase {
    static final DsqlContainer DSQL = new DsqlContainer();

    /** What the application gets: pgJDBC connections with a fresh admin token each. */
    static final ConnectionFactory CONNECTIONS;

    static {
        DSQL.start();
        CONNECTIONS = new DsqlConnections(DSQL.getJdbcUrl(), "admin", DSQL::generateAuthToken);
        try {
            Schema.apply(CONNECTIONS);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the guest list schema", e);
        }
    }

    private SampleDatabase() {}
}
