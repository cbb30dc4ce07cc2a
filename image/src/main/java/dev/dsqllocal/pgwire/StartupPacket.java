package dev.dsqllocal.pgwire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The untyped packets a connection starts with (int32 length counting itself, int32 code, body): StartupMessage,
 * SSLRequest, GSSENCRequest and CancelRequest
 * (https://www.postgresql.org/docs/16/protocol-message-formats.html).
 */
public sealed interface StartupPacket {

    /** Protocol 3.0 as a StartupMessage's code. */
    int PROTOCOL_3_0 = 196608;

    int SSL_REQUEST = 80877103;
    int GSSENC_REQUEST = 80877104;
    int CANCEL_REQUEST = 80877102;
    /** PostgreSQL's MAX_STARTUP_PACKET_LENGTH. */
    int MAX_LENGTH = 10_000;
    /** First byte of a TLS handshake record, where a startup packet's length would be: a direct-TLS ClientHello. */
    byte TLS_HANDSHAKE_RECORD = 0x16;

    ByteBuf encode(ByteBufAllocator alloc);

    /**
     * Decodes one whole packet, length included; indexes are left as they are.
     *
     * @throws IllegalArgumentException when the packet does not have the layout its code requires
     */
    static StartupPacket decode(ByteBuf packet) {
        ByteBuf in = packet.duplicate();
        int length = in.readInt();
        if (length != packet.readableBytes() || length < 8) {
            throw new IllegalArgumentException("startup packet length " + length + " does not match its frame");
        }
        int code = in.readInt();
        return switch (code) {
            case SSL_REQUEST -> SslRequest.INSTANCE;
            case GSSENC_REQUEST -> GssEncRequest.INSTANCE;
            case CANCEL_REQUEST -> {
                if (length != 16) {
                    throw new IllegalArgumentException("CancelRequest of " + length + " bytes");
                }
                yield new CancelRequest(in.readInt(), in.readInt());
            }
            default -> StartupMessage.decode(code, in);
        };
    }

    /** StartupMessage: the protocol version asked for and the parameters ({@code user}, {@code database}, ...). */
    record StartupMessage(int protocolVersion, Map<String, String> parameters) implements StartupPacket {
        static StartupMessage decode(int version, ByteBuf in) {
            Map<String, String> parameters = new LinkedHashMap<>();
            while (true) {
                String name = CStrings.read(in);
                if (name.isEmpty()) {
                    break;
                }
                parameters.put(name, CStrings.read(in));
            }
            if (in.isReadable()) {
                throw new IllegalArgumentException("bytes after the startup packet's terminator");
            }
            return new StartupMessage(version, Collections.unmodifiableMap(parameters));
        }

        public int majorVersion() {
            return protocolVersion >>> 16;
        }

        public int minorVersion() {
            return protocolVersion & 0xffff;
        }

        @Override
        public ByteBuf encode(ByteBufAllocator alloc) {
            ByteBuf buf = alloc.buffer(256);
            buf.writeInt(0).writeInt(protocolVersion);
            parameters.forEach((name, value) -> {
                CStrings.write(buf, name);
                CStrings.write(buf, value);
            });
            buf.writeByte(0);
            buf.setInt(0, buf.writerIndex());
            return buf;
        }
    }

    /** SSLRequest: the client asks to switch to TLS; answered with one byte, 'S' or 'N'. */
    enum SslRequest implements StartupPacket {
        INSTANCE;

        @Override
        public ByteBuf encode(ByteBufAllocator alloc) {
            return alloc.buffer(8).writeInt(8).writeInt(SSL_REQUEST);
        }
    }

    /** GSSENCRequest: the client asks for GSSAPI encryption; answered 'N' here. */
    enum GssEncRequest implements StartupPacket {
        INSTANCE;

        @Override
        public ByteBuf encode(ByteBufAllocator alloc) {
            return alloc.buffer(8).writeInt(8).writeInt(GSSENC_REQUEST);
        }
    }

    /** CancelRequest: cancel what the session with this key is running. */
    record CancelRequest(int processId, int secret) implements StartupPacket {
        @Override
        public ByteBuf encode(ByteBufAllocator alloc) {
            return alloc.buffer(16)
                    .writeInt(16)
                    .writeInt(CANCEL_REQUEST)
                    .writeInt(processId)
                    .writeInt(secret);
        }
    }
}
