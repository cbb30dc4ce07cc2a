package dev.dsqllocal.sql;

import dev.dsqllocal.sql.StatementInfo.SetFacts;
import java.util.List;

/** Reads transaction control and SET / RESET / SHOW statements for {@link StatementClassifier}. */
final class SessionStatementReader {

    private SessionStatementReader() {}

    // ------------------------------------------------------------------ transactions and settings

    static void transaction(TokenCursor c, StatementInfo.Builder b) {
        Token first = c.next();
        switch (first.value()) {
            case "begin" -> {
                b.kind(StatementKind.TRANSACTION_CONTROL, "BEGIN");
                isolation(c, b);
            }
            case "start" -> {
                if (c.accept("transaction")) {
                    b.kind(StatementKind.TRANSACTION_CONTROL, "START TRANSACTION");
                    isolation(c, b);
                }
            }
            case "commit", "end" ->
                b.kind(StatementKind.TRANSACTION_CONTROL, c.atWord("prepared") ? "COMMIT PREPARED" : "COMMIT");
            case "rollback", "abort" -> {
                if (c.atWord("prepared")) {
                    b.kind(StatementKind.TRANSACTION_CONTROL, "ROLLBACK PREPARED");
                    return;
                }
                if (!c.accept("work")) {
                    c.accept("transaction");
                }
                boolean to = first.value().equals("rollback") && c.accept("to");
                b.kind(StatementKind.TRANSACTION_CONTROL, to ? "ROLLBACK TO" : "ROLLBACK");
            }
            case "savepoint" -> b.kind(StatementKind.TRANSACTION_CONTROL, "SAVEPOINT");
            case "release" -> b.kind(StatementKind.TRANSACTION_CONTROL, "RELEASE");
            default -> {}
        }
    }

    /** Reads {@code ISOLATION LEVEL x} among transaction modes. */
    static void isolation(TokenCursor c, StatementInfo.Builder b) {
        List<Token> modes = c.rest();
        for (int i = 0; i + 2 < modes.size(); i++) {
            if (modes.get(i).isWord("isolation") && modes.get(i + 1).isWord("level")) {
                Token l1 = modes.get(i + 2);
                Token l2 = i + 3 < modes.size() ? modes.get(i + 3) : null;
                String level = TokenCursor.upper(l1.value());
                if ((l1.isWord("read") || l1.isWord("repeatable")) && l2 != null && l2.type() == TokenType.WORD) {
                    level = level + " " + TokenCursor.upper(l2.value());
                }
                b.isolationLevel(level);
                return;
            }
        }
    }

    static void prepare(TokenCursor c, StatementInfo.Builder b) {
        c.accept("prepare");
        if (c.accept("transaction")) {
            b.kind(StatementKind.TRANSACTION_CONTROL, "PREPARE TRANSACTION");
        } else {
            b.kind(StatementKind.UTILITY, "PREPARE").nodeTag("Prepare");
        }
    }

    static void deallocate(TokenCursor c, StatementInfo.Builder b) {
        c.accept("deallocate");
        c.accept("prepare");
        if (c.accept("all")) {
            b.kind(StatementKind.UTILITY, "DEALLOCATE ALL");
        } else {
            b.kind(StatementKind.UTILITY, "DEALLOCATE").nodeTag("Deallocate");
        }
    }

    static void set(TokenCursor c, StatementInfo.Builder b, SqlStatement statement) {
        c.accept("set");
        b.kind(StatementKind.SET, "SET");
        if (c.accept("constraints")) {
            b.kind(StatementKind.SET, "SET CONSTRAINTS");
            return;
        }
        boolean local = false;
        if (c.atWords("session", "characteristics")) {
            c.accept("session", "characteristics");
            c.accept("as");
        } else if (!c.atWords("session", "authorization")) {
            if (c.accept("local")) {
                local = true;
            } else {
                c.accept("session");
            }
        }
        String parameter;
        if (c.accept("transaction")) {
            b.kind(StatementKind.SET, "SET TRANSACTION");
            isolation(c, b);
            b.set(new SetFacts("TRANSACTION", local, false, null));
            return;
        } else if (c.accept("time", "zone")) {
            parameter = "timezone";
        } else if (c.accept("names")) {
            parameter = "client_encoding";
        } else if (c.accept("schema")) {
            parameter = "search_path";
        } else if (c.accept("role")) {
            parameter = "role";
        } else if (c.accept("session", "authorization")) {
            parameter = "session_authorization";
        } else if (c.accept("xml", "option")) {
            parameter = "xmloption";
        } else {
            parameter = c.acceptQualifiedName();
            if (parameter == null) {
                b.kind(StatementKind.UNKNOWN, "");
                return;
            }
            boolean assigned = c.accept("to");
            if (!assigned && c.peek() != null && c.peek().isOperator("=")) {
                c.next();
                assigned = true;
            }
            if (!assigned && !c.atWords("from", "current")) {
                b.kind(StatementKind.UNKNOWN, "");
                return;
            }
        }
        b.set(new SetFacts(parameter, local, false, settingValue(c.rest(), statement)));
    }

    /** A lone literal's content, DEFAULT as null, anything else as written ({@code -1}, {@code a, b}). */
    private static String settingValue(List<Token> value, SqlStatement statement) {
        if (value.isEmpty() || (value.size() == 1 && value.get(0).isWord("default"))) {
            return null;
        }
        if (value.size() == 1) {
            return value.get(0).value();
        }
        int from = value.get(0).start() - statement.start();
        int to = value.get(value.size() - 1).end() - statement.start();
        return statement.text().substring(from, to);
    }

    static void reset(TokenCursor c, StatementInfo.Builder b) {
        c.accept("reset");
        b.kind(StatementKind.SET, "RESET");
        String parameter;
        if (c.accept("time", "zone")) {
            parameter = "timezone";
        } else if (c.accept("session", "authorization")) {
            parameter = "session_authorization";
        } else if (c.accept("transaction", "isolation", "level")) {
            parameter = "transaction_isolation";
        } else {
            parameter = c.acceptQualifiedName();
        }
        if (parameter == null) {
            b.kind(StatementKind.UNKNOWN, "");
            return;
        }
        b.set(new SetFacts(parameter, false, true, null));
    }

    static void show(TokenCursor c, StatementInfo.Builder b) {
        c.accept("show");
        b.kind(StatementKind.SHOW, "SHOW");
        String parameter;
        if (c.accept("time", "zone")) {
            parameter = "timezone";
        } else if (c.accept("transaction", "isolation", "level")) {
            parameter = "transaction_isolation";
        } else if (c.accept("session", "authorization")) {
            parameter = "session_authorization";
        } else {
            parameter = c.acceptQualifiedName();
        }
        b.show(parameter);
    }
}
