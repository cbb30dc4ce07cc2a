package dev.dsqllocal.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dsqllocal.testsupport.ServerProcess;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The command line: --help and bad settings, in a child JVM. */
class MainIT {
    record Result(int exit, String out, String err) {}

    static Result run(String... args) throws Exception {
        Process p = ServerProcess.spawn(List.of(args));
        p.getOutputStream().close();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(
                p.exitValue(),
                new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8),
                new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void helpPrintsEveryOptionAndExitsZero() throws Exception {
        Result r = run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo(ServerConfig.help());
    }

    @Test
    void badSettingsExitWithTwoAndSayWhy() throws Exception {
        Result r = run("--api-port", "99999");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--api-port").contains("99999");
        assertThat(run("--no-such-option", "1").exit()).isEqualTo(2);
    }
}
