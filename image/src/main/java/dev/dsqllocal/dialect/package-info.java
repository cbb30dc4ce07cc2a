/**
 * The Aurora DSQL dialect: makes a real PostgreSQL 16 behave like DSQL at the SQL level.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link dev.dsqllocal.dialect.SqlLexer}: PostgreSQL tokenizer and simple-query splitter (comments, all
 *       string forms, dollar bodies, {@code BEGIN ATOMIC} bodies are handled; keywords hidden in them are never
 *       seen).</li>
 *   <li>{@link dev.dsqllocal.dialect.StatementClassifier} → {@link dev.dsqllocal.dialect.StatementInfo}: kind,
 *       command name, PostgreSQL node tag and the facts the rules need. Anything not understood is
 *       {@code UNKNOWN} and passes untouched.</li>
 *   <li>{@link dev.dsqllocal.dialect.DialectRules}: the dated rule table in {@code dialect/rules.json}, seen at a
 *       {@link dev.dsqllocal.dialect.DialectEpoch} ({@code latest} by default). Load it once at startup and
 *       share it; it is immutable.</li>
 *   <li>{@link dev.dsqllocal.dialect.DialectCheck}: statement rules;
 *       {@link dev.dsqllocal.dialect.TransactionTracker}: transaction rules;
 *       {@link dev.dsqllocal.dialect.DialectSession}: both, per connection, in DSQL's order;
 *       {@link dev.dsqllocal.dialect.StartupParameterFilter}: StartupMessage parameters.</li>
 * </ul>
 *
 * <h2>How the gateway's interceptor uses it</h2>
 * One {@code DialectSession} per proxied connection (created by the interceptor factory with the shared
 * {@code DialectRules} and {@code Clock.systemUTC()}). At login, {@code StartupParameterFilter.check} runs on the
 * client's parameters; a refusal is sent as a FATAL ErrorResponse and the connection closed.
 *
 * <p><b>Simple Query ({@code 'Q'})</b>: split and classify the text ({@code StatementClassifier.classifyAll}),
 * call {@code beginQuery(n)}.
 * <ul>
 *   <li>One statement: {@code beforeStatement(info)}. {@code REFUSE}: drop the message, send ErrorResponse
 *       (S/V=ERROR, C, M, D, H from {@link dev.dsqllocal.dialect.DsqlError}) and ReadyForQuery with
 *       {@code tracker().transactionStatus()}, then call {@code onReadyForQuery} with that same status.
 *       {@code COMMIT_AS_ROLLBACK}: send Query {@code ROLLBACK} instead (PostgreSQL answers tag ROLLBACK, as DSQL
 *       does). {@code ROLLBACK_THEN_REFUSE}: send Query {@code ROLLBACK}, replace its CommandComplete by the
 *       ErrorResponse. {@code PROCEED} with {@code tableToCheck}: run {@code emptinessProbe()} first (swallowing
 *       its answer); if false, refuse with {@code error} and call {@code afterError()}.</li>
 *   <li>Several statements: {@code firstRefusal(infos)}. Empty: forward the Query whole (PostgreSQL keeps its
 *       implicit-transaction semantics). Otherwise statement {@code k} is refused: the statements before it must
 *       run and then be rolled back with it, as one implicit transaction; the simplest faithful way is to send
 *       the text of statements {@code 0..k-1} wrapped so that they are undone (e.g. rewrite statement {@code k}
 *       into a statement that raises the same SQLSTATE and message, so PostgreSQL itself aborts the implicit
 *       transaction and skips the rest; strip the CONTEXT field from that ErrorResponse).</li>
 *   <li>Server side, per statement in order: CommandComplete → {@code afterSuccess(info, tag)}; if it returns
 *       {@code REFUSE} (row limit) send the ErrorResponse instead of the CommandComplete. ErrorResponse →
 *       {@code afterError()}. ReadyForQuery → {@code onReadyForQuery(status)}, and rewrite the status byte to
 *       {@code tracker().transactionStatus()} when the gateway failed the transaction itself ('T' becomes 'E').</li>
 * </ul>
 *
 * <p><b>Extended protocol</b>: classify Parse's query with {@code classifySingle}; check it at Parse (DSQL
 * refuses at parse analysis). On a refusal drop the Parse, answer ErrorResponse, then drop every client message
 * up to Sync and answer that Sync with ReadyForQuery yourself (PostgreSQL's error-recovery rule). Keep a map
 * statement name → StatementInfo, and a queue of Executes: each CommandComplete/ErrorResponse at Execute feeds
 * {@code afterSuccess}/{@code afterError} for the portal's statement; {@code beforeStatement} belongs at Execute
 * time for the transaction rules (they depend on the order of execution, not of parsing).
 *
 * <p><b>Not the dialect's job</b> ({@link dev.dsqllocal.dialect.StatementInfo#needsEmulation()} marks them):
 * {@code CREATE INDEX ASYNC} / {@code ALTER TABLE ASYNC} (cut the ASYNC token with
 * {@link dev.dsqllocal.dialect.SqlStatement#textWithout}, answer a {@code job_id} row), {@code AWS IAM GRANT/REVOKE},
 * {@code CALL sys.wait_for_job}, and SET/RESET/SHOW of {@code disable_sync_create_index}, which PostgreSQL does
 * not know and the gateway must answer itself (tag {@code SET} / {@code RESET} / one row).
 */
package dev.dsqllocal.dialect;
