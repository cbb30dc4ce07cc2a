package dev.dsqllocal.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dsqllocal.clusters.DatabaseEndpoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresFleetIT {
    /** Under target/ so repeated runs reuse the unpacked binaries and the template (mvn clean rebuilds them). */
    static final Path cache = Path.of("target", "postgres-test-cache").toAbsolutePath();

    @TempDir
    Path root;

    private final List<PostgresFleet> fleets = new ArrayList<>();

    @BeforeAll
    static void buildTemplateOnce() throws IOException {
        PostgresInstallation.prepare(cache, Optional.empty());
    }

    @AfterEach
    void closeFleets() {
        fleets.forEach(PostgresFleet::close);
    }

    private PostgresFleet fleet(boolean durable) throws IOException {
        if (ServerUser.current().dropsPrivileges()) {
            // @TempDir directories are 0700; a root test run starts servers as nobody, who must reach them
            Files.setPosixFilePermissions(root, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return fleet(durable, 0); // no spare copies: most tests need no background disk traffic
    }

    private PostgresFleet fleet(boolean durable, int spares) throws IOException {
        if (ServerUser.current().dropsPrivileges()) {
            Files.setPosixFilePermissions(root, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        PostgresFleet fleet = new PostgresFleet(root.resolve("clusters"), cache, Optional.empty(), durable, spares);
        fleets.add(fleet);
        return fleet;
    }

    private static List<Path> readySpares(Path clusters) throws IOException {
        try (var entries = Files.list(clusters)) {
            return entries.filter(p -> p.getFileName().toString().startsWith(".spare-")
                            && !p.getFileName().toString().contains(".tmp-"))
                    .toList();
        }
    }

    private static Connection connect(DatabaseEndpoint endpoint, String user) throws SQLException {
        return DriverManager.getConnection(
                "jdbc:postgresql://" + endpoint.host() + ":" + endpoint.port() + "/postgres", user, "");
    }

    @Test
    void aClusterFromAnOlderTemplateGetsTheCurrentSysSchemaWhenItsServerStarts() throws Exception {
        PostgresFleet first = fleet(true);
        DatabaseEndpoint endpoint = first.provision("oldtemplatecluster");
        try (Connection c = connect(endpoint, PostgresTemplate.SUPERUSER);
                Statement st = c.createStatement()) {
            // The shape of a cluster created before the sys schema existed (which also had PostgreSQL's own
            // version() and no limit triggers), with a table made back then
            st.execute("DROP SCHEMA sys CASCADE");
            st.execute("CREATE OR REPLACE FUNCTION pg_catalog.version() RETURNS text LANGUAGE internal STABLE "
                    + "PARALLEL SAFE AS 'pgsql_version'");
            st.execute("CREATE TABLE public.made_before (id int PRIMARY KEY)");
            st.execute("ALTER TABLE public.made_before OWNER TO " + PostgresTemplate.ADMIN);
        }
        first.close();

        DatabaseEndpoint restarted = fleet(true).provision("oldtemplatecluster");
        try (Connection c = connect(restarted, PostgresTemplate.ADMIN);
                Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM sys.jobs")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isZero();
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM sys.iam_pg_role_mappings")) {
                assertThat(rs.next()).isTrue();
            }
            try (ResultSet rs =
                    st.executeQuery("SELECT to_regprocedure('sys.wait_for_job(text,boolean)') IS NOT NULL")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean(1)).isTrue();
            }
            try (ResultSet rs = st.executeQuery("SELECT version()")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("PostgreSQL 16");
            }
            // the table made before the limits existed has them now, hidden like PostgreSQL's internal triggers
            assertThatThrownBy(() -> st.execute("INSERT INTO made_before SELECT g FROM generate_series(1, 3001) g"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("transaction row limit exceeded");
            try (ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE tgisinternal), count(*) FROM pg_trigger "
                    + "WHERE tgrelid = 'made_before'::regclass")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(3);
                assertThat(rs.getInt(2)).isEqualTo(3);
            }
        }
        try (Connection c = connect(restarted, PostgresTemplate.SUPERUSER);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT version FROM sys.dsql_local_schema_version")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(PostgresTemplate.SYS_SCHEMA_VERSION);
        }
        // Already current: nothing to do
        assertThat(SysSchemaMigration.apply(restarted.port())).isFalse();
    }

    private static String show(Connection connection, String setting) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static long count(DatabaseEndpoint endpoint, String table) throws SQLException {
        try (Connection c = connect(endpoint, "admin");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void aProvisionedClusterIsARealPostgres16ConfiguredLikeDsql() throws Exception {
        PostgresFleet fleet = fleet(false);
        DatabaseEndpoint endpoint = fleet.provision("cluster1");

        assertThat(endpoint.host()).isEqualTo("127.0.0.1");
        try (Connection c = connect(endpoint, "admin");
                Statement s = c.createStatement()) {
            assertThat(show(c, "server_version")).isEqualTo("16.15");
            assertThat(show(c, "server_encoding")).isEqualTo("UTF8");
            try (ResultSet rs =
                    s.executeQuery("SELECT datcollate, datctype FROM pg_database WHERE datname = current_database()")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("C");
                assertThat(rs.getString(2)).isEqualTo("C");
            }
            assertThat(show(c, "log_timezone")).isEqualTo("UTC");
            assertThat(show(c, "transaction_isolation")).isEqualTo("repeatable read");
            assertThat(show(c, "listen_addresses")).isEqualTo("127.0.0.1");
            assertThat(show(c, "fsync")).isEqualTo("off");

            s.execute("CREATE TABLE items (id int PRIMARY KEY, name text)");
            s.execute("INSERT INTO items VALUES (1, 'one'), (2, 'two')");
            try (ResultSet rs = s.executeQuery("SELECT name FROM items ORDER BY id")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("one");
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("two");
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void theServerDefaultTimeZoneIsUtc() throws Exception {
        DatabaseEndpoint endpoint = fleet(false).provision("cluster9");
        // pgJDBC sends the JVM's zone as a startup parameter, so read the server's configured default instead
        try (Connection c = connect(endpoint, "postgres");
                Statement s = c.createStatement();
                ResultSet rs =
                        s.executeQuery("SELECT setting FROM pg_file_settings WHERE name = 'timezone' AND applied")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("UTC");
        }
    }

    @Test
    void adminIsNotSuperuserButOwnsTheDatabaseAndCanCreateObjectsAndRoles() throws Exception {
        DatabaseEndpoint endpoint = fleet(false).provision("cluster2");
        try (Connection c = connect(endpoint, "admin");
                Statement s = c.createStatement()) {
            assertThat(show(c, "is_superuser")).isEqualTo("off");
            try (ResultSet rs =
                    s.executeQuery("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'postgres'")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("admin");
            }
            try (ResultSet rs =
                    s.executeQuery("SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'public'")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("admin");
            }
            s.execute("CREATE SCHEMA app");
            s.execute("CREATE TABLE app.t (id int)");
            s.execute("CREATE ROLE reader WITH LOGIN");
            s.execute("GRANT USAGE ON SCHEMA app TO reader");
            assertThatThrownBy(() -> s.execute("ALTER SYSTEM SET work_mem = '1GB'"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("permission denied");
        }
    }

    @Test
    void provisionIsIdempotentAndEndpointReportsTheRunningServer() throws Exception {
        PostgresFleet fleet = fleet(false);
        assertThat(fleet.endpoint("cluster3")).isEmpty();
        DatabaseEndpoint first = fleet.provision("cluster3");
        assertThat(fleet.provision("cluster3")).isEqualTo(first);
        assertThat(fleet.endpoint("cluster3")).contains(first);
        assertThat(fleet.existingClusterIds()).containsExactly("cluster3");
    }

    @Test
    void destroyStopsTheServerAndDeletesItsData() throws Exception {
        PostgresFleet fleet = fleet(false);
        DatabaseEndpoint endpoint = fleet.provision("cluster4");
        Path dataDir = fleet.clustersRoot().resolve("cluster4");
        assertThat(dataDir).isDirectory();

        fleet.destroy("cluster4");

        assertThat(dataDir).doesNotExist();
        assertThat(fleet.endpoint("cluster4")).isEmpty();
        assertThat(fleet.existingClusterIds()).isEmpty();
        assertThatThrownBy(() -> {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), 1000);
                    }
                })
                .isInstanceOf(IOException.class);
        fleet.destroy("cluster4"); // idempotent

        // the same identifier can be used again, and starts empty
        DatabaseEndpoint again = fleet.provision("cluster4");
        try (Connection c = connect(again, "admin");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void dataSurvivesClosingTheFleetAndStartingANewOne() throws Exception {
        PostgresFleet first = fleet(true);
        try (Connection c = connect(first.provision("cluster5"), "admin");
                Statement s = c.createStatement()) {
            assertThat(show(c, "fsync")).isEqualTo("on");
            s.execute("CREATE TABLE kept (id int)");
            s.execute("INSERT INTO kept SELECT generate_series(1, 100)");
        }
        first.close();
        assertThat(first.endpoint("cluster5")).isEmpty();
        assertThatThrownBy(() -> first.provision("cluster5")).isInstanceOf(IllegalStateException.class);

        PostgresFleet second = fleet(true);
        assertThat(second.existingClusterIds()).containsExactly("cluster5");
        assertThat(count(second.provision("cluster5"), "kept")).isEqualTo(100);
    }

    @Test
    void aKilledPostmasterDoesNotPreventTheNextStart() throws Exception {
        PostgresFleet first = fleet(true);
        try (Connection c = connect(first.provision("cluster6"), "admin");
                Statement s = c.createStatement()) {
            s.execute("CREATE TABLE crash (id int)");
            s.execute("INSERT INTO crash VALUES (1)");
        }
        Path dataDir = first.clustersRoot().resolve("cluster6");
        long pid = PostmasterPidFile.read(dataDir).orElseThrow().pid();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // kill -9, the lock file stays behind
        ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
        assertThat(dataDir.resolve(PostmasterPidFile.NAME)).exists();

        PostgresFleet second = fleet(true);
        assertThat(count(second.provision("cluster6"), "crash")).isEqualTo(1);
    }

    @Test
    void aPostmasterLeftRunningByAnEarlierFleetIsReplaced() throws Exception {
        PostgresFleet first = fleet(false);
        first.provision("cluster7");
        long oldPid = PostmasterPidFile.read(first.clustersRoot().resolve("cluster7"))
                .orElseThrow()
                .pid();

        PostgresFleet second = fleet(false); // as after a killed emulator whose server was not stopped
        DatabaseEndpoint endpoint = second.provision("cluster7");

        assertThat(LinuxProcesses.isRunning(oldPid)).isFalse();
        assertThat(count(endpoint, "pg_class")).isPositive();
    }

    @Test
    void leftoverTemporaryDirectoriesAreRemoved() throws Exception {
        Path clusters = root.resolve("clusters");
        Path leftover = clusters.resolve("cluster8.tmp-1234");
        Files.createDirectories(leftover.resolve("base"));
        Files.writeString(leftover.resolve("base/file"), "half copied");

        PostgresFleet fleet = fleet(false);

        assertThat(leftover).doesNotExist();
        assertThat(fleet.existingClusterIds()).isEmpty();
    }

    @Test
    void aNewClusterTakesAReadySpareCopyWhichIsNeverMistakenForACluster() throws Exception {
        // Durable: an ephemeral fleet would first claim a ready copy another test left in the shared cache
        // (SharedReadyCopy), and this test is about the fleet's own spare.
        PostgresFleet fleet = fleet(true, 1);
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (readySpares(fleet.clustersRoot()).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<Path> spares = readySpares(fleet.clustersRoot());
        assertThat(spares).hasSize(1);
        assertThat(fleet.existingClusterIds()).isEmpty();

        DatabaseEndpoint endpoint = fleet.provision("fromspare");

        assertThat(spares.get(0)).doesNotExist(); // renamed into place
        assertThat(count(endpoint, "pg_class")).isPositive();
        fleet.close();
        assertThat(fleet(true, 1).existingClusterIds()).containsExactly("fromspare");
    }

    @Test
    void concurrentProvisionsStartOneServerPerCluster() throws Exception {
        PostgresFleet fleet = fleet(false, 2);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<DatabaseEndpoint>> calls = List.of(
                    () -> fleet.provision("clustera"), () -> fleet.provision("clusterb"),
                    () -> fleet.provision("clustera"), () -> fleet.provision("clusterb"));
            List<DatabaseEndpoint> endpoints = new ArrayList<>();
            for (Future<DatabaseEndpoint> f : pool.invokeAll(calls)) {
                endpoints.add(f.get());
            }
            assertThat(endpoints.get(0)).isEqualTo(endpoints.get(2));
            assertThat(endpoints.get(1)).isEqualTo(endpoints.get(3));
            assertThat(endpoints.get(0)).isNotEqualTo(endpoints.get(1));
            try (Connection a = connect(endpoints.get(0), "admin");
                    Connection b = connect(endpoints.get(1), "admin")) {
                a.createStatement().execute("CREATE TABLE only_in_a (id int)");
                assertThat(count(endpoints.get(0), "only_in_a")).isZero();
                assertThatThrownBy(() -> count(endpoints.get(1), "only_in_a")).isInstanceOf(SQLException.class);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void runningAsRootADataRootNobodyCannotReachIsReportedByName() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ServerUser.current().dropsPrivileges(), "only when run as root");
        Path locked = root.resolve("locked");
        Files.createDirectory(
                locked,
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        Files.setPosixFilePermissions(root, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThatThrownBy(() -> new PostgresFleet(locked.resolve("clusters"), cache, Optional.empty(), false))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("nobody")
                .hasMessageContaining(locked.toString());
    }

    @Test
    void identifiersThatAreNotClusterIdsAreRejected() throws Exception {
        PostgresFleet fleet = fleet(false);
        for (String bad : new String[] {"", "..", "a/b", "Upper", "x.tmp-1"}) {
            assertThatThrownBy(() -> fleet.provision(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(fleet.existingClusterIds()).isEmpty();
        try (var entries = Files.list(fleet.clustersRoot())) {
            assertThat(entries.map(p -> p.getFileName().toString())).allMatch(name -> name.startsWith(".spare-"));
        }
    }
}
