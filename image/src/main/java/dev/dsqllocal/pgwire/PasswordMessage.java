package dev.dsqllocal.pgwire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * PasswordMessage ('p'), the answer to a cleartext password request. Read only during login, before the session's
 * other messages, so it is not one of the {@link FrontendMessage}s.
 */
public record PasswordMessage(String password) {
    public static final byte TYPE = 'p';
    /** PostgreSQL's PG_MAX_AUTH_TOKEN_LENGTH, the cap on a password message. */
    public static final int MAX_LENGTH = 65_535;

    /**
     * Decodes one whole message.
     *
     * @throws IllegalArgumentException when the body is not exactly one terminated string
     */
    public static PasswordMessage decode(ByteBuf message) {
        ByteBuf body = Messages.body(message);
        int nul = body.indexOf(body.readerIndex(), body.writerIndex(), (byte) 0);
        if (nul != body.writerIndex() - 1) {
            throw new IllegalArgumentException("invalid password packet size");
        }
        return new PasswordMessage(CStrings.read(body));
    }

    public ByteBuf encode(ByteBufAllocator alloc) {
        return Messages.encode(alloc, TYPE, password.length() + 1, b -> CStrings.write(b, password));
    }
}
