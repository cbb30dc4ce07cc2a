/**
 * The Aurora DSQL dialect: makes a real PostgreSQL 16 behave like DSQL at the SQL level.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link dev.dsqllocal.sql.SqlLexer}: PostgreSQL tokenizer and simple-query splitter (comments, all
 *       string forms, dollar bodies, {@code BEGIN ATOMIC} bodies are handled; keywords hidden in them are never
 *       seen).</li>
 *   <li>{@link dev.dsqllocal.sql.StatementClassifier} → {@link dev.dsqllocal.sql.StatementInfo}: kind,
 *       command name, PostgreSQL node tag and the facts the rules need. Anything not understood is
 *       {@code UNKNOWN} and passes untouched.</li>
 *   <li>{@link dev.dsqllocal.dialect.DialectRules}: the dated rule and limit table in {@code dialect/rules.json},
 *       the one place a rule's matcher (a named predicate of {@link dev.dsqllocal.dialect.RuleMatchers}),
 *       SQLSTATE, message, dates and evidence, and every limit, are defined; seen at a
 *       {@link dev.dsqllocal.dialect.DialectEpoch} ({@code latest} by default). Load it once at startup and
 *       share it; it is immutable.</li>
 *   <li>{@link dev.dsqllocal.dialect.DialectCheck}: statement rules, tried in table order;
 *       {@link dev.dsqllocal.dialect.TransactionTracker}: transaction rules;
 *       {@link dev.dsqllocal.dialect.DialectSession}: both, per connection, in DSQL's order;
 *       {@link dev.dsqllocal.dialect.StartupParameterFilter}: StartupMessage parameters.</li>
 * </ul>
 *
 * <h2>How the dialect's session policy uses it</h2>
 * One {@code DialectSession} and one {@link dev.dsqllocal.dialect.RefusalMarkers} per proxied connection
 * (created by the policy factory with the shared {@code DialectRules} and {@code Clock.systemUTC()}). At
 * login, {@code StartupParameterFilter.check} runs on the client's parameters; a refusal is sent as a FATAL
 * ErrorResponse and the connection closed.
 *
 * <p><b>Refusing through PostgreSQL.</b> The gateway never answers a refused statement on its own; it replaces
 * the statement by {@code markers.sqlFor(error)} and later swaps PostgreSQL's ErrorResponse for the marker
 * (recognised with {@code markers.take(message)}) by the DSQL error (S/V=ERROR, C, M, D, H). PostgreSQL then
 * keeps the transaction state (aborted block, 25P02 afterwards, COMMIT answered with ROLLBACK), skips the rest of
 * a multi-statement query, rolls back the implicit transaction, and applies the extended protocol's
 * discard-until-Sync rule, all in the right order relative to earlier pipelined messages.
 *
 * <p>The gateway's session decodes each message and lexes and classifies its SQL once, after hiding internal names
 * ({@code dev.dsqllocal.session.RequestReader}); the policy gets those typed requests and PostgreSQL's typed replies.
 *
 * <p><b>Simple Query ({@code 'Q'})</b>: the statements as split and classified by the session, then
 * {@code firstRefusal(infos)} (a look-ahead that changes nothing). Nothing refused: forward the Query whole.
 * Refused statement {@code k}: send statements {@code 0..k-1} as written followed by the marker for {@code k}
 * (for {@code COMMIT_AS_ROLLBACK} send {@code ROLLBACK} in its place instead; for {@code ROLLBACK_THEN_REFUSE}
 * send {@code ROLLBACK} and the marker, and swallow that ROLLBACK's CommandComplete). Call {@code beginQuery(n)}.
 *
 * <p><b>Extended protocol</b>: at Parse (classified by the session, which keeps name → StatementInfo), a
 * statement-rule refusal ({@code DialectCheck}) replaces the Parse's query by the marker. The session maps
 * portal → StatementInfo at Bind. Transaction rules depend on execution order, so they are checked at Execute, against a
 * projected session advanced over the Executes already forwarded in the current Sync group; a refusal replaces
 * the Execute by a Parse of the marker under a reserved statement name.
 *
 * <p><b>Responses</b>, matched in order to the statements/Executes sent: CommandComplete →
 * {@code afterSuccess(info, tag)}, which may return {@code REFUSE} (the row limit reached through rows locked
 * by {@code SELECT ... FOR UPDATE}, known only afterwards; rows written are limited by PostgreSQL itself, see
 * {@code postgres.PostgresTemplate}, and their 54000 errors reworded by the policy): send
 * the ErrorResponse instead of the CommandComplete (PostgreSQL's transaction is then still healthy: rewrite the
 * next ReadyForQuery status from 'T' to {@code tracker().transactionStatus()}, and the next statements are
 * refused with 25P02 through markers, which aborts PostgreSQL's transaction too). ErrorResponse →
 * {@code afterError()} (after the marker swap). ReadyForQuery → {@code onReadyForQuery(status)},
 * {@code markers.clear()}. A conditional outcome ({@code tableToCheck}: synchronous CREATE INDEX with
 * {@code disable_sync_create_index} off) needs {@code emptinessProbe()} run first, its answer swallowed.
 *
 * <p><b>Emulated statements</b> ({@link dev.dsqllocal.sql.StatementInfo#needsEmulation()} marks them):
 * {@code CREATE INDEX ASYNC} is cut to PostgreSQL's CREATE INDEX with
 * {@link dev.dsqllocal.sql.SqlStatement#textWithout} and run through {@code sys.dsql_local_create_index_async}
 * ({@link dev.dsqllocal.dialect.IndexBuildRewriter}); {@code CALL sys.wait_for_job} is a real procedure of the
 * cluster template; SET/RESET/SHOW of {@code disable_sync_create_index} become a custom setting;
 * {@code AWS IAM GRANT/REVOKE} become {@code CALL}s of the template's SECURITY DEFINER procedures
 * ({@link dev.dsqllocal.dialect.IamStatementRewriter}); {@code ALTER TABLE ASYNC ... VALIDATE CONSTRAINT} runs
 * through {@code sys.dsql_local_validate_constraint_async} ({@link dev.dsqllocal.dialect.ConstraintValidationRewriter}).
 * Both submit a job that stays pending for the server's asynchronous job delay (the index INVALID, the constraint
 * NOT VALID); the server's runner ({@link dev.dsqllocal.dialect.AsyncJobs}, told when the submitting transaction
 * ends) or {@code CALL sys.wait_for_job} runs it.
 *
 * <p><b>Rules PostgreSQL enforces itself.</b> Catalog rules that need real types and counts (object-count limits,
 * index key types and sizes, declared char/varchar lengths) are checked by the cluster template's event trigger
 * ({@code dialect/sql/catalog-rules.sql}, filled from the rule table by
 * {@link dev.dsqllocal.dialect.database.DialectDatabase}), on every protocol path; its errors reach the client as DSQL's
 * through {@link dev.dsqllocal.dialect.PostgresErrorRewriter}, which also rewords the few PostgreSQL errors DSQL
 * words differently. User statements never reach the emulator's internal {@code sys.dsql_local_*} objects:
 * {@link dev.dsqllocal.dialect.InternalNames} renames them on the way in, so PostgreSQL answers "does not exist".
 *
 * <h2>Wiring</h2>
 * {@code DsqlLocalServer.start(config)} builds the rules once for {@code --dialect} / {@code DSQL_LOCAL_DIALECT}
 * ({@code latest}, {@code YYYY-MM}, {@code YYYY-MM-DD}; {@code off} gives the pass-through proxy) and hands
 * {@link dev.dsqllocal.dialect.DialectPolicy#factory} to the gateway, whose login calls the factory's
 * {@code checkStartup} (the {@link dev.dsqllocal.dialect.StartupParameterFilter}) after authentication.
 */
package dev.dsqllocal.dialect;
