package dev.dsqllocal.gateway;

import java.time.Duration;

/**
 * The gateway's limits and timeouts (https://docs.aws.amazon.com/aurora-dsql/latest/userguide/CHAP_quotas.html).
 * A limit of 0 means unlimited.
 *
 * @param maxConnectionsPerCluster open sessions per cluster (53300 beyond)
 * @param connectionRatePerSecond sustained new connections per second per cluster (53400 beyond)
 * @param connectionBurst token-bucket size for new connections per cluster
 * @param maxConnectionLifetime a session is closed with a FATAL error after this long
 * @param tokenClockSkew how far in the future a token's X-Amz-Date may be
 * @param tlsHandshakeTimeout time from accept until the TLS handshake must be done
 * @param authenticationTimeout time from the TLS handshake until the session must be authenticated (PostgreSQL's
 *        {@code authentication_timeout}, 60 s by default)
 */
public record GatewaySettings(
        int maxConnectionsPerCluster,
        int connectionRatePerSecond,
        int connectionBurst,
        Duration maxConnectionLifetime,
        Duration tokenClockSkew,
        Duration tlsHandshakeTimeout,
        Duration authenticationTimeout) {

    public static final Duration DEFAULT_TLS_HANDSHAKE_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_AUTHENTICATION_TIMEOUT = Duration.ofSeconds(60);

    public GatewaySettings withMaxConnectionLifetime(Duration lifetime) {
        return new GatewaySettings(
                maxConnectionsPerCluster,
                connectionRatePerSecond,
                connectionBurst,
                lifetime,
                tokenClockSkew,
                tlsHandshakeTimeout,
                authenticationTimeout);
    }

    public GatewaySettings withTlsHandshakeTimeout(Duration timeout) {
        return new GatewaySettings(
                maxConnectionsPerCluster,
                connectionRatePerSecond,
                connectionBurst,
                maxConnectionLifetime,
                tokenClockSkew,
                timeout,
                authenticationTimeout);
    }

    public GatewaySettings withConnectionLimits(int maxConnections, int ratePerSecond, int burst) {
        return new GatewaySettings(
                maxConnections,
                ratePerSecond,
                burst,
                maxConnectionLifetime,
                tokenClockSkew,
                tlsHandshakeTimeout,
                authenticationTimeout);
    }
}
