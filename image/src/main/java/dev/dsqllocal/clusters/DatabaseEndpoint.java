package dev.dsqllocal.clusters;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a cluster's own PostgreSQL server listens (always loopback; users reach it through the SQL gateway).
 * {@code unixSocket}, when present, is the server's Unix domain socket file ({@code .s.PGSQL.<port>}) on the same
 * machine: the gateway relays over it where it can, since a Unix socket costs far less CPU per message than TCP
 * over loopback. The TCP address always works too (JDBC users, cancel requests, non-Linux gateways).
 */
public record DatabaseEndpoint(String host, int port, Optional<Path> unixSocket) {

    public DatabaseEndpoint {
        java.util.Objects.requireNonNull(unixSocket, "unixSocket");
    }

    /** A TCP-only endpoint. */
    public DatabaseEndpoint(String host, int port) {
        this(host, port, Optional.empty());
    }
}
