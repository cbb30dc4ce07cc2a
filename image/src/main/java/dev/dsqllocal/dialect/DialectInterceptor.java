package dev.dsqllocal.dialect;

import dev.dsqllocal.sql.SqlLexer;
import dev.dsqllocal.sql.Token;
import dev.dsqllocal.sql.SqlStatement;
import dev.dsqllocal.sql.StatementClassifier;
import dev.dsqllocal.sql.StatementInfo;
import static dev.dsqllocal.gateway.PgMessages.cString;
import static dev.dsqllocal.gateway.PgMessages.errorFields;
import static dev.dsqllocal.gateway.PgMessages.utf8Length;

import dev.dsqllocal.gateway.ProtocolInterceptor;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies the DSQL dialect to one proxied session (see the package documentation for the contract).
 *
 * <p>Refused statements are replaced by {@link RefusalMarkers} statements, so PostgreSQL fails them itself and
 * keeps transaction state, skipping and error recovery exact; the marker's ErrorResponse is then swapped for
 * DSQL's error. Completions are matched in order to the statements sent, feeding the
 * {@link DialectSession}'s transaction rules. Covered: simple Query (statement and transaction rules, and
 * SET/RESET/SHOW of {@code disable_sync_create_index} kept as the custom setting
 * {@code dsql_local.disable_sync_create_index}), Parse (statement rules), Execute (transaction rules that refuse),
 * {@code CREATE INDEX ASYNC} and a synchronous CREATE INDEX with {@code disable_sync_create_index} off (rewritten
 * by {@link IndexBuildRewriter}, answered with DSQL's tag; PostgreSQL's CONTEXT of the rewritten statement is
 * dropped from its errors). {@code CALL sys.wait_for_job} runs as the procedure the cluster template installs.
 * DSQL's 3,000-row and 10 MiB transaction limits are enforced by PostgreSQL itself (the cluster template's
 * statement triggers, see {@code PostgresTemplate}), in autocommit and in transaction blocks alike; this class only
 * words their errors as DSQL does ({@link #transactionLimit}). The tag-based row count of
 * {@link TransactionTracker} remains for what the triggers cannot see: rows locked by {@code SELECT ... FOR UPDATE}.
 * Not yet: COMMIT-as-ROLLBACK through the extended protocol when only the gateway knows the transaction failed
 * (a FOR UPDATE row count over the limit).
 * {@code AWS IAM GRANT/REVOKE} become calls of the template's procedures ({@link IamStatementRewriter}),
 * {@code ALTER TABLE ASYNC ... VALIDATE CONSTRAINT} a job ({@link ConstraintValidationRewriter}). Names of the
 * emulator's internal objects in user statements are hidden ({@link InternalNames}); PostgreSQL's errors are
 * worded as DSQL's ({@link PostgresErrorRewriter}).
 */
public final class DialectInterceptor implements ProtocolInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(DialectInterceptor.class);

    /** Statement name reserved for markers that replace a refused Execute. */
    static final String MARKER_STATEMENT = "dsql_local_refusal";

    /** One expected answer from PostgreSQL, in order; {@code info == null} ends a Query or a Sync group. */
    private record Expected(StatementInfo info, boolean swallowCompletion) {
        static final Expected GROUP_END = new Expected(null, false);
    }

    /**
     * The trigger functions of the cluster template that raise DSQL's transaction limits in PostgreSQL
     * ({@code PostgresTemplate}), as they appear in the CONTEXT of their errors.
     */
    static final String ROW_LIMIT_FUNCTION = "sys.dsql_local_count_changes()";
    static final String SIZE_LIMIT_FUNCTION = "sys.dsql_local_size_limit_exceeded()";
    private static final Pattern SIZE_IN_DETAIL = Pattern.compile("(\\d+)mb");

    private final DialectRules rules;
    private final DialectSession session;
    private final DialectCheck check;
    private final RefusalMarkers markers = new RefusalMarkers();
    private final Deque<Expected> expected = new ArrayDeque<>();
    private final Map<String, StatementInfo> statements = new HashMap<>();
    private final Map<String, StatementInfo> portals = new HashMap<>();
    /** Skip answers up to the end of the current group (after an error). */
    private boolean skipping;

    public DialectInterceptor(DialectRules rules, Clock clock) {
        this.rules = rules;
        this.session = new DialectSession(rules, clock);
        this.check = new DialectCheck(rules);
    }

    /**
     * A factory for the gateway: one interceptor per session, all sharing the rules; it also applies DSQL's
     * StartupMessage rules ({@link StartupParameterFilter}).
     */
    public static Factory factory(DialectRules rules, Clock clock) {
        StartupParameterFilter filter = new StartupParameterFilter(rules);
        return new Factory() {
            @Override
            public ProtocolInterceptor create(String clusterId, String user) {
                return new DialectInterceptor(rules, clock);
            }

            @Override
            public Optional<StartupRefusal> checkStartup(Map<String, String> parameters) {
                return filter.check(parameters).map(e -> new StartupRefusal(e.sqlstate(), e.message(), e.hint()));
            }
        };
    }

    DialectSession session() {
        return session;
    }

    // ------------------------------------------------------------------ client → server

    @Override
    public ByteBuf onClientMessage(Session s, ByteBuf message) {
        byte type = message.getByte(message.readerIndex());
        try {
            return switch (type) {
                case 'Q' -> query(message);
                case 'P' -> parse(message);
                case 'B' -> bind(message);
                case 'E' -> execute(message);
                case 'S' -> {
                    expected.add(Expected.GROUP_END);
                    yield message;
                }
                case 'C' -> close(message);
                default -> message;
            };
        } catch (RuntimeException e) {
            // A malformed message is PostgreSQL's to reject; never let the dialect break the session.
            LOG.debug("Dialect could not read a client message, passing it on: {}", e.toString());
            return message;
        }
    }

    private ByteBuf query(ByteBuf message) {
        String written = cString(message, message.readerIndex() + 5);
        String sql = InternalNames.hide(written);
        boolean hidden = !sql.equals(written);
        List<SqlStatement> parts = SqlLexer.split(sql);
        List<StatementInfo> infos = parts.stream().map(StatementClassifier::classify).toList();
        Optional<DialectSession.Refusal> refusal = session.firstRefusal(infos);
        List<String> tablesToCheck = tablesToCheck(infos, refusal.map(DialectSession.Refusal::index)
                .orElse(infos.size()));
        session.beginQuery(infos.size());
        if (refusal.isEmpty()) {
            infos.forEach(i -> expected.add(new Expected(i, false)));
            expected.add(Expected.GROUP_END);
            List<String> texts = new ArrayList<>();
            boolean rewritten = false;
            for (int i = 0; i < parts.size(); i++) {
                String text = textFor(parts.get(i), infos.get(i), tablesToCheck.get(i), refusalIfNotEmpty(i));
                rewritten |= text != null;
                texts.add(text != null ? text : parts.get(i).text());
            }
            if (!rewritten) {
                if (!hidden) {
                    return message;
                }
                message.release();
                return queryMessage(sql);
            }
            message.release();
            return queryMessage(String.join(";\n", texts));
        }
        int k = refusal.get().index();
        DialectSession.Outcome outcome = refusal.get().outcome();
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            String text = textFor(parts.get(i), infos.get(i), tablesToCheck.get(i), refusalIfNotEmpty(i));
            texts.add(text != null ? text : parts.get(i).text());
            expected.add(new Expected(infos.get(i), false));
        }
        switch (outcome.action()) {
            case COMMIT_AS_ROLLBACK -> {
                // PostgreSQL answers ROLLBACK, which is what DSQL reports for COMMIT of a failed transaction.
                texts.add("ROLLBACK");
                expected.add(new Expected(infos.get(k), false));
                for (int i = k + 1; i < parts.size(); i++) {
                    texts.add(parts.get(i).text());
                    expected.add(new Expected(infos.get(i), false));
                }
            }
            case ROLLBACK_THEN_REFUSE -> {
                texts.add("ROLLBACK");
                expected.add(new Expected(infos.get(k), true));
                texts.add(markers.sqlFor(outcome.error()));
                expected.add(new Expected(infos.get(k), false));
            }
            default -> {
                texts.add(markers.sqlFor(outcome.error()));
                expected.add(new Expected(infos.get(k), false));
            }
        }
        expected.add(Expected.GROUP_END);
        message.release();
        return queryMessage(String.join(";\n", texts));
    }

    /** The errors DSQL answers for the conditional statements of the Query being prepared (by index). */
    private final List<DsqlError> pendingEmptinessErrors = new ArrayList<>();

    private DsqlError refusalIfNotEmpty(int i) {
        return i < pendingEmptinessErrors.size() ? pendingEmptinessErrors.get(i) : null;
    }

    /**
     * For each statement before {@code limit}, the table that must be empty for it to run (synchronous CREATE
     * INDEX with {@code disable_sync_create_index} off), or null; previews the session like {@code firstRefusal}
     * so a SET earlier in the same Query counts.
     */
    private List<String> tablesToCheck(List<StatementInfo> infos, int limit) {
        pendingEmptinessErrors.clear();
        List<String> tables = new ArrayList<>();
        DialectSession preview = session.copy();
        preview.beginQuery(infos.size());
        for (int i = 0; i < infos.size(); i++) {
            DialectSession.Outcome outcome = i < limit ? preview.beforeStatement(infos.get(i)) : null;
            boolean conditional = outcome != null && outcome.proceeds() && outcome.tableToCheck() != null;
            tables.add(conditional ? outcome.tableToCheck() : null);
            pendingEmptinessErrors.add(conditional ? outcome.error() : null);
            if (outcome != null && outcome.proceeds()) {
                preview.afterSuccess(infos.get(i), null);
            }
        }
        return tables;
    }

    /**
     * What PostgreSQL must run instead of a statement DSQL accepts, or null to send it as written: DSQL-only
     * settings, {@code CREATE INDEX ASYNC}, and a synchronous CREATE INDEX allowed only on an empty table.
     */
    private static String textFor(SqlStatement statement, StatementInfo info, String tableToCheck,
                                  DsqlError ifNotEmpty) {
        if (isDsqlOnlySetting(info)) {
            return dsqlOnlySettingAsCustom(statement);
        }
        if (info.iamMapping().isPresent()) {
            return IamStatementRewriter.call(info.iamMapping().get());
        }
        StatementInfo.IndexFacts index = info.index().orElse(null);
        if (index != null && index.async() && index.asyncToken() != null) {
            return IndexBuildRewriter.asyncIndex(statement, index);
        }
        if (index != null && tableToCheck != null && ifNotEmpty != null) {
            return IndexBuildRewriter.syncIndexIfEmpty(statement.text(), tableToCheck, ifNotEmpty);
        }
        StatementInfo.AlterTableFacts alter = info.alterTable().orElse(null);
        if (alter != null && ConstraintValidationRewriter.applies(alter)) {
            return ConstraintValidationRewriter.asyncValidation(statement, alter);
        }
        return null;
    }

    /** SET / RESET / SHOW of {@code disable_sync_create_index}, a DSQL setting PostgreSQL does not know. */
    private static boolean isDsqlOnlySetting(StatementInfo info) {
        return info.set().map(f -> f.parameter().equals(StatementInfo.DSQL_ONLY_SETTING)).orElse(false)
                || StatementInfo.DSQL_ONLY_SETTING.equals(info.showParameter().orElse(null));
    }

    /**
     * PostgreSQL keeps dotted names as custom settings (with SET LOCAL scoping and RESET), so the DSQL setting
     * lives on as {@code dsql_local.disable_sync_create_index}.
     */
    static String dsqlOnlySettingAsCustom(SqlStatement statement) {
        for (Token t : statement.tokens()) {
            if (t.isName() && t.value().equals(StatementInfo.DSQL_ONLY_SETTING)) {
                int from = t.start() - statement.start();
                int to = t.end() - statement.start();
                return statement.text().substring(0, from) + "dsql_local." + StatementInfo.DSQL_ONLY_SETTING
                        + statement.text().substring(to);
            }
        }
        return statement.text();
    }

    private ByteBuf parse(ByteBuf message) {
        int at = message.readerIndex() + 5;
        String name = cString(message, at);
        at += utf8Length(name) + 1;
        String written = cString(message, at);
        int paramsAt = at + utf8Length(written) + 1;
        String sql = InternalNames.hide(written);
        StatementInfo info = StatementClassifier.classifySingle(sql);
        statements.put(name, info);
        Verdict verdict = check.check(info, session.state());
        if (!(verdict instanceof Verdict.Refuse refuse)) {
            List<SqlStatement> parts = SqlLexer.split(sql);
            String text = null;
            if (parts.size() == 1) {
                Verdict.PassIfTableEmpty conditional = verdict instanceof Verdict.PassIfTableEmpty p ? p : null;
                text = textFor(parts.get(0), info, conditional == null ? null : conditional.table(),
                        conditional == null ? null : conditional.ifNotEmpty());
            }
            if (text == null && sql.equals(written)) {
                return message;
            }
            ByteBuf params = message.slice(paramsAt, message.writerIndex() - paramsAt);
            ByteBuf replaced = parseMessage(name, text != null ? text : sql, params);
            message.release();
            return replaced;
        }
        ByteBuf params = message.slice(paramsAt, message.writerIndex() - paramsAt);
        ByteBuf replaced = parseMessage(name, markers.sqlFor(refuse.error()), params);
        message.release();
        return replaced;
    }

    private ByteBuf bind(ByteBuf message) {
        int at = message.readerIndex() + 5;
        String portal = cString(message, at);
        String statement = cString(message, at + utf8Length(portal) + 1);
        StatementInfo info = statements.get(statement);
        if (info != null) {
            portals.put(portal, info);
        } else {
            portals.remove(portal);
        }
        return message;
    }

    private ByteBuf execute(ByteBuf message) {
        String portal = cString(message, message.readerIndex() + 5);
        StatementInfo info = portals.get(portal);
        if (info == null) {
            expected.add(new Expected(StatementClassifier.classifySingle(""), false));
            return message;
        }
        expected.add(new Expected(info, false));
        // Transaction rules depend on what runs before: project the session over the Executes still in flight.
        DialectSession projected = session.copy();
        for (Expected e : expected) {
            if (e.info() != null && e != expected.peekLast()) {
                projected.afterSuccess(e.info(), null);
            }
        }
        DialectSession.Outcome outcome = projected.beforeStatement(info);
        if (outcome.action() != TransactionTracker.Action.REFUSE) {
            return message;
        }
        message.release();
        return parseMessage(MARKER_STATEMENT, markers.sqlFor(outcome.error()), Unpooled.wrappedBuffer(new byte[2]));
    }

    private ByteBuf close(ByteBuf message) {
        int at = message.readerIndex() + 5;
        byte kind = message.getByte(at);
        String name = cString(message, at + 1);
        (kind == 'S' ? statements : portals).remove(name);
        return message;
    }

    // ------------------------------------------------------------------ server → client

    @Override
    public ByteBuf onServerMessage(Session s, ByteBuf message) {
        byte type = message.getByte(message.readerIndex());
        try {
            return switch (type) {
                case 'C' -> commandComplete(message);
                case 'I' -> {
                    completed();
                    yield message;
                }
                case 'E' -> error(message);
                case 'Z' -> readyForQuery(message);
                default -> message;
            };
        } catch (RuntimeException e) {
            LOG.debug("Dialect could not read a server message, passing it on: {}", e.toString());
            return message;
        }
    }

    private ByteBuf commandComplete(ByteBuf message) {
        String tag = cString(message, message.readerIndex() + 5);
        Expected e = completed();
        if (e == null) {
            return message;
        }
        if (e.info().index().isPresent() && !tag.equals(IndexBuildRewriter.COMMAND_TAG)) {
            // An index statement the gateway rewrote (SELECT of the job_id, DO block): DSQL's tag.
            tag = IndexBuildRewriter.COMMAND_TAG;
            message.release();
            message = commandCompleteMessage(tag);
        } else if (e.info().iamMapping().isPresent()) {
            tag = IamStatementRewriter.commandTag(e.info().iamMapping().get());
            message.release();
            message = commandCompleteMessage(tag);
        } else if (isAsyncValidation(e.info()) && !tag.equals(ConstraintValidationRewriter.COMMAND_TAG)) {
            tag = ConstraintValidationRewriter.COMMAND_TAG;
            message.release();
            message = commandCompleteMessage(tag);
        }
        DialectSession.Outcome outcome = session.afterSuccess(e.info(), tag);
        if (e.swallowCompletion()) {
            message.release();
            return null;
        }
        if (outcome.action() == TransactionTracker.Action.REFUSE && outcome.error() != null) {
            message.release();
            return errorMessage(outcome.error());
        }
        return message;
    }

    /** Pops the answer a completion belongs to (null when out of step, e.g. after an error). */
    private Expected completed() {
        if (skipping || expected.isEmpty() || expected.peekFirst().info() == null) {
            return null;
        }
        return expected.pollFirst();
    }

    private ByteBuf error(ByteBuf message) {
        Map<Character, String> fields = errorFields(message);
        Optional<DsqlError> dsql = markers.take(fields.get('M'));
        if (dsql.isEmpty()) {
            dsql = transactionLimit(fields);
        }
        boolean rewritten = false;
        if (!skipping && !expected.isEmpty() && expected.peekFirst().info() != null) {
            StatementInfo failed = expected.pollFirst().info();
            rewritten = failed.index().isPresent() || failed.iamMapping().isPresent() || isAsyncValidation(failed);
        }
        session.afterError();
        skipping = true; // PostgreSQL skips the rest of the Query, or everything up to Sync
        if (dsql.isPresent()) {
            message.release();
            return errorMessage(dsql.get());
        }
        Map<Character, String> dsqlFields = PostgresErrorRewriter.rewrite(fields);
        if (rewritten && (dsqlFields == null ? fields : dsqlFields).containsKey('W')) {
            // The statement ran inside the gateway's function or DO block; the user wrote one plain statement.
            dsqlFields = new LinkedHashMap<>(dsqlFields == null ? fields : dsqlFields);
            dsqlFields.remove('W');
        }
        if (dsqlFields == null) {
            return message;
        }
        message.release();
        return errorMessageOf(dsqlFields);
    }

    /**
     * DSQL's row or size limit when PostgreSQL's error was raised by the template's limit triggers: the same error
     * as DSQL words it, without PostgreSQL's CONTEXT, file and line of the trigger function.
     */
    Optional<DsqlError> transactionLimit(Map<Character, String> fields) {
        if (!"54000".equals(fields.get('C'))) {
            return Optional.empty();
        }
        String context = fields.getOrDefault('W', "");
        if (context.contains(ROW_LIMIT_FUNCTION)) {
            return Optional.of(rules.error(RuleId.ROW_LIMIT, Map.of()));
        }
        if (context.contains(SIZE_LIMIT_FUNCTION)) {
            Matcher size = SIZE_IN_DETAIL.matcher(fields.getOrDefault('D', ""));
            return Optional.of(rules.error(RuleId.SIZE_LIMIT, Map.of("size", size.find() ? size.group(1) : "?")));
        }
        return Optional.empty();
    }

    private ByteBuf readyForQuery(ByteBuf message) {
        char status = (char) message.getByte(message.readerIndex() + 5);
        while (!expected.isEmpty() && expected.pollFirst().info() != null) {
            // drop answers PostgreSQL skipped
        }
        skipping = false;
        markers.clear();
        session.onReadyForQuery(status);
        char dsqlStatus = session.tracker().transactionStatus();
        if (status == 'T' && dsqlStatus == 'E') {
            // The gateway failed the transaction (row limit) while PostgreSQL's is still healthy.
            message.setByte(message.readerIndex() + 5, 'E');
        }
        return message;
    }

    // ------------------------------------------------------------------ wire helpers

    static ByteBuf queryMessage(String sql) {
        byte[] text = sql.getBytes(StandardCharsets.UTF_8);
        ByteBuf b = Unpooled.buffer(6 + text.length);
        b.writeByte('Q').writeInt(4 + text.length + 1).writeBytes(text).writeByte(0);
        return b;
    }

    /** Parse with the given name and query and the original parameter-type section. */
    static ByteBuf parseMessage(String name, String sql, ByteBuf parameterTypes) {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        byte[] q = sql.getBytes(StandardCharsets.UTF_8);
        int length = 4 + n.length + 1 + q.length + 1 + parameterTypes.readableBytes();
        ByteBuf b = Unpooled.buffer(1 + length);
        b.writeByte('P').writeInt(length).writeBytes(n).writeByte(0).writeBytes(q).writeByte(0)
                .writeBytes(parameterTypes, parameterTypes.readerIndex(), parameterTypes.readableBytes());
        return b;
    }

    static ByteBuf commandCompleteMessage(String tag) {
        byte[] text = tag.getBytes(StandardCharsets.UTF_8);
        ByteBuf b = Unpooled.buffer(6 + text.length);
        b.writeByte('C').writeInt(4 + text.length + 1).writeBytes(text).writeByte(0);
        return b;
    }

    private static boolean isAsyncValidation(StatementInfo info) {
        return info.alterTable().map(ConstraintValidationRewriter::applies).orElse(false);
    }

    /** An ErrorResponse with these fields, in this order. */
    private static ByteBuf errorMessageOf(Map<Character, String> fields) {
        ByteBuf body = Unpooled.buffer();
        fields.forEach((code, value) -> field(body, code, value));
        body.writeByte(0);
        ByteBuf b = Unpooled.buffer(5 + body.readableBytes());
        b.writeByte('E').writeInt(4 + body.readableBytes()).writeBytes(body);
        body.release();
        return b;
    }

    static ByteBuf errorMessage(DsqlError error) {
        ByteBuf body = Unpooled.buffer();
        field(body, 'S', error.severity());
        field(body, 'V', error.severity());
        field(body, 'C', error.sqlstate());
        field(body, 'M', error.message());
        if (error.detail() != null) {
            field(body, 'D', error.detail());
        }
        if (error.hint() != null) {
            field(body, 'H', error.hint());
        }
        body.writeByte(0);
        ByteBuf b = Unpooled.buffer(5 + body.readableBytes());
        b.writeByte('E').writeInt(4 + body.readableBytes()).writeBytes(body);
        body.release();
        return b;
    }

    private static void field(ByteBuf b, char code, String value) {
        b.writeByte(code).writeBytes(value.getBytes(StandardCharsets.UTF_8)).writeByte(0);
    }
}
