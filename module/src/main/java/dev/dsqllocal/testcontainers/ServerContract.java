package dev.dsqllocal.testcontainers;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The server's contract as the server itself reads it: {@code dev/dsqllocal/contract/server-contract.properties},
 * shipped in the image's docker-context artifact (a dependency of this module). The ready line, the local endpoint
 * paths, the ports and the environment variable names live there once, for the server and for this module.
 */
final class ServerContract {
    static final String RESOURCE = "dev/dsqllocal/contract/server-contract.properties";

    private static final Properties VALUES = load();

    /** Prefix of the log line the server prints once it is usable. */
    static final String READY_LOG_LINE = value("ready.log.line");

    /** Answers 200 once the server is ready. */
    static final String HEALTH_PATH = value("health.path");

    /** Answers the gateway's CA certificate (PEM). */
    static final String CA_PATH = value("ca.path");

    static final int API_PORT = Integer.parseInt(value("api.port"));

    static final int SQL_PORT = Integer.parseInt(value("sql.port"));

    private ServerContract() {}

    /**
     * The name of the environment variable the server reads for a setting, by its contract key without the
     * {@code env.} prefix, e.g. {@code env("region")} is {@code DSQL_LOCAL_REGION}.
     */
    static String env(String setting) {
        return value("env." + setting);
    }

    static String value(String key) {
        String value = VALUES.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(RESOURCE + " has no value for " + key
                    + ": the dsql-local docker-context artifact on the classpath does not match this module");
        }
        return value.trim();
    }

    private static Properties load() {
        try (InputStream in = ServerContract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath: add the dependency"
                        + " dev.dsqllocal:dsql-local:<version>:docker-context (dsql-local-testcontainers brings it)");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
