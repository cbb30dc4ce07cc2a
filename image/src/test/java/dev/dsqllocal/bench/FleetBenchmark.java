package dev.dsqllocal.bench;

import dev.dsqllocal.clusters.DatabaseEndpoint;
import dev.dsqllocal.postgres.PostgresFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * How fast the PostgreSQL fleet is: first-ever preparation (unpack + template), a new cluster (copy + start to
 * ready), first connection, destroy, and stopping many servers at once.
 *
 * <p>{@code java -cp <test classpath> dev.dsqllocal.bench.FleetBenchmark [runs] [durable] [pauseMillis]}
 */
public final class FleetBenchmark {
    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        boolean durable = args.length > 1 && Boolean.parseBoolean(args[1]);
        long pauseMillis = args.length > 2 ? Long.parseLong(args[2]) : 1500;
        Path work = Files.createTempDirectory("fleet-bench");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path cache = work.resolve("cache");
        Path root = work.resolve("clusters");

        long t0 = System.nanoTime();
        PostgresFleet cold = new PostgresFleet(root, cache, Optional.empty(), durable);
        System.out.printf("first-ever preparation (unpack binaries + build template): %d ms%n", ms(t0));
        cold.close();

        t0 = System.nanoTime();
        PostgresFleet fleet = new PostgresFleet(root, cache, Optional.empty(), durable);
        System.out.printf("fleet construction with a warm cache: %d ms%n", ms(t0));

        List<Long> provision = new ArrayList<>();
        List<Long> burst = new ArrayList<>();
        List<Long> connect = new ArrayList<>();
        List<Long> destroy = new ArrayList<>();
        List<Long> restart = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            String id = "bench" + i;
            Thread.sleep(pauseMillis); // clusters created now and then: a spare copy of the template is ready
            long start = System.nanoTime();
            DatabaseEndpoint endpoint = fleet.provision(id);
            provision.add(ms(start));
            start = System.nanoTime();
            try (Connection c = DriverManager.getConnection(
                    "jdbc:postgresql://" + endpoint.host() + ":" + endpoint.port() + "/postgres", "admin", "")) {
                c.createStatement().execute("SELECT 1");
            }
            connect.add(ms(start));
        }
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime(); // back to back: spares run out, later ones copy the template
            fleet.provision("burst" + i);
            burst.add(ms(start));
        }
        fleet.close();

        long closeStart = System.nanoTime();
        PostgresFleet again = new PostgresFleet(root, cache, Optional.empty(), durable);
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            again.provision("bench" + i);
            restart.add(ms(start));
        }
        long startAll = ms(closeStart);
        closeStart = System.nanoTime();
        again.close();
        long closeAll = ms(closeStart);

        PostgresFleet third = new PostgresFleet(root, cache, Optional.empty(), durable);
        for (int i = 0; i < runs; i++) {
            third.provision("bench" + i);
            long start = System.nanoTime();
            third.destroy("bench" + i);
            destroy.add(ms(start));
            third.destroy("burst" + i);
        }
        third.close();

        print("provision new cluster, spare ready (rename + start)", provision);
        print("provision new clusters back to back", burst);
        print("first connection + SELECT 1", connect);
        print("provision existing cluster (start to ready)", restart);
        print("destroy (fast shutdown + delete)", destroy);
        System.out.printf(
                "start %d existing clusters one after another: %d ms; close() stopping all %d: %d ms%n",
                runs, startAll, runs, closeAll);
        System.out.println("mode: " + (durable ? "durable" : "ephemeral (fsync off)"));
    }

    private static long ms(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void print(String what, List<Long> samples) {
        List<Long> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        System.out.printf(
                "%-55s min %4d  median %4d  max %4d ms  (n=%d)%n",
                what, sorted.get(0), sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1), sorted.size());
    }
}
