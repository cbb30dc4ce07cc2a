package dev.dsqllocal.testcontainers;

import org.testcontainers.containers.JdbcDatabaseContainer;
import org.testcontainers.containers.JdbcDatabaseContainerProvider;
import org.testcontainers.jdbc.ConnectionUrl;

/**
 * Lets {@code jdbc:tc:dsql:///postgres} (or {@code jdbc:tc:dsql:<tag>:///postgres}) start a {@link DsqlContainer}
 * through Testcontainers' JDBC driver. User and password come from the container (admin and a token), so URLs
 * need neither.
 */
public class DsqlContainerProvider extends JdbcDatabaseContainerProvider {

    @Override
    public boolean supports(String databaseType) {
        return DsqlContainer.NAME.equals(databaseType);
    }

    @Override
    public JdbcDatabaseContainer newInstance() {
        return new DsqlContainer();
    }

    @Override
    public JdbcDatabaseContainer newInstance(String tag) {
        return new DsqlContainer(DsqlContainer.DEFAULT_IMAGE_NAME.withTag(tag));
    }

    @Override
    public JdbcDatabaseContainer newInstance(ConnectionUrl connectionUrl) {
        String tag = connectionUrl.getImageTag().orElse(DsqlContainer.DEFAULT_TAG);
        JdbcDatabaseContainer container = newInstance(tag);
        return (JdbcDatabaseContainer) container.withReuse(connectionUrl.isReusable());
    }
}
