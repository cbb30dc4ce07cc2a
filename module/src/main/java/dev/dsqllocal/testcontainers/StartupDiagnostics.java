package dev.dsqllocal.testcontainers;

import java.util.Locale;
import org.testcontainers.DockerClientFactory;

/**
 * Checks made before and after a start attempt, so that the common failures (no Docker engine, an image that cannot
 * be had, a taken port) end in a message that says what to do, within seconds, instead of a pull that waits for a registry or a
 * stack trace from the Docker client.
 */
final class StartupDiagnostics {

    private StartupDiagnostics() {}

    /** Fails at once when Testcontainers finds no Docker engine. */
    static void requireDocker() {
        requireDocker(DockerClientFactory.instance().isDockerAvailable());
    }

    static void requireDocker(boolean dockerAvailable) {
        if (!dockerAvailable) {
            throw new IllegalStateException(
                    "DsqlContainer needs a running Docker engine, and Testcontainers found none (it looked at DOCKER_HOST,"
                            + " ~/.testcontainers.properties and /var/run/docker.sock). Start Docker (or point DOCKER_HOST at"
                            + " one) and run again; see https://java.testcontainers.org/supported_docker_environment/");
        }
    }

    /** Replaces a start failure Docker reports cryptically by one that says what to do; others pass unchanged. */
    static RuntimeException explain(RuntimeException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof DsqlImage.UnavailableException) {
                return (DsqlImage.UnavailableException) cause;
            }
            String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("port is already allocated") || message.contains("address already in use")) {
                return new IllegalStateException(
                        "A host port DsqlContainer was told to bind is already taken (" + cause.getMessage() + "). Let"
                                + " Testcontainers choose free ports and ask getMappedPort(" + DsqlContainer.SQL_PORT
                                + ") /"
                                + " getEndpoint(), or free the port",
                        e);
            }
        }
        return e;
    }
}
