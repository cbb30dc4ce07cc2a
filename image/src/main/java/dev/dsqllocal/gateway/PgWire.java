package dev.dsqllocal.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** PostgreSQL v3 wire constants and the few messages the gateway writes itself. */
final class PgWire {
    static final int PROTOCOL_3_0 = 196608;
    static final int SSL_REQUEST = 80877103;
    static final int GSSENC_REQUEST = 80877104;
    static final int CANCEL_REQUEST = 80877102;
    /** PostgreSQL's MAX_STARTUP_PACKET_LENGTH. */
    static final int MAX_STARTUP_PACKET = 10_000;
    /** DSQL's maximum protocol message (COMPAT.md §2). */
    static final int MAX_CLIENT_MESSAGE = 10 * 1024 * 1024;
    /** PostgreSQL's PG_MAX_AUTH_TOKEN_LENGTH, the cap on a password message. */
    static final int MAX_PASSWORD_MESSAGE = 65_535;
    /** First byte of a TLS handshake record: a direct-TLS ClientHello. */
    static final byte TLS_HANDSHAKE_RECORD = 0x16;

    static final byte AUTHENTICATION = 'R';
    static final byte PARAMETER_STATUS = 'S';
    static final byte BACKEND_KEY_DATA = 'K';
    static final byte READY_FOR_QUERY = 'Z';
    static final byte ERROR_RESPONSE = 'E';
    static final byte NOTICE_RESPONSE = 'N';
    static final byte PASSWORD_MESSAGE = 'p';
    static final byte TERMINATE = 'X';

    private PgWire() {
    }

    static ByteBuf errorResponse(ByteBufAllocator alloc, GatewayError error) {
        ByteBuf buf = alloc.buffer(128);
        buf.writeByte(ERROR_RESPONSE);
        int lengthAt = buf.writerIndex();
        buf.writeInt(0);
        field(buf, 'S', error.severity());
        field(buf, 'V', error.severity());
        field(buf, 'C', error.sqlState());
        field(buf, 'M', error.message());
        if (error.hint() != null) {
            field(buf, 'H', error.hint());
        }
        buf.writeByte(0);
        buf.setInt(lengthAt, buf.writerIndex() - lengthAt);
        return buf;
    }

    private static void field(ByteBuf buf, char code, String value) {
        buf.writeByte(code);
        buf.writeCharSequence(value, StandardCharsets.UTF_8);
        buf.writeByte(0);
    }

    static ByteBuf authenticationRequest(ByteBufAllocator alloc, int code) {
        return alloc.buffer(9).writeByte(AUTHENTICATION).writeInt(8).writeInt(code);
    }

    static ByteBuf backendKeyData(ByteBufAllocator alloc, int processId, int secret) {
        return alloc.buffer(13).writeByte(BACKEND_KEY_DATA).writeInt(12).writeInt(processId).writeInt(secret);
    }

    /** NegotiateProtocolVersion: the server speaks 3.0 and ignores these protocol options. */
    static ByteBuf negotiateProtocolVersion(ByteBufAllocator alloc, List<String> unsupportedOptions) {
        ByteBuf buf = alloc.buffer();
        buf.writeByte('v');
        int lengthAt = buf.writerIndex();
        buf.writeInt(0).writeInt(PROTOCOL_3_0).writeInt(unsupportedOptions.size());
        for (String option : unsupportedOptions) {
            buf.writeCharSequence(option, StandardCharsets.UTF_8);
            buf.writeByte(0);
        }
        buf.setInt(lengthAt, buf.writerIndex() - lengthAt);
        return buf;
    }

    static ByteBuf startupMessage(ByteBufAllocator alloc, Map<String, String> parameters) {
        ByteBuf buf = alloc.buffer(256);
        buf.writeInt(0).writeInt(PROTOCOL_3_0);
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            buf.writeCharSequence(e.getKey(), StandardCharsets.UTF_8);
            buf.writeByte(0);
            buf.writeCharSequence(e.getValue(), StandardCharsets.UTF_8);
            buf.writeByte(0);
        }
        buf.writeByte(0);
        buf.setInt(0, buf.writerIndex());
        return buf;
    }

    static ByteBuf cancelRequest(ByteBufAllocator alloc, int processId, int secret) {
        return alloc.buffer(16).writeInt(16).writeInt(CANCEL_REQUEST).writeInt(processId).writeInt(secret);
    }

    /**
     * Reads a NUL-terminated UTF-8 string at the reader index and advances past it.
     *
     * @throws IllegalArgumentException when there is no terminator
     */
    static String readCString(ByteBuf buf) {
        int end = buf.indexOf(buf.readerIndex(), buf.writerIndex(), (byte) 0);
        if (end < 0) {
            throw new IllegalArgumentException("missing string terminator");
        }
        String value = buf.toString(buf.readerIndex(), end - buf.readerIndex(), StandardCharsets.UTF_8);
        buf.readerIndex(end + 1);
        return value;
    }

    static String describe(ByteBuf buf) {
        return ByteBufUtil.hexDump(buf, buf.readerIndex(), Math.min(16, buf.readableBytes()));
    }
}
