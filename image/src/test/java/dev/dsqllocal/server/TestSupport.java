package dev.dsqllocal.server;

/** Which fleet the server tests run against. */
final class TestSupport {
    private TestSupport() {
    }

    static DsqlLocalServer.FleetFactory fleets() {
        return TestFleet.factory();
    }
}
