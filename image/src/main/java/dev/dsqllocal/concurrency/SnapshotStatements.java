package dev.dsqllocal.concurrency;

import dev.dsqllocal.sql.SqlStatement;
import dev.dsqllocal.sql.StatementInfo;
import dev.dsqllocal.sql.StatementKind;
import dev.dsqllocal.sql.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The statements whose conflict DSQL decides at COMMIT and the emulator can defer, and what each answers on its own
 * snapshot without taking a lock: an {@code UPDATE}/{@code DELETE} (no {@code WITH}, not {@code WHERE CURRENT OF})
 * answers as many rows as its target and predicate match ({@code SELECT 1 FROM target [, FROM/USING list] WHERE
 * predicate}), or with {@code RETURNING} the rows it would return (a DELETE's from the rows it matches, an UPDATE's
 * from the new rows computed on the snapshot; not for UPDATE ... FROM); an INSERT answers the rows of its VALUES or
 * SELECT (an upsert's too); a
 * {@code SELECT} with locking clauses answers the same SELECT without them. Built from the statement's tokens; the text between them is kept byte for byte.
 */
final class SnapshotStatements {

    /**
     * A deferrable statement: what to run on the snapshot instead, the command tag of a write (else null), and
     * whether the write's RETURNING rows are the answer (else its count).
     */
    record Snapshot(String sql, String tag, String table, boolean returning) {
        /** An INSERT ... VALUES: a duplicate key it meets may be a row committed after the snapshot. */
        boolean insert() {
            return INSERT_TAG.equals(tag);
        }
    }

    private static final String INSERT_TAG = "INSERT 0";

    private SnapshotStatements() {}

    static Optional<Snapshot> of(StatementInfo info) {
        SqlStatement statement = info.statement();
        List<Token> tokens = statement.tokens();
        if (tokens.isEmpty() || !statement.complete()) {
            return Optional.empty();
        }
        Token first = tokens.get(0);
        if (info.kind() == StatementKind.DML && first.isWord("update")) {
            return write(statement, 1, "set", "from", "UPDATE");
        }
        if (info.kind() == StatementKind.DML
                && first.isWord("delete")
                && tokens.size() > 1
                && tokens.get(1).isWord("from")) {
            return write(statement, 2, null, "using", "DELETE");
        }
        if (info.kind() == StatementKind.DML
                && first.isWord("insert")
                && tokens.size() > 2
                && tokens.get(1).isWord("into")) {
            return insertRows(statement);
        }
        if (info.kind() == StatementKind.QUERY && !info.lockingClauses().isEmpty() && first.isWord("select")) {
            return withoutLocking(statement);
        }
        return Optional.empty();
    }

    /**
     * UPDATE target SET ... [FROM list] [WHERE p] / DELETE FROM target [USING list] [WHERE p] as a count over the
     * same rows; with RETURNING, as the rows it would return ({@link #returningRows}). {@code setWord}: the word that
     * ends the target (UPDATE's SET), else the target ends at the list or WHERE.
     */
    private static Optional<Snapshot> write(
            SqlStatement statement, int targetAt, String setWord, String listWord, String tag) {
        List<Token> tokens = statement.tokens();
        int depth = 0;
        int set = -1;
        int list = -1;
        int where = -1;
        int returning = -1;
        for (int i = targetAt; i < tokens.size() && returning < 0; i++) {
            Token t = tokens.get(i);
            if (t.isPunctuation('(')) {
                depth++;
            } else if (t.isPunctuation(')')) {
                depth--;
            } else if (depth == 0) {
                if (t.isWord("current")) {
                    return Optional.empty(); // WHERE CURRENT OF: the cursor's row is not a predicate
                }
                if (t.isWord("returning")) {
                    returning = i;
                } else if (setWord != null && set < 0 && t.isWord(setWord)) {
                    set = i;
                } else if (list < 0 && where < 0 && (setWord == null || set >= 0) && t.isWord(listWord)) {
                    list = i;
                } else if (where < 0 && (setWord == null || set >= 0) && t.isWord("where")) {
                    where = i;
                }
            }
        }
        if (setWord != null && set < 0) {
            return Optional.empty();
        }
        int end = returning >= 0 ? returning : tokens.size();
        int targetEnd = setWord != null ? set : list >= 0 ? list : where >= 0 ? where : end;
        if (targetEnd <= targetAt || returning == tokens.size() - 1) {
            return Optional.empty();
        }
        String target = between(statement, targetAt, targetEnd);
        String from = list >= 0 ? target + ", " + between(statement, list + 1, where >= 0 ? where : end) : target;
        String predicate = where >= 0 ? " " + between(statement, where, end) : "";
        String table = table(tokens, targetAt);
        if (returning < 0) {
            return Optional.of(new Snapshot("SELECT 1 FROM " + from + predicate, tag, table, false));
        }
        String output = between(statement, returning + 1, tokens.size());
        if (setWord == null) {
            return Optional.of(new Snapshot("SELECT " + output + " FROM " + from + predicate, tag, table, true));
        }
        if (list >= 0 || !tokens.get(targetEnd - 1).isName()) {
            return Optional.empty(); // UPDATE ... FROM: RETURNING may name the other tables, the new row cannot
        }
        String row = tokens.get(targetEnd - 1).text();
        return returningRows(statement, set + 1, where >= 0 ? where : end, row)
                .map(newRow -> new Snapshot(
                        "SELECT " + output + " FROM (SELECT (" + newRow + ").* FROM " + target + predicate + ") AS "
                                + row,
                        tag,
                        table,
                        true));
    }

    /**
     * The row an UPDATE would write, computed on the snapshot from the row it reads: {@code
     * jsonb_populate_record(row, jsonb_build_object('col', value, ...))} over its SET list, each value typed as its
     * column ({@code CASE WHEN false THEN row.col ELSE (value) END}, so an untyped parameter or literal takes the
     * column's type). Empty for SET lists it cannot read that way: {@code (a, b) = ...}, {@code DEFAULT}, subfields.
     */
    private static Optional<String> returningRows(SqlStatement statement, int from, int to, String row) {
        List<Token> tokens = statement.tokens();
        StringBuilder pairs = new StringBuilder();
        int item = from;
        int depth = 0;
        for (int i = from; i <= to; i++) {
            boolean itemEnds = i == to || (depth == 0 && tokens.get(i).isPunctuation(','));
            if (!itemEnds) {
                if (tokens.get(i).isPunctuation('(')) {
                    depth++;
                } else if (tokens.get(i).isPunctuation(')')) {
                    depth--;
                }
                continue;
            }
            if (i - item < 3
                    || !tokens.get(item).isName()
                    || !tokens.get(item + 1).isOperator("=")
                    || (i - item == 3 && tokens.get(item + 2).isWord("default"))) {
                return Optional.empty();
            }
            String column = tokens.get(item).value();
            pairs.append(pairs.length() == 0 ? "" : ", ")
                    .append('\'')
                    .append(column.replace("'", "''"))
                    .append("', CASE WHEN false THEN ")
                    .append(row)
                    .append(".\"")
                    .append(column.replace("\"", "\"\""))
                    .append("\" ELSE (")
                    .append(between(statement, item + 2, i))
                    .append(") END");
            item = i + 1;
        }
        return Optional.of("jsonb_populate_record(" + row + ", jsonb_build_object(" + pairs + "))");
    }

    /**
     * INSERT INTO target [(columns)] VALUES (...), ... or SELECT ... as that VALUES list or query: one row per row it
     * would insert. With ON CONFLICT (an upsert) the same count: a row updated counts as a row inserted; a row that
     * DO NOTHING or DO UPDATE ... WHERE would skip is counted too (the one approximation). Not with RETURNING (its
     * rows would need the columns' defaults), nor DEFAULT VALUES, a WITH query or TABLE.
     */
    private static Optional<Snapshot> insertRows(SqlStatement statement) {
        List<Token> tokens = statement.tokens();
        int depth = 0;
        int rows = -1;
        int onConflict = -1;
        for (int i = 2; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isPunctuation('(')) {
                depth++;
            } else if (t.isPunctuation(')')) {
                depth--;
            } else if (depth == 0) {
                if (t.isWord("returning")) {
                    return Optional.empty();
                }
                if (rows < 0 && (t.isWord("default") || t.isWord("with") || t.isWord("table"))) {
                    return Optional.empty();
                }
                if (rows < 0 && (t.isWord("values") || t.isWord("select"))) {
                    rows = i;
                } else if (rows >= 0 && onConflict < 0 && t.isWord("on")) {
                    onConflict = i;
                }
            }
        }
        if (rows < 0) {
            return Optional.empty();
        }
        String query = between(statement, rows, onConflict >= 0 ? onConflict : tokens.size());
        return Optional.of(new Snapshot(query, INSERT_TAG, table(tokens, 2), false));
    }

    /** The SELECT with every top-level {@code FOR UPDATE/NO KEY UPDATE/SHARE/KEY SHARE [OF ...] [NOWAIT|SKIP LOCKED]} cut. */
    private static Optional<Snapshot> withoutLocking(SqlStatement statement) {
        List<Token> tokens = statement.tokens();
        List<int[]> cuts = new ArrayList<>();
        String table = null;
        int depth = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isPunctuation('(')) {
                depth++;
            } else if (t.isPunctuation(')')) {
                depth--;
            } else if (depth == 0 && table == null && t.isWord("from") && i + 1 < tokens.size()) {
                table = table(tokens, i + 1);
            } else if (depth == 0 && t.isWord("for")) {
                int end = lockStrengthEnd(tokens, i + 1);
                if (end < 0) {
                    continue;
                }
                if (end < tokens.size() && tokens.get(end).isWord("of")) {
                    end++;
                    while (end < tokens.size()
                            && (tokens.get(end).isName()
                                    || tokens.get(end).isPunctuation('.')
                                    || tokens.get(end).isPunctuation(','))) {
                        end++;
                    }
                }
                if (end < tokens.size() && tokens.get(end).isWord("nowait")) {
                    end++;
                } else if (end + 1 < tokens.size()
                        && tokens.get(end).isWord("skip")
                        && tokens.get(end + 1).isWord("locked")) {
                    end += 2;
                }
                cuts.add(new int[] {i, end});
                i = end - 1;
            }
        }
        if (cuts.isEmpty()) {
            return Optional.empty();
        }
        String text = statement.text();
        StringBuilder sql = new StringBuilder();
        int from = 0;
        for (int[] cut : cuts) {
            sql.append(text, from, offset(statement, tokens.get(cut[0]).start()));
            sql.append(' ');
            from = cut[1] < tokens.size() ? offset(statement, tokens.get(cut[1]).start()) : text.length();
        }
        sql.append(text, from, text.length());
        return Optional.of(new Snapshot(sql.toString().strip(), null, table, false));
    }

    /** The index after FOR's lock strength starting at {@code i}, or -1 when it is not one. */
    private static int lockStrengthEnd(List<Token> t, int i) {
        if (i < t.size() && (t.get(i).isWord("update") || t.get(i).isWord("share"))) {
            return i + 1;
        }
        if (i + 1 < t.size() && t.get(i).isWord("key") && t.get(i + 1).isWord("share")) {
            return i + 2;
        }
        if (i + 2 < t.size()
                && t.get(i).isWord("no")
                && t.get(i + 1).isWord("key")
                && t.get(i + 2).isWord("update")) {
            return i + 3;
        }
        return -1;
    }

    /** The table named at {@code at} (after an optional ONLY), lower-cased, without its schema. */
    private static String table(List<Token> tokens, int at) {
        if (at < tokens.size() && tokens.get(at).isWord("only")) {
            at++;
        }
        if (at >= tokens.size() || !tokens.get(at).isName()) {
            return null;
        }
        String name = tokens.get(at).value();
        if (at + 2 < tokens.size()
                && tokens.get(at + 1).isPunctuation('.')
                && tokens.get(at + 2).isName()) {
            name = tokens.get(at + 2).value();
        }
        return name.toLowerCase(Locale.ROOT);
    }

    /** The statement's text from token {@code from} up to (not including) token {@code to}. */
    private static String between(SqlStatement statement, int from, int to) {
        List<Token> tokens = statement.tokens();
        int start = offset(statement, tokens.get(from).start());
        int end = to < tokens.size()
                ? offset(statement, tokens.get(to).start())
                : statement.text().length();
        return statement.text().substring(start, end).strip();
    }

    private static int offset(SqlStatement statement, int position) {
        return position - statement.start();
    }
}
