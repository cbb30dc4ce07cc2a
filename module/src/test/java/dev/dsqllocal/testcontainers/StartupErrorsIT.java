package dev.dsqllocal.testcontainers;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Start-up failures a user can cause, and the messages that tell them what to do. */
class StartupErrorsIT {

    @Test
    void aTakenHostPortSaysSo() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
            DsqlContainer dsql = new DsqlContainer();
            dsql.setPortBindings(List.of(taken.getLocalPort() + ":" + DsqlContainer.SQL_PORT));
            try {
                assertThatThrownBy(dsql::start)
                        .isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("already taken")
                        .hasMessageContaining("getMappedPort");
            } finally {
                dsql.stop();
            }
        }
    }
}
