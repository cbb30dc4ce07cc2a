package dev.dsqllocal.dialect;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * Lets PostgreSQL itself fail a refused statement, so that its transaction state, its skipping of the rest of a
 * multi-statement query and its discard-until-Sync rule of the extended protocol all stay exactly right: the
 * gateway sends {@link #sqlFor} in place of the refused statement (or as the query of the Parse), PostgreSQL fails
 * it during parse analysis with {@code column "<marker>" does not exist}, and the gateway replaces that
 * ErrorResponse by the DSQL error {@link #take} finds for the message. If the transaction had already failed,
 * PostgreSQL answers 25P02 instead, which is also what DSQL reports first.
 *
 * <p>Markers carry a random per-session nonce, so no client text can forge one. One instance per session.
 */
public final class RefusalMarkers {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String prefix;
    private final Map<String, DsqlError> pending = new HashMap<>();
    private long sequence;

    public RefusalMarkers() {
        byte[] nonce = new byte[8];
        RANDOM.nextBytes(nonce);
        this.prefix = "dsql-local refusal " + HexFormat.of().formatHex(nonce) + " ";
    }

    /** A statement that PostgreSQL fails at parse analysis; remembers which DSQL error stands for it. */
    public String sqlFor(DsqlError error) {
        String marker = prefix + (++sequence);
        pending.put(marker, error);
        return "SELECT \"" + marker + "\"";
    }

    /**
     * For an ErrorResponse's message field: the DSQL error it stands for, if it is one of this session's markers
     * (forgotten once taken).
     */
    public Optional<DsqlError> take(String serverMessage) {
        int at = serverMessage == null ? -1 : serverMessage.indexOf(prefix);
        if (at < 0) {
            return Optional.empty();
        }
        int end = serverMessage.indexOf('"', at);
        String marker = end < 0 ? serverMessage.substring(at) : serverMessage.substring(at, end);
        return Optional.ofNullable(pending.remove(marker));
    }

    /** Markers PostgreSQL never reported on (e.g. skipped after an earlier error) are dropped at ReadyForQuery. */
    public void clear() {
        pending.clear();
    }
}
