package dev.dsqllocal.concurrency;

import dev.dsqllocal.sql.StatementInfo;
import dev.dsqllocal.sql.StatementKind;
import dev.dsqllocal.sql.Token;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** What the concurrency policy needs to know of a classified statement's shape. */
final class StatementShapes {

    private StatementShapes() {}

    /** The table an INSERT/UPDATE/DELETE/MERGE writes, as {@code schema.name} or a bare name, lower-cased. */
    static Optional<String> dmlTarget(StatementInfo info) {
        List<Token> tokens = info.statement().tokens();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            int at;
            if ((t.isWord("insert") || t.isWord("merge"))
                    && i + 1 < tokens.size()
                    && tokens.get(i + 1).isWord("into")) {
                at = i + 2;
            } else if (t.isWord("delete")
                    && i + 1 < tokens.size()
                    && tokens.get(i + 1).isWord("from")) {
                at = i + 2;
            } else if (t.isWord("update") && (i == 0 || !tokens.get(i - 1).isWord("for"))) {
                at = i + 1;
            } else {
                continue;
            }
            if (at < tokens.size() && tokens.get(at).isWord("only")) {
                at++;
            }
            if (at >= tokens.size() || !tokens.get(at).isName()) {
                return Optional.empty();
            }
            String name = tokens.get(at).value();
            if (at + 2 < tokens.size()
                    && tokens.get(at + 1).isPunctuation('.')
                    && tokens.get(at + 2).isName()) {
                name = name + "." + tokens.get(at + 2).value();
            }
            return Optional.of(name.toLowerCase(Locale.ROOT));
        }
        return Optional.empty();
    }

    static String bareName(String name) {
        int dot = name.lastIndexOf('.');
        return dot < 0 ? name : name.substring(dot + 1);
    }

    static boolean isCommit(StatementInfo info) {
        return info.kind() == StatementKind.TRANSACTION_CONTROL
                && (info.command().equals("COMMIT") || info.command().equals("END"));
    }

    static boolean isRollback(StatementInfo info) {
        return info.kind() == StatementKind.TRANSACTION_CONTROL
                && (info.command().equals("ROLLBACK") || info.command().equals("ABORT"));
    }

    /** A statement that writes or locks rows: one that may meet another transaction's row lock. */
    static boolean locksRows(StatementInfo info) {
        return info.kind() == StatementKind.DML || !info.lockingClauses().isEmpty();
    }
}
