package dev.dsqllocal.postgres;

import java.nio.file.Path;
import java.util.Optional;

/** Run in a separate JVM by {@link ProcessLifetimeIT}: provisions a cluster, prints its postmaster pid, waits. */
public final class OrphanProbe {
    private OrphanProbe() {}

    public static void main(String[] args) throws Exception {
        PostgresFleet fleet = new PostgresFleet(Path.of(args[0]), Path.of(args[1]), Optional.empty(), false, 0);
        fleet.provision("orphan");
        long pid = PostmasterPidFile.read(fleet.clustersRoot().resolve("orphan"))
                .orElseThrow()
                .pid();
        System.out.println("pid " + pid);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
