package dev.dsqllocal.testcontainers;

import java.util.Map;
import org.testcontainers.containers.JdbcDatabaseContainer;
import org.testcontainers.containers.JdbcDatabaseContainerProvider;
import org.testcontainers.jdbc.ConnectionUrl;

/**
 * Lets {@code jdbc:tc:dsql:///postgres} (or {@code jdbc:tc:dsql:<tag>:///postgres}) start a {@link DsqlContainer}
 * through Testcontainers' JDBC driver. The password is always an auth token the container signs: a URL's
 * {@code user} chooses the role ({@code admin} by default), a {@code password} is refused, and so is any database
 * but {@code postgres}, at once and with the reason, rather than after Testcontainers' two-minute connection retry.
 */
public class DsqlContainerProvider extends JdbcDatabaseContainerProvider {

    /** {@return whether {@code databaseType} is {@code dsql}} */
    @Override
    public boolean supports(String databaseType) {
        return DsqlContainer.NAME.equals(databaseType);
    }

    /** {@return a container of this module's image version} */
    @Override
    public JdbcDatabaseContainer newInstance() {
        return new DsqlContainer();
    }

    /** {@return a container of {@code dsql-local:<tag>}} */
    @Override
    public JdbcDatabaseContainer newInstance(String tag) {
        return new DsqlContainer(DsqlContainer.DEFAULT_IMAGE_NAME.withTag(tag));
    }

    /**
     * {@return a container configured from a {@code jdbc:tc:dsql:} URL}
     *
     * @throws IllegalArgumentException for a {@code password} parameter or a database other than {@code postgres}
     */
    @Override
    public JdbcDatabaseContainer newInstance(ConnectionUrl url) {
        Map<String, String> parameters = url.getQueryParameters();
        if (parameters.containsKey("password")) {
            throw new IllegalArgumentException(
                    "jdbc:tc:dsql: URLs take no password: Aurora DSQL's password is an IAM auth token, which DsqlContainer"
                            + " signs for the URL's user (admin unless user=... names another role). Remove password= from "
                            + url.getUrl());
        }
        String database = url.getDatabaseName().orElse("");
        if (!database.isEmpty() && !DsqlContainer.DATABASE_NAME.equals(database)) {
            throw new IllegalArgumentException(
                    "an Aurora DSQL cluster has exactly one database, 'postgres', not '" + database + "': use"
                            + " jdbc:tc:dsql:///postgres (and a schema of your own, or a cluster per test with createCluster())");
        }
        DsqlContainer container = url.getImageTag().isPresent()
                ? (DsqlContainer) newInstance(url.getImageTag().get())
                : (DsqlContainer) newInstance();
        container.withUsername(parameters.getOrDefault("user", DsqlContainer.ADMIN_USER));
        if (url.getInitScriptPath().isPresent()) {
            // The driver opens the caller's connection before it runs the script on one of its own; DSQL would then
            // fail the caller's first statement with OC001 (schema changed meanwhile). Open it after the script.
            container.deferNextConnection();
        }
        return container.withReuse(url.isReusable());
    }
}
