package dev.dsqllocal.concurrency;

import dev.dsqllocal.pgwire.FrontendMessage.Bind;

/** A statement to run again: its SQL as it ran, parameter types and Bind (values and formats; null: none). */
record Rerun(String sql, int[] types, Bind bind) {

    /** A statement of the gateway's own, without parameters. */
    static Rerun plain(String sql) {
        return new Rerun(sql, new int[0], null);
    }
}
