package dev.dsqllocal.testcontainers;

import java.util.Objects;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that gives each test (or each test class) a {@link DsqlCluster} of its own in a
 * {@link DsqlContainer}, and deletes it afterwards, so every test starts on an empty database without cleaning up
 * after the one before. Test and lifecycle methods receive the cluster as a parameter:
 *
 * <pre>{@code
 * @Testcontainers
 * class OrderRepositoryTest {
 *     @Container
 *     static DsqlContainer dsql = new DsqlContainer();
 *
 *     @RegisterExtension
 *     static DsqlClusterExtension clusters = DsqlClusterExtension.perTest(dsql);
 *
 *     @Test
 *     void startsEmpty(DsqlCluster cluster) throws SQLException {
 *         try (Connection c = cluster.createConnection()) { ... }
 *     }
 * }
 * }</pre>
 *
 * <p>The extension starts the container if nothing else has (a singleton container works too) and never stops it.
 * Register it in a {@code static} field, after the container's {@code @Container} field.
 */
public final class DsqlClusterExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(DsqlClusterExtension.class);

    private final DsqlContainer container;

    private final boolean perTest;

    private DsqlClusterExtension(DsqlContainer container, boolean perTest) {
        this.container = Objects.requireNonNull(container, "container");
        this.perTest = perTest;
    }

    /**
     * A new cluster for every test method, deleted when the test ends.
     *
     * @param container the container the clusters are created in
     * @return the extension, for a {@code @RegisterExtension static} field
     */
    public static DsqlClusterExtension perTest(DsqlContainer container) {
        return new DsqlClusterExtension(container, true);
    }

    /**
     * One cluster for all tests of a class, deleted after the last one.
     *
     * @param container the container the clusters are created in
     * @return the extension, for a {@code @RegisterExtension static} field
     */
    public static DsqlClusterExtension perClass(DsqlContainer container) {
        return new DsqlClusterExtension(container, false);
    }

    /** Starts the container if needed; in per-class mode, creates the class's cluster. */
    @Override
    public void beforeAll(ExtensionContext context) {
        if (container.getContainerId() == null) {
            container.start();
        }
        if (!perTest) {
            create(context);
        }
    }

    /** In per-test mode, creates the test's cluster. */
    @Override
    public void beforeEach(ExtensionContext context) {
        if (perTest) {
            create(context);
        }
    }

    /** Resolves parameters of type {@link DsqlCluster}. */
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == DsqlCluster.class;
    }

    /**
     * The current test's (or class's) cluster.
     *
     * @throws ParameterResolutionException for a {@code @BeforeAll} method in per-test mode, where no test has
     *     started yet
     */
    @Override
    public DsqlCluster resolveParameter(ParameterContext parameter, ExtensionContext context) {
        for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
            StoredCluster stored = c.getStore(NAMESPACE).get(this, StoredCluster.class);
            if (stored != null) {
                return stored.cluster;
            }
        }
        throw new ParameterResolutionException(
                "DsqlClusterExtension.perTest(...) creates a cluster per test method; a @BeforeAll method gets none"
                        + " (use perClass(...) for one cluster per class)");
    }

    /** Stored in the context's store, which JUnit closes when the test (or class) is done: the cluster goes too. */
    private void create(ExtensionContext context) {
        context.getStore(NAMESPACE).put(this, new StoredCluster(container.createCluster()));
    }

    private static final class StoredCluster implements ExtensionContext.Store.CloseableResource {

        private final DsqlCluster cluster;

        StoredCluster(DsqlCluster cluster) {
            this.cluster = cluster;
        }

        @Override
        public void close() {
            cluster.close();
        }
    }
}
