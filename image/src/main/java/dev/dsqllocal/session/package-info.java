/**
 * The contract between the gateway's proxy session and the policies that make PostgreSQL behave like DSQL (the
 * dialect, optimistic concurrency). The session decodes each client message once and, for Query and Parse, lexes and
 * classifies its SQL once ({@link dev.dsqllocal.session.RequestReader}, which also keeps the session's one map of
 * prepared statements and portals), and hands the resulting {@link dev.dsqllocal.session.ClientRequest} to its
 * {@link dev.dsqllocal.session.SessionPolicy}; PostgreSQL's messages arrive decoded once as
 * {@link dev.dsqllocal.session.ServerReply}s, each already matched by the session's one queue of expected answers
 * ({@link dev.dsqllocal.session.ReplyTracker}) to the client statement it answers, or to a statement a policy added
 * itself. Policies replace or drop what they are given and keep only their own decisions; they see typed messages
 * only, so they can be driven in unit tests without a network.
 */
package dev.dsqllocal.session;
