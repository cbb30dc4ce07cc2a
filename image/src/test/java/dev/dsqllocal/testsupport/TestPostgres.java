package dev.dsqllocal.testsupport;

import dev.dsqllocal.clusters.DatabaseEndpoint;
import dev.dsqllocal.postgres.PostgresFleet;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away PostgreSQL server for the gateway tests, with trust auth on loopback, the internal superuser
 * {@code postgres} and the DSQL role {@code admin} (LOGIN CREATEROLE). {@link #start()} provisions one cluster of
 * the emulator's own {@link PostgresFleet} (PostgreSQL 16.15, as in production); {@link #start(Path, Path)} runs
 * the machine's PostgreSQL binaries with TLS on, for the benchmark's direct-TLS baseline (as {@code nobody} when
 * root, since PostgreSQL refuses root).
 */
public final class TestPostgres implements AutoCloseable {
    private static final Path BIN = findBin();
    private final Path dir;
    private final Process process;
    private final PostgresFleet fleet;
    private final int port;
    private final DatabaseEndpoint endpoint;

    private TestPostgres(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.fleet = null;
        this.port = port;
        // started with -k dir: the gateway may relay over the server's Unix socket, as with the fleet
        this.endpoint = new DatabaseEndpoint("127.0.0.1", port, Optional.of(dir.resolve(".s.PGSQL." + port)));
    }

    private TestPostgres(Path dir, PostgresFleet fleet, DatabaseEndpoint endpoint) {
        this.dir = dir;
        this.process = null;
        this.fleet = fleet;
        this.port = endpoint.port();
        this.endpoint = endpoint;
    }

    public static boolean available() {
        return BIN != null;
    }

    private static Path findBin() {
        for (String version : List.of("16", "15", "17")) {
            Path bin = Path.of("/usr/lib/postgresql", version, "bin");
            if (Files.isExecutable(bin.resolve("postgres"))) {
                return bin;
            }
        }
        return null;
    }

    /** One cluster of a real {@link PostgresFleet}. */
    public static TestPostgres start() throws Exception {
        Path dir = Files.createTempDirectory("gateway-fleet");
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        PostgresFleet fleet = new PostgresFleet(
                dir.resolve("clusters"),
                Path.of(System.getProperty("user.home"), ".cache", "dsql-local"),
                Optional.empty(),
                false);
        DatabaseEndpoint endpoint = fleet.provision("gatewaytestgatewaytest0001");
        return new TestPostgres(dir, fleet, endpoint);
    }

    /** With a certificate and key (PEM), the server also accepts TLS (for benchmarks against a TLS baseline). */
    public static TestPostgres start(Path tlsCert, Path tlsKey) throws Exception {
        if (BIN == null) {
            throw new IllegalStateException("no PostgreSQL server binaries under /usr/lib/postgresql");
        }
        Path dir = Files.createTempDirectory("gateway-pg");
        Path data = dir.resolve("data");
        List<String> tlsOptions = new ArrayList<>();
        if (tlsCert != null) {
            Files.copy(tlsCert, dir.resolve("server.crt"));
            Files.copy(tlsKey, dir.resolve("server.key"));
            Files.setPosixFilePermissions(
                    dir.resolve("server.key"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            tlsOptions = List.of(
                    "-c",
                    "ssl=on",
                    "-c",
                    "ssl_cert_file=" + dir.resolve("server.crt"),
                    "-c",
                    "ssl_key_file=" + dir.resolve("server.key"));
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root) {
            run(List.of("chown", "-R", "nobody:nogroup", dir.toString()));
        }
        run(asUser(
                root,
                List.of(
                        BIN.resolve("initdb").toString(),
                        "-D",
                        data.toString(),
                        "-U",
                        "postgres",
                        "-A",
                        "trust",
                        "-E",
                        "UTF8",
                        "--locale=C",
                        "--no-sync")));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> args = new ArrayList<>(List.of(
                BIN.resolve("postgres").toString(),
                "-D",
                data.toString(),
                "-p",
                String.valueOf(port),
                "-k",
                dir.toString(),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=off",
                "-c",
                "max_connections=200",
                "-c",
                "shared_buffers=32MB"));
        args.addAll(tlsOptions);
        List<String> cmd = asUser(root, args);
        Process process = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("log").toFile())
                .start();
        TestPostgres pg = new TestPostgres(dir, process, port);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Connection c = pg.superuser()) {
                c.createStatement().execute("CREATE ROLE admin LOGIN CREATEROLE");
                c.createStatement().execute("GRANT ALL ON SCHEMA public TO admin");
                break;
            } catch (SQLException e) {
                if (System.nanoTime() > until || !process.isAlive()) {
                    pg.close();
                    throw new IllegalStateException(
                            "PostgreSQL did not start: " + Files.readString(dir.resolve("log")), e);
                }
                Thread.sleep(100);
            }
        }
        return pg;
    }

    /** The server's endpoint, with its Unix socket when it has one (the gateway then relays over it). */
    public DatabaseEndpoint endpoint() {
        return endpoint;
    }

    public Connection superuser() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres");
    }

    /** Sessions of the given role other than the asking one (the gateway's backend connections). */
    public int sessionsOf(String role) throws SQLException {
        try (Connection c = superuser();
                var st = c.createStatement();
                var rs = st.executeQuery("select count(*) from pg_stat_activity where usename = '" + role
                        + "' and pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static List<String> asUser(boolean root, List<String> command) {
        if (!root) {
            return command;
        }
        List<String> wrapped =
                new ArrayList<>(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(command + " failed: " + out);
        }
    }

    @Override
    public void close() throws Exception {
        if (fleet != null) {
            fleet.close();
        } else {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        run(List.of("rm", "-rf", dir.toString()));
    }
}
