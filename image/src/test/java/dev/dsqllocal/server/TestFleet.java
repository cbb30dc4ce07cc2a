package dev.dsqllocal.server;

import dev.dsqllocal.clusters.DatabaseEndpoint;
import dev.dsqllocal.clusters.DatabaseFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A stand-in fleet for state-machine tests: "provisioning" creates a directory per cluster (so persistence and
 * orphan clean-up are observable) and reports a fake loopback endpoint; it can be told to fail.
 */
final class TestFleet implements DatabaseFleet {
    private final Path root;
    final Set<String> running = ConcurrentHashMap.newKeySet();
    volatile boolean failProvisioning;

    TestFleet(Path root) {
        this.root = root;
    }

    @Override
    public DatabaseEndpoint provision(String clusterId) throws IOException {
        if (failProvisioning) {
            throw new IOException("simulated provisioning failure");
        }
        Files.createDirectories(root.resolve(clusterId));
        running.add(clusterId);
        return new DatabaseEndpoint("127.0.0.1", 1);
    }

    @Override
    public Optional<DatabaseEndpoint> endpoint(String clusterId) {
        return running.contains(clusterId) ? Optional.of(new DatabaseEndpoint("127.0.0.1", 1)) : Optional.empty();
    }

    @Override
    public void destroy(String clusterId) throws IOException {
        running.remove(clusterId);
        Files.deleteIfExists(root.resolve(clusterId));
    }

    @Override
    public Set<String> existingClusterIds() {
        try (var s = Files.list(root)) {
            return s.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet());
        } catch (IOException e) {
            return Set.of();
        }
    }

    @Override
    public void close() {
        running.clear();
    }

    static DsqlLocalServer.FleetFactory factory() {
        return (clustersRoot, config) -> {
            Files.createDirectories(clustersRoot);
            return new TestFleet(clustersRoot);
        };
    }
}
