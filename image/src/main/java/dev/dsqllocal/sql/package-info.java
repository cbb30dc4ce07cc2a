/**
 * PostgreSQL SQL text as the emulator understands it: {@link dev.dsqllocal.sql.SqlLexer} (tokens, comments, every
 * string form, dollar quoting; splitting a simple query into statements) and
 * {@link dev.dsqllocal.sql.StatementClassifier}, which says what each statement is
 * ({@link dev.dsqllocal.sql.StatementInfo}: kind, command, and the facts DSQL's rules and optimistic concurrency
 * need). Anything not understood is {@code UNKNOWN}. Knows nothing of the wire protocol or of DSQL's rules.
 */
package dev.dsqllocal.sql;
