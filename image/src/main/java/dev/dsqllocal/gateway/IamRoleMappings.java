package dev.dsqllocal.gateway;

import dev.dsqllocal.auth.Principal;
import dev.dsqllocal.clusters.ClusterView;
import dev.dsqllocal.clusters.DatabaseEndpoint;
import dev.dsqllocal.postgres.InternalRoles;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The gateway's {@link RoleMappings} read from each cluster's own PostgreSQL: the mapping table that
 * {@code AWS IAM GRANT} writes ({@code sys.dsql_local_iam_mappings}, created by the dialect's
 * {@code dialect/sql/iam-mappings.sql}), looked up as
 * the internal superuser over loopback. Lookups run on two small worker threads, never on the event loop; each
 * opens one short connection (a custom-role login costs a few milliseconds more than an admin login) rather
 * than keeping idle connections to every cluster.
 */
public final class IamRoleMappings implements RoleMappings {

    private static final String LOOKUP = "SELECT r.rolcanlogin AND NOT r.rolsuper, EXISTS (SELECT FROM "
            + "sys.dsql_local_iam_mappings m WHERE m.pg_role_oid = r.oid AND m.arn IN (?, ?)) "
            + "FROM pg_catalog.pg_roles r WHERE r.rolname = ?";

    private final Executor lookups;

    public IamRoleMappings() {
        AtomicInteger count = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "iam-role-mappings-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
        this.lookups = pool;
    }

    @Override
    public boolean isMapped(ClusterView cluster, String role, Principal principal) {
        return lookup(cluster, role, principal).isEmpty();
    }

    @Override
    public CompletionStage<Optional<String>> refusal(ClusterView cluster, String role, Principal principal) {
        return CompletableFuture.supplyAsync(() -> lookup(cluster, role, principal), lookups);
    }

    private static Optional<String> lookup(ClusterView cluster, String role, Principal principal) {
        DatabaseEndpoint endpoint = cluster.database().orElse(null);
        if (endpoint == null) {
            return Optional.of("Cluster " + cluster.identifier() + " is not serving connections");
        }
        try (Connection connection = connect(endpoint);
                PreparedStatement statement = connection.prepareStatement(LOOKUP)) {
            statement.setString(1, principal.principalArn());
            statement.setString(2, roleOfAssumedRoleSession(principal.principalArn()));
            statement.setString(3, role);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next() || InternalRoles.SUPERUSER.equals(role)) {
                    return Optional.of("Role " + role + " does not exist");
                }
                if (!rs.getBoolean(1)) {
                    return Optional.of("Role " + role + " must have the LOGIN attribute");
                }
                if (!rs.getBoolean(2)) {
                    return Optional.of(RoleMappings.unmappedHint(role, principal));
                }
                return Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("IAM role mapping lookup failed: " + e.getMessage(), e);
        }
    }

    /**
     * A session of an assumed role ({@code arn:aws:sts::123456789012:assumed-role/app/session}) signs as that
     * session but is trusted through its role, which is what {@code AWS IAM GRANT} names
     * ({@code arn:aws:iam::123456789012:role/app}); any other ARN stands for itself.
     */
    static String roleOfAssumedRoleSession(String arn) {
        Matcher m = ASSUMED_ROLE.matcher(arn);
        return m.matches() ? "arn:" + m.group(1) + ":iam::" + m.group(2) + ":role/" + m.group(3) : arn;
    }

    private static final Pattern ASSUMED_ROLE =
            Pattern.compile("arn:(aws[a-z-]*):sts::([0-9]{12}):assumed-role/([^/]+)/[^/]+");

    private static Connection connect(DatabaseEndpoint endpoint) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", InternalRoles.SUPERUSER);
        properties.setProperty("connectTimeout", "10");
        properties.setProperty("socketTimeout", "10");
        properties.setProperty("ApplicationName", "dsql-local iam mappings");
        Connection connection = new org.postgresql.Driver()
                .connect("jdbc:postgresql://" + endpoint.host() + ":" + endpoint.port() + "/postgres", properties);
        if (connection == null) {
            throw new SQLException("pgJDBC did not accept the URL");
        }
        return connection;
    }
}
