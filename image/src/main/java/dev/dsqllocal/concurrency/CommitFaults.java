package dev.dsqllocal.concurrency;

import java.util.Collection;
import java.util.Optional;

/**
 * Failures injected for tests of retry logic: the next matching commit fails with a conflict. The server wires its
 * fault registry in; this package knows nothing of how faults are configured.
 */
@FunctionalInterface
public interface CommitFaults {
    CommitFaults NONE = (clusterId, writtenTables) -> Optional.empty();

    /**
     * The conflict the commit of a transaction of {@code clusterId} that wrote {@code writtenTables} must fail with,
     * consuming it, or empty to let the commit run.
     */
    Optional<Conflict> takeCommitConflict(String clusterId, Collection<String> writtenTables);
}
