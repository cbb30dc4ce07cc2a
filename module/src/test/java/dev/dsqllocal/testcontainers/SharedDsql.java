package dev.dsqllocal.testcontainers;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The singleton pattern: one DsqlContainer started on first use and shared by every test class in the JVM (never
 * stopped by the tests; Testcontainers removes it when the JVM exits).
 */
final class SharedDsql {
    static final DsqlContainer DSQL = new DsqlContainer();

    /** Container ids the sharing test classes saw: one id means they really shared one container. */
    private static final Set<String> SEEN_CONTAINER_IDS = ConcurrentHashMap.newKeySet();

    /** The sharing classes that have run so far, in this JVM. */
    private static final Set<String> VISITORS = ConcurrentHashMap.newKeySet();

    static {
        DSQL.start();
    }

    private SharedDsql() {}

    /**
     * Records that {@code testClass} uses the container (and checks it is the one every other class got); returns
     * the classes that have used it so far, {@code testClass} included.
     */
    static Set<String> visit(String testClass) {
        SEEN_CONTAINER_IDS.add(DSQL.getContainerId());
        if (SEEN_CONTAINER_IDS.size() != 1) {
            throw new AssertionError("the sharing classes got different containers: " + SEEN_CONTAINER_IDS);
        }
        VISITORS.add(testClass);
        return Set.copyOf(VISITORS);
    }
}
