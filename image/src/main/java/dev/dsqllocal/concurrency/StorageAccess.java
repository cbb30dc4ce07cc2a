package dev.dsqllocal.concurrency;

import dev.dsqllocal.sql.StatementInfo;
import dev.dsqllocal.sql.StatementInfo.FunctionCall;
import dev.dsqllocal.sql.Token;
import java.util.Set;

/**
 * Which statements "touch storage" in the sense of DSQL's OC001 rule: a session whose cached catalog is stale gets
 * OC001 on its next statement that touches storage (DSQL-BEHAVIOUR.md §4). DSQL does not publish the list, so this is the
 * emulator's reading of it, chosen so that what drivers and pools send on their own never fails:
 *
 * <ul>
 *   <li>Never: empty queries (pgJDBC's {@code isValid()}), SET / RESET / SHOW, transaction control (BEGIN, ROLLBACK,
 *       SAVEPOINT; COMMIT is judged by the transaction it ends), DISCARD, DEALLOCATE, CLOSE, LISTEN/UNLISTEN/NOTIFY,
 *       and a SELECT or VALUES without FROM that calls only session or pure built-ins ({@code SELECT 1}, the usual
 *       pool validation query, {@code SELECT version()}, {@code SELECT current_schema()}).</li>
 *   <li>Always: everything else, DDL, DML, queries with a FROM anywhere, calls of other functions (user functions,
 *       {@code nextval}, {@code sys.*}), casts to {@code reg*} types (catalog lookups), and statements the
 *       classifier does not understand.</li>
 * </ul>
 */
final class StorageAccess {

    /** Built-ins a FROM-less SELECT may call without reading tables or the catalog. */
    private static final Set<String> SESSION_FUNCTIONS = Set.of(
            "version",
            "current_schema",
            "current_schemas",
            "current_database",
            "current_catalog",
            "current_user",
            "session_user",
            "current_role",
            "current_setting",
            "pg_backend_pid",
            "pg_is_in_recovery",
            "inet_server_addr",
            "inet_server_port",
            "inet_client_addr",
            "inet_client_port",
            "pg_postmaster_start_time",
            "now",
            "clock_timestamp",
            "statement_timestamp",
            "transaction_timestamp",
            "timeofday",
            "pg_sleep",
            "random",
            "gen_random_uuid",
            "cast",
            "coalesce",
            "nullif",
            "greatest",
            "least",
            "lower",
            "upper",
            "length",
            "concat",
            "abs",
            "round");

    /** Object-identifier types whose input function looks the name up in the catalog. */
    private static final Set<String> CATALOG_LOOKUP_TYPES = Set.of(
            "regclass",
            "regtype",
            "regproc",
            "regprocedure",
            "regoper",
            "regoperator",
            "regnamespace",
            "regrole",
            "regconfig",
            "regdictionary",
            "regcollation");

    private StorageAccess() {}

    static boolean touchesStorage(StatementInfo info) {
        return switch (info.kind()) {
            case EMPTY, SET, SHOW, TRANSACTION_CONTROL -> false;
            case UTILITY ->
                !Set.of(
                                "DISCARD",
                                "DISCARD ALL",
                                "DEALLOCATE",
                                "DEALLOCATE ALL",
                                "CLOSE CURSOR",
                                "LISTEN",
                                "UNLISTEN",
                                "NOTIFY")
                        .contains(info.command());
            case QUERY -> !isConstantSelect(info);
            default -> true;
        };
    }

    /** SELECT / VALUES with no FROM anywhere, calling only {@link #SESSION_FUNCTIONS}, without catalog casts. */
    private static boolean isConstantSelect(StatementInfo info) {
        if (!info.command().equals("SELECT") || info.statement().tokens().isEmpty()) {
            return false;
        }
        Token first = info.statement().tokens().get(0);
        if (!(first.isWord("select") || first.isWord("values"))) {
            return false;
        }
        for (Token t : info.statement().tokens()) {
            if (t.isWord("from")
                    || t.isWord("table")
                    || t.isWord("into")
                    || (t.isName() && CATALOG_LOOKUP_TYPES.contains(t.value()))) {
                return false;
            }
        }
        for (FunctionCall call : info.functionCalls()) {
            boolean builtIn = call.schema() == null || call.schema().equals("pg_catalog");
            if (!builtIn || !SESSION_FUNCTIONS.contains(call.name())) {
                return false;
            }
        }
        return true;
    }
}
