package dev.dsqllocal.gateway;

import dev.dsqllocal.pgwire.BackendMessage;

/**
 * An error the gateway answers itself, as an ErrorResponse, before closing the connection. The factory methods
 * hold DSQL's texts (DSQL-BEHAVIOUR.md §1.6, §2); where DSQL-BEHAVIOUR.md has none the method says the text is a guess.
 */
record GatewayError(String severity, String sqlState, String message, String hint) {

    /** The ErrorResponse the client gets. */
    BackendMessage.ErrorResponse response() {
        return BackendMessage.ErrorResponse.of(severity, sqlState, message, null, hint);
    }

    static GatewayError fatal(String sqlState, String message) {
        return new GatewayError("FATAL", sqlState, message, null);
    }

    /** Every refused token, identity or permission (DSQL-BEHAVIOUR.md §1.6): the reason goes into the HINT. */
    static GatewayError accessDenied(String hint) {
        return new GatewayError("FATAL", "08006", "unable to accept connection, access denied", hint);
    }

    static GatewayError tooManyConnections() {
        return fatal("53300", "Unable to accept connection, too many open connections.");
    }

    static GatewayError rateExceeded() {
        return fatal("53400", "Unable to accept connection, rate exceeded.");
    }

    /** An idle cluster being woken up (DSQL-BEHAVIOUR.md §1.6). */
    static GatewayError wakingUp() {
        return fatal("08006", "unable to accept connection, waking up cluster, please retry later");
    }

    /**
     * No cluster with that identifier. Guess: real DSQL has no DNS name for an unknown cluster, so a client
     * never reaches a server; this keeps the DSQL prefix and says what is wrong.
     */
    static GatewayError unknownCluster(String clusterId) {
        return new GatewayError(
                "FATAL",
                "08006",
                "unable to accept connection, cluster not found",
                "No cluster with identifier " + clusterId + " exists.");
    }

    /** A cluster that exists but does not take connections (creating, deleting, failed). Text is a guess. */
    static GatewayError clusterUnavailable(String clusterId, String status) {
        return new GatewayError(
                "FATAL",
                "08006",
                "unable to accept connection, cluster is not available",
                "Cluster " + clusterId + " is " + status + ".");
    }

    /** No cluster named by the token or SNI and no default cluster. Text is a guess. */
    static GatewayError noCluster() {
        return new GatewayError(
                "FATAL",
                "08006",
                "unable to accept connection, cluster not found",
                "Sign the token for a cluster endpoint (<cluster id>.dsql.<region>.on.aws); this emulator has no"
                        + " default cluster.");
    }

    /**
     * A plaintext StartupMessage: DSQL only speaks TLS. Real DSQL answers SQLSTATE 08P01 with a message containing
     * "SSL is mandatory" (DSQL-BEHAVIOUR.md §1.6); asyncpg maps 08P01 to ProtocolViolationError, and connectors'
     * tests rely on both. The rest of the text and the hint are ours.
     */
    static GatewayError tlsRequired() {
        return new GatewayError("FATAL", "08P01", "SSL is mandatory", "Connect with sslmode=require (or verify-full).");
    }

    /** PostgreSQL's text for a database other than {@code postgres} (the only database DSQL has). */
    static GatewayError noSuchDatabase(String database) {
        return fatal("3D000", "database \"" + database + "\" does not exist");
    }

    /** PostgreSQL's text for a bad startup packet length. */
    static GatewayError invalidStartupPacketLength() {
        return fatal("08P01", "invalid length of startup packet");
    }

    /** DSQL's text for a message over 10 MiB (DSQL-BEHAVIOUR.md §2). */
    static GatewayError invalidMessageLength() {
        return fatal("08P01", "invalid message length");
    }

    static GatewayError protocolViolation(String message) {
        return fatal("08P01", message);
    }

    /** The session reached the maximum connection duration. Text is a guess (DSQL just closes). */
    static GatewayError lifetimeExceeded(java.time.Duration lifetime) {
        String text = lifetime.toSeconds() % 60 == 0 ? lifetime.toMinutes() + " min" : lifetime.toMillis() + " ms";
        return new GatewayError(
                "FATAL",
                "57P01",
                "terminating connection due to maximum connection duration (" + text + ")",
                "Open a new connection; DSQL closes every session after its maximum duration.");
    }
}
