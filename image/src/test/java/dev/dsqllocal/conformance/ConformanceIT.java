package dev.dsqllocal.conformance;

import dev.dsqllocal.server.DsqlLocalServer;
import dev.dsqllocal.server.Option;
import dev.dsqllocal.server.ServerConfig;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dsql.DsqlUtilities;

/**
 * The DSQL conformance suite: every case in {@code src/test/resources/conformance/*.json}, run end to end against
 * the emulator as shipped ({@code DsqlLocalServer.start}, ephemeral ports) through pgJDBC over verified TLS, with
 * tokens from the AWS SDK's {@code DsqlUtilities}. Each case gets its own schema (on the connections' search_path,
 * dropped afterwards, so at most one case schema exists at a time: DSQL allows 10) and fresh connections.
 * A case marked {@code pending} is reported as skipped with its reason.
 */
class ConformanceIT {
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([a-z_]+)}");
    private static final Map<String, DsqlLocalServer> SERVERS = new HashMap<>();

    @BeforeAll
    static void requirePostgres() {}

    @AfterAll
    static void stopServers() {
        SERVERS.values().forEach(DsqlLocalServer::close);
        SERVERS.clear();
    }

    @TestFactory
    Stream<DynamicNode> conformance() {
        // -Dconformance.files=12- runs only the files whose names start with that prefix (while working on them).
        String only = System.getProperty("conformance.files", "");
        return ConformanceCases.load().stream()
                .filter(file -> file.name().startsWith(only))
                .map(file -> DynamicContainer.dynamicContainer(
                        file.name(),
                        file.cases().stream()
                                .map(c -> DynamicTest.dynamicTest(
                                        c.id() + " [" + c.evidence() + "] " + c.rule(), () -> run(c)))));
    }

    /** One emulator per dialect epoch the cases ask for, started on first use and shared. */
    private static DsqlLocalServer server(String epoch) throws Exception {
        String key = epoch == null ? "latest" : epoch;
        DsqlLocalServer s = SERVERS.get(key);
        if (s == null) {
            s = DsqlLocalServer.start(ServerConfig.of(Map.of(
                    Option.API_PORT,
                    "0",
                    Option.SQL_PORT,
                    "0",
                    Option.BIND_ADDRESS,
                    "127.0.0.1",
                    Option.DIALECT,
                    key)));
            SERVERS.put(key, s);
        }
        return s;
    }

    static SqlSession connect(DsqlLocalServer server, String schema, boolean simple) throws SQLException {
        String token = DsqlUtilities.builder()
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
                .build()
                .generateDbConnectAdminAuthToken(b -> b.hostname("localhost"));
        String url = "jdbc:postgresql://localhost:" + server.sqlPort() + "/postgres?sslmode=verify-full&sslrootcert="
                + server.dataDir().resolve("tls/ca.pem")
                + (schema == null ? "" : "&currentSchema=" + schema + ",public")
                + (simple ? "&preferQueryMode=simple" : "");
        return new SqlSession(DriverManager.getConnection(url, "admin", token), simple);
    }

    private static void run(ConformanceCase c) throws Exception {
        if (c.pending() != null) {
            throw new TestAbortedException("pending: " + c.pending());
        }
        DsqlLocalServer server = server(c.epoch());
        String schema = "cf_" + c.id().replaceAll("[^a-z0-9]", "_");
        try (SqlSession admin = connect(server, null, false)) {
            StepOutcome created = admin.run("CREATE SCHEMA " + schema);
            if (created.failed()) {
                throw new IllegalStateException(c.id() + ": cannot create the case schema: " + created);
            }
            Map<String, SqlSession> sessions = new LinkedHashMap<>();
            try {
                runSteps(c, server, schema, sessions);
            } finally {
                for (SqlSession s : sessions.values()) {
                    s.close();
                }
                StepOutcome dropped = admin.run("DROP SCHEMA " + schema + " CASCADE");
                if (dropped.failed() && "40001".equals(dropped.sqlstate)) {
                    // The case's own DDL made this older session's catalog stale (OC001): retry, as on DSQL.
                    dropped = admin.run("DROP SCHEMA " + schema + " CASCADE");
                }
                if (dropped.failed()) {
                    throw new IllegalStateException(c.id() + ": cannot drop the case schema: " + dropped);
                }
            }
        }
    }

    private static void runSteps(
            ConformanceCase c, DsqlLocalServer server, String schema, Map<String, SqlSession> sessions)
            throws SQLException {
        Map<String, String> variables = new HashMap<>();
        SqlSession setup = session(sessions, "setup", server, schema, true);
        for (int i = 0; i < c.setup().size(); i++) {
            StepOutcome out = setup.run(c.setup().get(i));
            if (out.failed()) {
                throw new AssertionFailedError(
                        c.id() + " setup " + (i + 1) + " failed: " + c.setup().get(i) + "\n  " + out);
            }
        }
        for (int i = 0; i < c.steps().size(); i++) {
            ConformanceCase.Step step = c.steps().get(i);
            String sql = substitute(step.sql(), variables);
            StepOutcome actual = session(sessions, step.connection(), server, schema, step.simple())
                    .run(sql);
            List<String> mismatches = compare(step, actual);
            if (!mismatches.isEmpty()) {
                throw new AssertionFailedError(String.format(
                        "%s step %d [%s%s] %s%n  expected: %s%n  actual:   %s%n  %s",
                        c.id(),
                        i + 1,
                        step.connection(),
                        step.simple() ? ", simple" : "",
                        sql,
                        expected(step),
                        actual,
                        String.join("; ", mismatches)));
            }
            if (step.save() != null) {
                variables.put(step.save(), actual.rows.get(0).get(0));
            }
        }
    }

    /**
     * The named connection, opened on first use in the mode its steps ask for (a connection's protocol mode is
     * fixed when pgJDBC opens it, so every step on one connection must agree; the loader checks that).
     */
    private static SqlSession session(
            Map<String, SqlSession> sessions, String name, DsqlLocalServer server, String schema, boolean simple)
            throws SQLException {
        SqlSession s = sessions.get(name);
        if (s == null) {
            s = connect(server, schema, simple);
            sessions.put(name, s);
        }
        return s;
    }

    private static String substitute(String sql, Map<String, String> variables) {
        Matcher m = VARIABLE.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = variables.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("no saved value ${" + m.group(1) + "} in " + sql);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        return m.appendTail(out).toString();
    }

    static List<String> compare(ConformanceCase.Step step, StepOutcome actual) {
        List<String> problems = new ArrayList<>();
        if (step.tags() != null && !step.tags().equals(actual.tags)) {
            problems.add("command tags differ");
        }
        if (step.tag() != null
                && (actual.tags.isEmpty() || !step.tag().equals(actual.tags.get(actual.tags.size() - 1)))) {
            problems.add("command tag differs");
        }
        if (step.columns() != null && !step.columns().equals(actual.columns)) {
            problems.add("columns differ");
        }
        if (step.rows() != null && !rowsMatch(step.rows(), actual.rows)) {
            problems.add("rows differ");
        }
        ConformanceCase.ExpectedError e = step.error();
        if (e == null && actual.failed()) {
            problems.add("unexpected error");
        } else if (e != null) {
            if (!actual.failed()) {
                problems.add("expected an error, none came");
            } else {
                if (!e.sqlstate().equals(actual.sqlstate)) {
                    problems.add("SQLSTATE differs");
                }
                if (!e.message().equals(actual.message)) {
                    problems.add("message differs");
                }
                if (e.hint() != null && !e.hint().equals(actual.hint)) {
                    problems.add("hint differs");
                }
                if (e.detail() != null && !e.detail().equals(actual.detail)) {
                    problems.add("detail differs");
                }
            }
        }
        return problems;
    }

    private static boolean rowsMatch(List<List<String>> expected, List<List<String>> actual) {
        if (actual == null || expected.size() != actual.size()) {
            return false;
        }
        for (int r = 0; r < expected.size(); r++) {
            List<String> want = expected.get(r);
            List<String> got = actual.get(r);
            if (want.size() != got.size()) {
                return false;
            }
            for (int i = 0; i < want.size(); i++) {
                String w = want.get(i);
                String g = got.get(i);
                boolean ok = w != null && w.startsWith("re:")
                        ? g != null && g.matches(w.substring(3))
                        : Objects.equals(w, g);
                if (!ok) {
                    return false;
                }
            }
        }
        return true;
    }

    private static String expected(ConformanceCase.Step s) {
        StringBuilder b = new StringBuilder();
        if (s.tags() != null) {
            b.append("tags=").append(s.tags()).append(' ');
        }
        if (s.tag() != null) {
            b.append("tag=").append(s.tag()).append(' ');
        }
        if (s.columns() != null) {
            b.append("columns=").append(s.columns()).append(' ');
        }
        if (s.rows() != null) {
            b.append("rows=").append(s.rows()).append(' ');
        }
        if (s.error() != null) {
            b.append("error=")
                    .append(s.error().sqlstate())
                    .append(" \"")
                    .append(s.error().message())
                    .append('"');
            if (s.error().hint() != null) {
                b.append(" hint=\"").append(s.error().hint()).append('"');
            }
            if (s.error().detail() != null) {
                b.append(" detail=\"").append(s.error().detail()).append('"');
            }
        }
        return b.toString().trim();
    }
}
