package dev.dsqllocal.gateway;

import java.util.concurrent.atomic.AtomicInteger;

/** Live counts for tests and diagnostics: client connections and backend connections the gateway holds. */
final class SessionCounter {
    final AtomicInteger clientConnections = new AtomicInteger();
    final AtomicInteger backendConnections = new AtomicInteger();
}
