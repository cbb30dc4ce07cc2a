/**
 * The SQL endpoint of the emulator: a PostgreSQL-protocol proxy that behaves like Aurora DSQL's front end.
 *
 * <p>A connection goes through, in its pipeline: {@link dev.dsqllocal.gateway.PlaintextNegotiator} (SSLRequest,
 * direct TLS, GSSENCRequest, plaintext CancelRequest; plaintext sessions refused), the TLS handler (SNI recorded,
 * handshake timeout), {@link dev.dsqllocal.gateway.LoginHandler} (StartupMessage, cleartext password = IAM token,
 * {@link dev.dsqllocal.gateway.ClusterRouter routing}, {@link dev.dsqllocal.gateway.ClusterQuotas limits},
 * authorisation) and finally a {@link dev.dsqllocal.gateway.ProxySession} that relays whole messages to the
 * cluster's PostgreSQL through the session's {@link dev.dsqllocal.session.SessionPolicy} (the dialect's and
 * optimistic concurrency's seam).
 * {@link dev.dsqllocal.gateway.LoginDeadline} closes connections that stall before they are established.
 *
 * <p>Every refusal is a PostgreSQL ErrorResponse with DSQL's SQLSTATE and text
 * ({@link dev.dsqllocal.gateway.GatewayError}), followed by a close; nothing one connection does affects another.
 */
package dev.dsqllocal.gateway;
