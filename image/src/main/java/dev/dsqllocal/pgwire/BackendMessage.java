package dev.dsqllocal.pgwire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The messages PostgreSQL (or the gateway in its place) sends that the gateway reads or writes, each able to
 * encode and decode itself (https://www.postgresql.org/docs/16/protocol-message-formats.html). Rows, row
 * descriptions and the rest decode as {@link Opaque} and pass as they came.
 */
public sealed interface BackendMessage {

    byte AUTHENTICATION = 'R';
    byte PARAMETER_STATUS = 'S';
    byte BACKEND_KEY_DATA = 'K';
    byte NEGOTIATE_PROTOCOL_VERSION = 'v';
    byte READY_FOR_QUERY = 'Z';
    byte COMMAND_COMPLETE = 'C';
    byte EMPTY_QUERY_RESPONSE = 'I';
    byte PORTAL_SUSPENDED = 's';
    byte PARSE_COMPLETE = '1';
    byte BIND_COMPLETE = '2';
    byte CLOSE_COMPLETE = '3';
    byte ERROR_RESPONSE = 'E';
    byte NOTICE_RESPONSE = 'N';

    byte type();

    /** The whole message, type byte and length included. */
    ByteBuf encode(ByteBufAllocator alloc);

    /**
     * Decodes one whole message; the buffer's indexes are left as they are.
     *
     * @throws IllegalArgumentException when the body does not have the layout its type requires
     */
    static BackendMessage decode(ByteBuf message) {
        byte type = message.getByte(message.readerIndex());
        if (!Messages.reads(Messages.BACKEND_TYPED, type)) {
            return new Opaque(type); // before slicing: rows and descriptions are not read at all
        }
        ByteBuf body = Messages.body(message);
        try {
            return switch (type) {
                case AUTHENTICATION -> new AuthenticationRequest(body.readInt());
                case BACKEND_KEY_DATA -> new BackendKeyData(body.readInt(), body.readInt());
                case READY_FOR_QUERY -> new ReadyForQuery((char) body.readByte());
                case COMMAND_COMPLETE -> new CommandComplete(CStrings.read(body));
                case ERROR_RESPONSE -> new ErrorResponse(readFields(body));
                case NOTICE_RESPONSE -> new NoticeResponse(readFields(body));
                case EMPTY_QUERY_RESPONSE, PORTAL_SUSPENDED, PARSE_COMPLETE, BIND_COMPLETE, CLOSE_COMPLETE ->
                    new Bodiless(type);
                default -> new Opaque(type);
            };
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("truncated message of type '" + (char) type + "'", e);
        }
    }

    private static Map<Character, String> readFields(ByteBuf body) {
        Map<Character, String> fields = new LinkedHashMap<>();
        while (body.isReadable()) {
            byte code = body.readByte();
            if (code == 0) {
                break;
            }
            fields.put((char) code, CStrings.read(body));
        }
        return Collections.unmodifiableMap(fields);
    }

    private static ByteBuf encodeFields(ByteBufAllocator alloc, byte type, Map<Character, String> fields) {
        return Messages.encode(alloc, type, 128, b -> {
            fields.forEach((code, value) -> {
                b.writeByte(code);
                CStrings.write(b, value);
            });
            b.writeByte(0);
        });
    }

    /** AuthenticationOk ({@code code} 0) or a request for credentials (3: cleartext password, ...). */
    record AuthenticationRequest(int code) implements BackendMessage {
        public static final int OK = 0;
        public static final int CLEARTEXT_PASSWORD = 3;

        @Override
        public byte type() {
            return AUTHENTICATION;
        }

        @Override
        public ByteBuf encode(ByteBufAllocator alloc) {
            return alloc.buffer(9).writeByte(AUTHENTICATION).writeInt(8).writeInt(code);
        }
    }

    /** The key a client quotes in a CancelRequest. */
    record BackendKeyData(int processId, int secret) implements BackendMessage {
        @Override
        public byte type() {
            return BACKEND_KEY_DATA;
        }

        @Override
        public ByteBuf encode(ByteBufAllocator alloc) {
            return alloc.buffer(13)
                    .writeByte(BACKEND_KEY_DATA)
                    .writeInt(12)
                    .writeInt(processId)
                    .writeInt(secret);
        }
    }

    /** NegotiateProtocolVersion: the newest minor version the server speaks and the options it ignores. */
    record NegotiateProtocolVersion(int newestVersion, List<String> unsupportedOptions) implements BackendMessage {
        @Override
        public byte type() {
            return NEGOTIATE_PROTOCOL_VERSION;
        }

        @Override
        public ByteBuf encode(ByteBufAllocator alloc) {
            return Messages.encode(alloc, NEGOTIATE_PROTOCOL_VERSION, 64, b -> {
                b.writeInt(newestVersion).writeInt(unsupportedOptions.size());
                unsupportedOptions.forEach(o -> CStrings.write(b, o));
            });
        }
    }

    /** ReadyForQuery with the transaction status: 'I' idle, 'T' in a transaction, 'E' in a failed one. */
    record ReadyForQuery(char status) implements BackendMessage {
        @Override
        public byte type() {
            return READY_FOR_QUERY;
        }

        @Override
        public ByteBuf encode(ByteBufAllocator alloc) {
            return alloc.buffer(6).writeByte(READY_FOR_QUERY).writeInt(5).writeByte(status);
        }
    }

    /** CommandComplete with its tag ("INSERT 0 1", "SELECT 3", "COMMIT", ...). */
    record CommandComplete(String tag) implements BackendMessage {
        @Override
        public byte type() {
            return COMMAND_COMPLETE;
        }

        @Override
        public ByteBuf encode(ByteBufAllocator alloc) {
            return Messages.encode(alloc, COMMAND_COMPLETE, tag.length() + 1, b -> CStrings.write(b, tag));
        }
    }

    /**
     * ErrorResponse: its fields by code ('S' severity, 'V' severity not localised, 'C' SQLSTATE, 'M' message, 'D'
     * detail, 'H' hint, 'W' context, ...), in wire order.
     */
    record ErrorResponse(Map<Character, String> fields) implements BackendMessage {
        /** An error with these fields, in this order; {@code detail} and {@code hint} may be null. */
        public static ErrorResponse of(String severity, String sqlState, String message, String detail, String hint) {
            Map<Character, String> fields = new LinkedHashMap<>();
            fields.put('S', severity);
            fields.put('V', severity);
            fields.put('C', sqlState);
            fields.put('M', message);
            if (detail != null) {
                fields.put('D', detail);
            }
            if (hint != null) {
                fields.put('H', hint);
            }
            return new ErrorResponse(Collections.unmodifiableMap(fields));
        }

        public String sqlState() {
            return fields.getOrDefault('C', "");
        }

        public String message() {
            return fields.getOrDefault('M', "");
        }

        @Override
        public byte type() {
            return ERROR_RESPONSE;
        }

        @Override
        public ByteBuf encode(ByteBufAllocator alloc) {
            return encodeFields(alloc, ERROR_RESPONSE, fields);
        }
    }

    /** NoticeResponse: the same fields as an ErrorResponse, for a warning or a notice. */
    record NoticeResponse(Map<Character, String> fields) implements BackendMessage {
        public String sqlState() {
            return fields.getOrDefault('C', "");
        }

        public String message() {
            return fields.getOrDefault('M', "");
        }

        @Override
        public byte type() {
            return NOTICE_RESPONSE;
        }

        @Override
        public ByteBuf encode(ByteBufAllocator alloc) {
            return encodeFields(alloc, NOTICE_RESPONSE, fields);
        }
    }

    /**
     * The answers without a body: ParseComplete, BindComplete, CloseComplete, EmptyQueryResponse,
     * PortalSuspended.
     */
    record Bodiless(byte type) implements BackendMessage {
        @Override
        public ByteBuf encode(ByteBufAllocator alloc) {
            return Messages.empty(alloc, type);
        }
    }

    /** A message the gateway does not read (rows, descriptions, parameter status, ...): passed on as it came. */
    record Opaque(byte type) implements BackendMessage {
        @Override
        public ByteBuf encode(ByteBufAllocator alloc) {
            throw new UnsupportedOperationException("an opaque message is forwarded as it came, never re-encoded");
        }
    }
}
