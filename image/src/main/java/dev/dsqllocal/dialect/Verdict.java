package dev.dsqllocal.dialect;

/** Outcome of checking one statement against the dialect. */
public sealed interface Verdict {

    /** Let PostgreSQL run it (possibly after the rewrites {@link StatementInfo#needsEmulation()} asks for). */
    record Pass() implements Verdict {}

    /** Answer with this error instead of running the statement. */
    record Refuse(DsqlError error) implements Verdict {}

    /**
     * A synchronous {@code CREATE INDEX} with {@code disable_sync_create_index} off: DSQL allows it only when the
     * table is empty, which only the database can tell. The caller checks (e.g. with {@link #emptinessProbe()})
     * and, if the table has rows, refuses with {@code ifNotEmpty}. {@code table} is quoted, ready for SQL.
     */
    record PassIfTableEmpty(String table, DsqlError ifNotEmpty) implements Verdict {
        /** A query answering one boolean row: true when the table has no rows. */
        public String emptinessProbe() {
            return "SELECT NOT EXISTS (SELECT 1 FROM " + table + ")";
        }
    }

    Pass PASS = new Pass();

    default boolean isRefusal() {
        return this instanceof Refuse;
    }
}
