package dev.dsqllocal.dialect;

import dev.dsqllocal.sql.SqlStatement;
import dev.dsqllocal.sql.StatementInfo;
import dev.dsqllocal.sql.Token;
import java.util.List;

/**
 * Turns DSQL's index statements into SQL PostgreSQL runs with DSQL's result.
 *
 * <ul>
 *   <li>{@code CREATE [UNIQUE] INDEX ASYNC ...}: the {@code ASYNC} token is cut out (by its lexer position, never
 *       by pattern) and the plain statement handed to {@code sys.dsql_local_create_index_async} (installed in
 *       every cluster by the PostgreSQL template), which creates the index INVALID, records a {@code submitted}
 *       {@code INDEX_BUILD} job in {@code sys.jobs} and returns its {@code job_id}. As in DSQL the index becomes
 *       valid only when the job runs: after the server's asynchronous job delay, or at once when a client
 *       {@code CALL}s {@code sys.wait_for_job} (template's {@code sys-schema.sql}).</li>
 *   <li>A plain {@code CREATE INDEX} with {@code disable_sync_create_index} off: DSQL builds it only on an empty
 *       table. The statement becomes a {@code DO} block that checks emptiness and builds in the same statement,
 *       raising DSQL's error when the table has rows.</li>
 * </ul>
 * Either way PostgreSQL's command tag differs ({@code SELECT 1} / {@code DO}); the interceptor answers
 * {@code CREATE INDEX} as DSQL does.
 */
final class IndexBuildRewriter {

    static final String COMMAND_TAG = "CREATE INDEX";

    private IndexBuildRewriter() {}

    /**
     * The query that creates the index of {@code CREATE INDEX ASYNC}, submits its build as a job and answers one
     * {@code job_id} row. For a unique index it also passes the statement without {@code UNIQUE}: over rows with
     * duplicate keys the index is created from that and its job fails, as DSQL's build does.
     */
    static String asyncIndex(SqlStatement statement, StatementInfo.IndexFacts index) {
        String plain = statement.textWithout(index.asyncToken());
        String name = index.name() == null ? "NULL" : dollarQuoted(lastPart(index.name()));
        Token unique = index.unique() ? uniqueToken(statement) : null;
        String nonUnique = unique == null ? "NULL" : dollarQuoted(textWithout(statement, unique, index.asyncToken()));
        return "SELECT job_id FROM sys.dsql_local_create_index_async(" + dollarQuoted(plain) + ", "
                + dollarQuoted(index.quotedTable()) + ", " + name + ", " + nonUnique + ")";
    }

    /** The {@code UNIQUE} of {@code CREATE UNIQUE INDEX}: the statement's second token. */
    private static Token uniqueToken(SqlStatement statement) {
        List<Token> tokens = statement.tokens();
        return tokens.size() > 1
                        && tokens.get(0).isWord("create")
                        && tokens.get(1).isWord("unique")
                ? tokens.get(1)
                : null;
    }

    /** The statement's text with two tokens ({@code first} before {@code second}) cut out. */
    private static String textWithout(SqlStatement statement, Token first, Token second) {
        String text = statement.text();
        int base = statement.start();
        return text.substring(0, first.start() - base) + " " + text.substring(first.end() - base, second.start() - base)
                + " " + text.substring(second.end() - base);
    }

    /**
     * A {@code DO} block that refuses with {@code ifNotEmpty} when {@code quotedTable} has a row and otherwise
     * runs {@code createIndex} (one statement, so nothing can slip in between the check and the build).
     */
    static String syncIndexIfEmpty(String createIndex, String quotedTable, DsqlError ifNotEmpty) {
        StringBuilder raise = new StringBuilder("RAISE EXCEPTION USING ERRCODE = ")
                .append(dollarQuoted(ifNotEmpty.sqlstate()))
                .append(", MESSAGE = ")
                .append(dollarQuoted(ifNotEmpty.message()));
        if (ifNotEmpty.detail() != null) {
            raise.append(", DETAIL = ").append(dollarQuoted(ifNotEmpty.detail()));
        }
        if (ifNotEmpty.hint() != null) {
            raise.append(", HINT = ").append(dollarQuoted(ifNotEmpty.hint()));
        }
        String body = "BEGIN IF EXISTS (SELECT FROM " + quotedTable + ") THEN " + raise + "; END IF; EXECUTE "
                + dollarQuoted(createIndex) + "; END";
        return "DO " + dollarQuoted(body);
    }

    /** A dollar-quoted literal whose tag does not occur in the text, so any text survives unchanged. */
    static String dollarQuoted(String text) {
        String tag = "$dsql_local$";
        for (int i = 0; text.contains(tag); i++) {
            tag = "$dsql_local" + i + "$";
        }
        return tag + text + tag;
    }

    private static String lastPart(String qualifiedName) {
        int dot = qualifiedName.lastIndexOf('.');
        return dot < 0 ? qualifiedName : qualifiedName.substring(dot + 1);
    }
}
