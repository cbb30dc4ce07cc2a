package dev.dsqllocal.pgwire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * The messages a client sends after startup that the gateway reads or writes, each able to encode and decode
 * itself (the PostgreSQL documentation's "Message Formats":
 * https://www.postgresql.org/docs/16/protocol-message-formats.html). Anything else decodes as {@link Opaque}: its
 * bytes are passed on as they came.
 */
public sealed interface FrontendMessage {

    byte QUERY = 'Q';
    byte PARSE = 'P';
    byte BIND = 'B';
    byte EXECUTE = 'E';
    byte DESCRIBE = 'D';
    byte CLOSE = 'C';
    byte SYNC = 'S';
    byte FLUSH = 'H';
    byte TERMINATE = 'X';
    byte PASSWORD = 'p';

    /** The message's type byte. */
    byte type();

    /** The whole message, type byte and length included. */
    ByteBuf encode(ByteBufAllocator alloc);

    /**
     * Decodes one whole message (type byte, length, body), as {@link PgFrameDecoder} delivers it; the buffer's
     * indexes are left as they are.
     *
     * @throws IllegalArgumentException when the body does not have the layout its type requires
     */
    static FrontendMessage decode(ByteBuf message) {
        byte type = message.getByte(message.readerIndex());
        if (!Messages.reads(Messages.FRONTEND_TYPED, type)) {
            return new Opaque(type); // before slicing: most of a session's messages are not read at all
        }
        ByteBuf body = Messages.body(message);
        try {
            return switch (type) {
                case QUERY -> new Query(CStrings.read(body));
                case PARSE -> Parse.decode(body);
                case BIND -> Bind.decode(body);
                case EXECUTE -> new Execute(CStrings.read(body), body.readInt());
                case DESCRIBE -> new Describe((char) body.readByte(), CStrings.read(body));
                case CLOSE -> new Close((char) body.readByte(), CStrings.read(body));
                case SYNC -> Sync.INSTANCE;
                case FLUSH -> Flush.INSTANCE;
                case TERMINATE -> Terminate.INSTANCE;
                default -> new Opaque(type);
            };
        } catch (IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("truncated message of type '" + (char) type + "'", e);
        }
    }

    /** A simple-protocol query: one or more statements separated by semicolons. */
    record Query(String sql) implements FrontendMessage {
        @Override
        public byte type() {
            return QUERY;
        }

        @Override
        public ByteBuf encode(ByteBufAllocator alloc) {
            return Messages.encode(alloc, QUERY, sql.length() + 1, b -> CStrings.write(b, sql));
        }
    }

    /** Parse: prepares {@code sql} as statement {@code name} ("" is the unnamed statement). */
    record Parse(String name, String sql, int[] parameterTypes) implements FrontendMessage {
        static Parse decode(ByteBuf body) {
            String name = CStrings.read(body);
            String sql = CStrings.read(body);
            int[] types = new int[body.readUnsignedShort()];
            for (int i = 0; i < types.length; i++) {
                types[i] = body.readInt();
            }
            return new Parse(name, sql, types);
        }

        /** The same Parse with other SQL (same name and parameter types). */
        public Parse withSql(String other) {
            return new Parse(name, other, parameterTypes);
        }

        @Override
        public byte type() {
            return PARSE;
        }

        @Override
        public ByteBuf encode(ByteBufAllocator alloc) {
            return Messages.encode(alloc, PARSE, name.length() + sql.length() + 4 + 4 * parameterTypes.length, b -> {
                CStrings.write(b, name);
                CStrings.write(b, sql);
                b.writeShort(parameterTypes.length);
                for (int t : parameterTypes) {
                    b.writeInt(t);
                }
            });
        }
    }

    /**
     * Bind: makes portal {@code portal} of statement {@code statement} with these parameter values ({@code null}
     * for SQL NULL) in these formats (0 text, 1 binary), and asks for results in {@code resultFormats}.
     */
    record Bind(String portal, String statement, short[] parameterFormats, byte[][] values, short[] resultFormats)
            implements FrontendMessage {

        /** A Bind of the unnamed portal to the unnamed statement, without parameters, results in text. */
        public static final Bind UNNAMED = new Bind("", "", new short[0], new byte[0][], new short[0]);

        static Bind decode(ByteBuf body) {
            String portal = CStrings.read(body);
            String statement = CStrings.read(body);
            short[] formats = readShorts(body);
            byte[][] values = new byte[body.readUnsignedShort()][];
            for (int i = 0; i < values.length; i++) {
                int length = body.readInt();
                if (length >= 0) {
                    values[i] = new byte[length];
                    body.readBytes(values[i]);
                } else if (length != -1) {
                    throw new IllegalArgumentException("invalid parameter length " + length);
                }
            }
            return new Bind(portal, statement, formats, values, readShorts(body));
        }

        private static short[] readShorts(ByteBuf body) {
            short[] shorts = new short[body.readUnsignedShort()];
            for (int i = 0; i < shorts.length; i++) {
                shorts[i] = body.readShort();
            }
            return shorts;
        }

        @Override
        public byte type() {
            return BIND;
        }

        @Override
        public ByteBuf encode(ByteBufAllocator alloc) {
            return Messages.encode(alloc, BIND, portal.length() + statement.length() + 8, b -> {
                CStrings.write(b, portal);
                CStrings.write(b, statement);
                b.writeShort(parameterFormats.length);
                for (short f : parameterFormats) {
                    b.writeShort(f);
                }
                b.writeShort(values.length);
                for (byte[] v : values) {
                    if (v == null) {
                        b.writeInt(-1);
                    } else {
                        b.writeInt(v.length).writeBytes(v);
                    }
                }
                b.writeShort(resultFormats.length);
                for (short f : resultFormats) {
                    b.writeShort(f);
                }
            });
        }
    }

    /** Execute: runs portal {@code portal}, returning at most {@code maxRows} rows (0: all). */
    record Execute(String portal, int maxRows) implements FrontendMessage {
        @Override
        public byte type() {
            return EXECUTE;
        }

        @Override
        public ByteBuf encode(ByteBufAllocator alloc) {
            return Messages.encode(alloc, EXECUTE, portal.length() + 5, b -> {
                CStrings.write(b, portal);
                b.writeInt(maxRows);
            });
        }
    }

    /** Describe of a statement ({@code kind} 'S') or a portal ('P'). */
    record Describe(char kind, String name) implements FrontendMessage {
        @Override
        public byte type() {
            return DESCRIBE;
        }

        @Override
        public ByteBuf encode(ByteBufAllocator alloc) {
            return Messages.encode(alloc, DESCRIBE, name.length() + 2, b -> {
                b.writeByte(kind);
                CStrings.write(b, name);
            });
        }
    }

    /** Close of a statement ({@code kind} 'S') or a portal ('P'). */
    record Close(char kind, String name) implements FrontendMessage {
        public boolean closesStatement() {
            return kind == 'S';
        }

        @Override
        public byte type() {
            return CLOSE;
        }

        @Override
        public ByteBuf encode(ByteBufAllocator alloc) {
            return Messages.encode(alloc, CLOSE, name.length() + 2, b -> {
                b.writeByte(kind);
                CStrings.write(b, name);
            });
        }
    }

    /** Sync: ends an extended-protocol request; the server answers ReadyForQuery. */
    enum Sync implements FrontendMessage {
        INSTANCE;

        @Override
        public byte type() {
            return SYNC;
        }

        @Override
        public ByteBuf encode(ByteBufAllocator alloc) {
            return Messages.empty(alloc, SYNC);
        }
    }

    /** Flush: asks the server to send what it has. */
    enum Flush implements FrontendMessage {
        INSTANCE;

        @Override
        public byte type() {
            return FLUSH;
        }

        @Override
        public ByteBuf encode(ByteBufAllocator alloc) {
            return Messages.empty(alloc, FLUSH);
        }
    }

    /** Terminate: the client is done. */
    enum Terminate implements FrontendMessage {
        INSTANCE;

        @Override
        public byte type() {
            return TERMINATE;
        }

        @Override
        public ByteBuf encode(ByteBufAllocator alloc) {
            return Messages.empty(alloc, TERMINATE);
        }
    }

    /** A message the gateway does not read (COPY data, function calls, ...): passed on as its bytes came. */
    record Opaque(byte type) implements FrontendMessage {
        @Override
        public ByteBuf encode(ByteBufAllocator alloc) {
            throw new UnsupportedOperationException("an opaque message is forwarded as it came, never re-encoded");
        }
    }
}
