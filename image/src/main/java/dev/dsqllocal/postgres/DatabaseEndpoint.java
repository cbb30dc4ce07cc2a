package dev.dsqllocal.postgres;

/** Where a cluster's own PostgreSQL server listens (always loopback; users reach it through the SQL gateway). */
public record DatabaseEndpoint(String host, int port) {
}
