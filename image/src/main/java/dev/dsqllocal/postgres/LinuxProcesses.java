package dev.dsqllocal.postgres;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** What {@code /proc} says about processes that are not necessarily children of this JVM. */
final class LinuxProcesses {
    private LinuxProcesses() {}

    /**
     * True while {@code pid} runs. Unlike {@link ProcessHandle#isAlive()}, a zombie counts as gone: an orphaned
     * postmaster that exited may stay a zombie for a while when its new parent is slow to reap it.
     */
    static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
            int end = stat.lastIndexOf(')');
            char state = end >= 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : '?';
            return state != 'Z' && state != 'X';
        } catch (IOException e) {
            return false;
        }
    }

    /** The command line of {@code pid}, or empty when it is gone (or a zombie). */
    static List<String> commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            if (raw.length == 0) {
                return List.of();
            }
            return Arrays.asList(new String(raw, StandardCharsets.UTF_8).split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }
}
