package dev.dsqllocal.testsupport;

import dev.dsqllocal.server.DsqlLocalServer;
import dev.dsqllocal.server.Option;
import dev.dsqllocal.server.ServerConfig;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The emulator as shipped ({@code DsqlLocalServer.start(config)}: dialect {@code latest}, ephemeral, ephemeral
 * ports on loopback), started once for a test class and closed after it:
 * {@code @RegisterExtension static final ShippedEmulator EMULATOR = new ShippedEmulator();}.
 */
public final class ShippedEmulator implements BeforeAllCallback, AfterAllCallback {
    private DsqlLocalServer server;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        server = DsqlLocalServer.start(
                ServerConfig.of(Map.of(Option.API_PORT, "0", Option.SQL_PORT, "0", Option.BIND_ADDRESS, "127.0.0.1")));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
        }
    }

    public DsqlLocalServer server() {
        return server;
    }
}
