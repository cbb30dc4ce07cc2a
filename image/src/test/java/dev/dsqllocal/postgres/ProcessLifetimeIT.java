package dev.dsqllocal.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dsqllocal.clusters.DatabaseEndpoint;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The servers live exactly as long as the emulator's JVM: not shorter, not longer. */
class ProcessLifetimeIT {
    private static final Path CACHE = PostgresFleetIT.cache;

    @TempDir
    Path root;

    @BeforeEach
    void reachableRoot() throws Exception {
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void aServerProvisionedFromAShortLivedThreadOutlivesThatThread() throws Exception {
        try (PostgresFleet fleet = new PostgresFleet(root.resolve("clusters"), CACHE, Optional.empty(), false, 0)) {
            AtomicReference<DatabaseEndpoint> endpoint = new AtomicReference<>();
            Thread requestThread = new Thread(() -> {
                try {
                    endpoint.set(fleet.provision("shortlived"));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            requestThread.start();
            requestThread.join();
            Thread.sleep(500); // a parent-death signal tied to the finished thread would have arrived by now

            assertThat(fleet.endpoint("shortlived")).contains(endpoint.get());
            try (Connection c = DriverManager.getConnection(
                    "jdbc:postgresql://127.0.0.1:" + endpoint.get().port() + "/postgres", "admin", "")) {
                assertThat(c.isValid(5)).isTrue();
            }
        }
    }

    @Test
    void killingTheEmulatorWithSigkillTakesItsServersDown() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process emulator = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        OrphanProbe.class.getName(),
                        root.resolve("clusters").toString(),
                        CACHE.toString())
                .redirectErrorStream(true)
                .start();
        long pid = -1;
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(emulator.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("pid ")) {
                    pid = Long.parseLong(line.substring(4).trim());
                    break;
                }
            }
            assertThat(pid).as("postmaster pid printed by the probe").isPositive();
            assertThat(LinuxProcesses.isRunning(pid)).isTrue();

            emulator.destroyForcibly(); // SIGKILL: no shutdown hook, no close()
            emulator.waitFor(10, TimeUnit.SECONDS);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (LinuxProcesses.isRunning(pid) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(LinuxProcesses.isRunning(pid))
                    .as("postmaster %d after its JVM was killed", pid)
                    .isFalse();
        } finally {
            emulator.destroyForcibly();
            if (pid > 0 && LinuxProcesses.isRunning(pid)) {
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }
}
