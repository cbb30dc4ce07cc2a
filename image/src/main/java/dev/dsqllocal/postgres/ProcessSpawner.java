package dev.dsqllocal.postgres;

import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts every child process of the fleet from one dedicated thread that never ends.
 *
 * <p>Why: the children are started through {@code setpriv --pdeathsig SIGQUIT} so that a killed emulator
 * (SIGKILL, no shutdown hook) takes its PostgreSQL servers down with it. Linux delivers the parent-death signal
 * when the <em>thread</em> that forked the child exits, not when the process does. A process started from a
 * request thread, a pool worker or a test thread would receive SIGQUIT (PostgreSQL's immediate shutdown) as soon as
 * that thread finished. Forking only from this daemon thread, which lives exactly as long as the JVM, ties the
 * children's lifetime to the JVM's.
 */
final class ProcessSpawner {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessSpawner.class);
    private static final ProcessSpawner INSTANCE = new ProcessSpawner();

    private final BlockingQueue<FutureTask<Process>> queue = new LinkedBlockingQueue<>();

    private ProcessSpawner() {
        Thread thread = new Thread(this::run, "postgres-process-spawner");
        thread.setDaemon(true);
        thread.start();
    }

    static ProcessSpawner instance() {
        return INSTANCE;
    }

    private void run() {
        // Never returns: leaving this loop would deliver SIGQUIT to every server it started.
        while (true) {
            try {
                queue.take().run(); // FutureTask captures any exception for the caller
            } catch (InterruptedException e) {
                LOG.debug("ignoring interrupt of the process spawner thread");
            } catch (Throwable t) {
                LOG.error("unexpected error in the process spawner thread", t);
            }
        }
    }

    /** Starts {@code builder} on the spawner thread and returns the started process. */
    Process start(ProcessBuilder builder) throws IOException {
        FutureTask<Process> task = new FutureTask<>(builder::start);
        queue.add(task);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    // Wait even when interrupted: giving up here would leak a process that is about to start.
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException) {
                throw (IOException) cause;
            }
            throw new IOException("could not start " + builder.command().get(0), cause);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
