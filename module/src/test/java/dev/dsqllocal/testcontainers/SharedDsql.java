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
    static final Set<String> SEEN_CONTAINER_IDS = ConcurrentHashMap.newKeySet();

    static {
        DSQL.start();
    }

    private SharedDsql() {}
}
