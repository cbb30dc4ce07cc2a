package dev.dsqllocal.testsupport;

import dev.dsqllocal.server.Main;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The emulator's {@code main} in a JVM of its own, as {@code java -jar} runs it, with this test's class path. */
public final class ServerProcess {
    private ServerProcess() {}

    /**
     * Starts {@code Main} with {@code args}; the environment's {@code DSQL_LOCAL_*} settings are removed so only
     * the arguments configure it.
     */
    public static Process spawn(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("DSQL_LOCAL_"));
        return pb.start();
    }
}
