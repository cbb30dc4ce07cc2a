package dev.dsqllocal.session;

import dev.dsqllocal.pgwire.FrontendMessage;
import dev.dsqllocal.pgwire.FrontendMessage.Bind;
import dev.dsqllocal.pgwire.FrontendMessage.Close;
import dev.dsqllocal.pgwire.FrontendMessage.Execute;
import dev.dsqllocal.pgwire.FrontendMessage.Parse;
import dev.dsqllocal.pgwire.FrontendMessage.Query;
import dev.dsqllocal.sql.SqlLexer;
import dev.dsqllocal.sql.SqlStatement;
import dev.dsqllocal.sql.StatementClassifier;
import dev.dsqllocal.sql.StatementInfo;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Turns a session's client messages into {@link ClientRequest}s: lexes and classifies each Query's and Parse's SQL
 * once, and keeps the session's one map of prepared statements and portals (as the client named them), so Bind and
 * Execute know what they run. One per session, used from its event loop only.
 */
public final class RequestReader {
    private final UnaryOperator<String> sqlToRun;
    private final Map<String, StatementInfo> statements = new HashMap<>();
    private final Map<String, StatementInfo> portals = new HashMap<>();

    /** @param sqlToRun the text that runs in place of what the client wrote (see {@link SessionPolicy.Factory}) */
    public RequestReader(UnaryOperator<String> sqlToRun) {
        this.sqlToRun = sqlToRun;
    }

    public ClientRequest read(FrontendMessage message) {
        if (message instanceof Query query) {
            String sql = sqlToRun.apply(query.sql());
            return new ClientRequest(
                    message, sql, !sql.equals(query.sql()), false, StatementClassifier.classifyAll(sql));
        }
        if (message instanceof Parse parse) {
            String sql = sqlToRun.apply(parse.sql());
            List<SqlStatement> parts = SqlLexer.split(sql);
            StatementInfo info = StatementClassifier.classifySingle(sql, parts);
            statements.put(parse.name(), info);
            return new ClientRequest(message, sql, !sql.equals(parse.sql()), parts.size() == 1, List.of(info));
        }
        if (message instanceof Bind bind) {
            StatementInfo info = statements.get(bind.statement());
            if (info != null) {
                portals.put(bind.portal(), info);
            } else {
                portals.remove(bind.portal());
            }
            return bound(message, info);
        }
        if (message instanceof Execute execute) {
            return bound(message, portals.get(execute.portal()));
        }
        if (message instanceof Close close) {
            (close.closesStatement() ? statements : portals).remove(close.name());
        }
        return bound(message, null);
    }

    private static ClientRequest bound(FrontendMessage message, StatementInfo info) {
        return new ClientRequest(message, null, false, false, info == null ? List.of() : List.of(info));
    }
}
