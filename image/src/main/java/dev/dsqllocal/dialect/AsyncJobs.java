package dev.dsqllocal.dialect;

/**
 * The server's runner of asynchronous jobs ({@code CREATE INDEX ASYNC}, {@code ALTER TABLE ASYNC ... VALIDATE
 * CONSTRAINT}), as the dialect sees it: told when a session's jobs are committed, so it looks at that cluster when
 * they are due. The jobs themselves live in the cluster's PostgreSQL ({@code sys.jobs}).
 */
public interface AsyncJobs {

    /** Nothing runs jobs in the background: they complete when a client waits for them. */
    AsyncJobs NONE = new AsyncJobs() {
        @Override
        public void submitted(String clusterId) {}

        @Override
        public void clusterInUse(String clusterId) {}
    };

    /** A session of the cluster has committed (or rolled back) statements that submit jobs. */
    void submitted(String clusterId);

    /** A session of the cluster started: jobs submitted before the server started may be pending there. */
    void clusterInUse(String clusterId);
}
