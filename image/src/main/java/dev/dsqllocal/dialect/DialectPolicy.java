package dev.dsqllocal.dialect;

import dev.dsqllocal.pgwire.BackendMessage;
import dev.dsqllocal.pgwire.BackendMessage.CommandComplete;
import dev.dsqllocal.pgwire.BackendMessage.ErrorResponse;
import dev.dsqllocal.pgwire.BackendMessage.ReadyForQuery;
import dev.dsqllocal.pgwire.FrontendMessage;
import dev.dsqllocal.pgwire.FrontendMessage.Parse;
import dev.dsqllocal.session.ClientRequest;
import dev.dsqllocal.session.ClientRequest.Part;
import dev.dsqllocal.session.ServerReply;
import dev.dsqllocal.session.SessionPolicy;
import dev.dsqllocal.sql.SqlStatement;
import dev.dsqllocal.sql.StatementClassifier;
import dev.dsqllocal.sql.StatementInfo;
import dev.dsqllocal.sql.Token;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the DSQL dialect to one proxied session (see the package documentation for the contract). It sees each
 * request as the gateway's session decoded and classified it, with the emulator's internal names already hidden
 * ({@link Factory#sqlToRun}, {@link InternalNames}).
 *
 * <p>Refused statements are replaced by {@link RefusalMarkers} statements, so PostgreSQL fails them itself and
 * keeps transaction state, skipping and error recovery exact; the marker's ErrorResponse is then swapped for
 * DSQL's error. Each completion comes matched by the session to the client statement it answers
 * ({@link ServerReply#statement()}), feeding the
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
 * {@code ALTER TABLE ASYNC ... VALIDATE CONSTRAINT} a job ({@link ConstraintValidationRewriter}); once a session's
 * transaction that submitted jobs ends, the server's runner is told ({@link AsyncJobs}). Names of the
 * emulator's internal objects in user statements are hidden ({@link InternalNames}); PostgreSQL's errors are
 * worded as DSQL's ({@link PostgresErrorRewriter}).
 */
public final class DialectPolicy implements SessionPolicy {

    private static final Logger LOG = LoggerFactory.getLogger(DialectPolicy.class);

    /** Statement name reserved for markers that replace a refused Execute. */
    static final String MARKER_STATEMENT = "dsql_local_refusal";

    /** What an Execute of a portal the session does not know runs, as far as the rules go: nothing. */
    private static final StatementInfo UNKNOWN_PORTAL = StatementClassifier.classifySingle("");

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
    private final String clusterId;
    private final AsyncJobs jobs;
    /** The session has submitted jobs that its transaction has not ended yet. */
    private boolean jobsSubmitted;

    public DialectPolicy(DialectRules rules, Clock clock) {
        this(rules, clock, null, AsyncJobs.NONE);
    }

    DialectPolicy(DialectRules rules, Clock clock, String clusterId, AsyncJobs jobs) {
        this.rules = rules;
        this.session = new DialectSession(rules, clock);
        this.check = new DialectCheck(rules);
        this.clusterId = clusterId;
        this.jobs = jobs;
    }

    /**
     * A factory for the gateway: one policy per session, all sharing the rules; it also applies DSQL's
     * StartupMessage rules ({@link StartupParameterFilter}) and hides internal names from what clients send
     * ({@link InternalNames}).
     */
    public static Factory factory(DialectRules rules, Clock clock) {
        return factory(rules, clock, AsyncJobs.NONE);
    }

    /** As above, telling {@code jobs} when a session's asynchronous jobs are committed. */
    public static Factory factory(DialectRules rules, Clock clock, AsyncJobs jobs) {
        StartupParameterFilter filter = new StartupParameterFilter(rules);
        return new Factory() {
            @Override
            public SessionPolicy create(String clusterId, String user) {
                jobs.clusterInUse(clusterId);
                return new DialectPolicy(rules, clock, clusterId, jobs);
            }

            @Override
            public String sqlToRun(String written) {
                return InternalNames.hide(written);
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
    public void onClient(Session s, ClientRequest request) {
        try {
            switch (request.type()) {
                case FrontendMessage.QUERY -> query(request);
                case FrontendMessage.PARSE -> parse(request);
                case FrontendMessage.EXECUTE -> execute(s, request);
                default -> {}
            }
        } catch (RuntimeException e) {
            // Never let the dialect break the session: the request goes on as the client sent it.
            LOG.debug("Dialect could not apply its rules to a client message, passing it on: {}", e.toString());
        }
    }

    private void query(ClientRequest request) {
        List<StatementInfo> infos = request.statements();
        List<SqlStatement> parts = infos.stream().map(StatementInfo::statement).toList();
        Optional<DialectSession.Refusal> refusal = session.firstRefusal(infos);
        List<String> tablesToCheck =
                tablesToCheck(infos, refusal.map(DialectSession.Refusal::index).orElse(infos.size()));
        session.beginQuery(infos.size());
        int k = refusal.map(DialectSession.Refusal::index).orElse(infos.size());
        List<Part> sent = new ArrayList<>();
        boolean rewritten = false;
        for (int i = 0; i < k; i++) {
            String text = textFor(parts.get(i), infos.get(i), tablesToCheck.get(i), refusalIfNotEmpty(i));
            rewritten |= text != null;
            sent.add(Part.client(text != null ? text : parts.get(i).text(), infos.get(i)));
        }
        if (refusal.isEmpty()) {
            if (rewritten) {
                request.replaceWithQuery(this, sent);
            }
            return;
        }
        DialectSession.Outcome outcome = refusal.get().outcome();
        switch (outcome.action()) {
            case COMMIT_AS_ROLLBACK -> {
                // PostgreSQL answers ROLLBACK, which is what DSQL reports for COMMIT of a failed transaction.
                sent.add(Part.client("ROLLBACK", infos.get(k)));
                for (int i = k + 1; i < parts.size(); i++) {
                    sent.add(Part.client(parts.get(i).text(), infos.get(i)));
                }
            }
            case ROLLBACK_THEN_REFUSE -> {
                // The ROLLBACK's completion is the dialect's own: it updates the session, the client never sees it.
                sent.add(Part.own("ROLLBACK", infos.get(k)));
                sent.add(Part.client(markers.sqlFor(outcome.error()), infos.get(k)));
            }
            default -> sent.add(Part.client(markers.sqlFor(outcome.error()), infos.get(k)));
        }
        request.replaceWithQuery(this, sent);
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
        if (infos.stream().noneMatch(i -> i.index().isPresent())) {
            // Only a synchronous CREATE INDEX can depend on a table being empty (DialectCheck's PassIfTableEmpty):
            // most queries skip the session preview.
            return Collections.nCopies(infos.size(), null);
        }
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
    private static String textFor(
            SqlStatement statement, StatementInfo info, String tableToCheck, DsqlError ifNotEmpty) {
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
        return info.set()
                        .map(f -> f.parameter().equals(StatementInfo.DSQL_ONLY_SETTING))
                        .orElse(false)
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

    private void parse(ClientRequest request) {
        Parse parse = (Parse) request.message();
        StatementInfo info = request.statement().orElseThrow();
        Verdict verdict = check.check(info, session.state());
        if (verdict instanceof Verdict.Refuse refuse) {
            request.replaceWith(parse.withSql(markers.sqlFor(refuse.error())));
            return;
        }
        if (request.singleStatement()) {
            Verdict.PassIfTableEmpty conditional = verdict instanceof Verdict.PassIfTableEmpty p ? p : null;
            String text = textFor(
                    info.statement(),
                    info,
                    conditional == null ? null : conditional.table(),
                    conditional == null ? null : conditional.ifNotEmpty());
            if (text != null) {
                request.replaceWith(parse.withSql(text));
            }
        }
    }

    private void execute(Session s, ClientRequest request) {
        StatementInfo info = request.statement().orElse(null);
        if (info == null) {
            return;
        }
        // Transaction rules depend on what runs before: project the session over the statements still in flight.
        DialectSession projected = session.copy();
        for (StatementInfo before : s.statementsInFlight()) {
            projected.afterSuccess(before, null);
        }
        DialectSession.Outcome outcome = projected.beforeStatement(info);
        if (outcome.action() == TransactionTracker.Action.REFUSE) {
            request.replaceWith(new Parse(MARKER_STATEMENT, markers.sqlFor(outcome.error()), new int[0]));
        }
    }

    // ------------------------------------------------------------------ server → client

    @Override
    public void onServer(Session s, ServerReply reply) {
        try {
            switch (reply.type()) {
                case BackendMessage.COMMAND_COMPLETE -> commandComplete(reply);
                case BackendMessage.ERROR_RESPONSE -> error(reply);
                case BackendMessage.READY_FOR_QUERY -> readyForQuery(s, reply);
                default -> {}
            }
        } catch (RuntimeException e) {
            LOG.debug("Dialect could not apply its rules to a server message, passing it on: {}", e.toString());
        }
    }

    private void commandComplete(ServerReply reply) {
        if (!reply.answersStatement()) {
            return; // out of step, or a statement the dialect does not know of
        }
        String tag = ((CommandComplete) reply.message()).tag();
        StatementInfo info = reply.statement().orElse(UNKNOWN_PORTAL);
        String dsqlTag = tag;
        if (info.index().isPresent() && !tag.equals(IndexBuildRewriter.COMMAND_TAG)) {
            // An index statement the gateway rewrote (SELECT of the job_id, DO block): DSQL's tag.
            dsqlTag = IndexBuildRewriter.COMMAND_TAG;
        } else if (info.iamMapping().isPresent()) {
            dsqlTag = IamStatementRewriter.commandTag(info.iamMapping().get());
        } else if (isAsyncValidation(info) && !tag.equals(ConstraintValidationRewriter.COMMAND_TAG)) {
            dsqlTag = ConstraintValidationRewriter.COMMAND_TAG;
        }
        if (!dsqlTag.equals(tag)) {
            reply.replaceWith(new CommandComplete(dsqlTag));
        }
        if (info.index().map(StatementInfo.IndexFacts::async).orElse(false) || isAsyncValidation(info)) {
            jobsSubmitted = true;
        }
        DialectSession.Outcome outcome = session.afterSuccess(info, dsqlTag);
        if (reply.answersOwnOf(this)) {
            reply.drop();
            return;
        }
        if (outcome.action() == TransactionTracker.Action.REFUSE && outcome.error() != null) {
            reply.replaceWith(errorResponse(outcome.error()));
        }
    }

    private void error(ServerReply reply) {
        Map<Character, String> fields = ((ErrorResponse) reply.message()).fields();
        Optional<DsqlError> dsql = markers.take(fields.get('M'));
        if (dsql.isEmpty()) {
            dsql = transactionLimit(fields);
        }
        boolean rewritten = false;
        if (reply.answersStatement()) {
            StatementInfo failed = reply.statement().orElse(UNKNOWN_PORTAL);
            rewritten = failed.index().isPresent() || failed.iamMapping().isPresent() || isAsyncValidation(failed);
        }
        session.afterError();
        if (dsql.isPresent()) {
            reply.replaceWith(errorResponse(dsql.get()));
            return;
        }
        Map<Character, String> dsqlFields = PostgresErrorRewriter.rewrite(fields);
        if (rewritten && (dsqlFields == null ? fields : dsqlFields).containsKey('W')) {
            // The statement ran inside the gateway's function or DO block; the user wrote one plain statement.
            dsqlFields = new LinkedHashMap<>(dsqlFields == null ? fields : dsqlFields);
            dsqlFields.remove('W');
        }
        if (dsqlFields != null) {
            reply.replaceWith(new ErrorResponse(dsqlFields));
        }
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

    private void readyForQuery(Session s, ServerReply reply) {
        char status = ((ReadyForQuery) reply.message()).status();
        if (!s.awaitingReplies()) {
            // Only once nothing more is owed: a client may pipeline several Query/Sync groups (pgJDBC sends its
            // BEGIN as a Query with the statement's Parse/Bind/Execute/Sync behind it), and the marker of a later
            // group is registered before the earlier group's ReadyForQuery arrives.
            markers.clear();
        }
        session.onReadyForQuery(status);
        if (status == 'I' && jobsSubmitted) {
            // Committed (or rolled back): the runner can see the jobs now and runs them when they are due.
            jobsSubmitted = false;
            if (clusterId != null) {
                jobs.submitted(clusterId);
            }
        }
        char dsqlStatus = session.tracker().transactionStatus();
        if (status == 'T' && dsqlStatus == 'E') {
            // The gateway failed the transaction (row limit) while PostgreSQL's is still healthy.
            reply.replaceWith(new ReadyForQuery('E'));
        }
    }

    private static boolean isAsyncValidation(StatementInfo info) {
        return info.alterTable().map(ConstraintValidationRewriter::applies).orElse(false);
    }

    /** DSQL's error as an ErrorResponse (S/V, C, M, D, H). */
    static ErrorResponse errorResponse(DsqlError error) {
        return ErrorResponse.of(error.severity(), error.sqlstate(), error.message(), error.detail(), error.hint());
    }
}
