package dev.dsqllocal.pgwire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.BitSet;
import java.util.function.Consumer;

/** Framing shared by the typed messages: type byte, int32 length counting itself, body. */
final class Messages {
    /** The client message types {@link FrontendMessage#decode} reads; the others are opaque. */
    static final BitSet FRONTEND_TYPED = types(
            FrontendMessage.QUERY,
            FrontendMessage.PARSE,
            FrontendMessage.BIND,
            FrontendMessage.EXECUTE,
            FrontendMessage.DESCRIBE,
            FrontendMessage.CLOSE,
            FrontendMessage.SYNC,
            FrontendMessage.FLUSH,
            FrontendMessage.TERMINATE);
    /** The server message types {@link BackendMessage#decode} reads; the others are opaque. */
    static final BitSet BACKEND_TYPED = types(
            BackendMessage.AUTHENTICATION,
            BackendMessage.BACKEND_KEY_DATA,
            BackendMessage.READY_FOR_QUERY,
            BackendMessage.COMMAND_COMPLETE,
            BackendMessage.ERROR_RESPONSE,
            BackendMessage.NOTICE_RESPONSE,
            BackendMessage.EMPTY_QUERY_RESPONSE,
            BackendMessage.PORTAL_SUSPENDED,
            BackendMessage.PARSE_COMPLETE,
            BackendMessage.BIND_COMPLETE,
            BackendMessage.CLOSE_COMPLETE);

    private Messages() {}

    /** A message of {@code type} whose body {@code body} writes; the length is filled in afterwards. */
    static ByteBuf encode(ByteBufAllocator alloc, byte type, int sizeHint, Consumer<ByteBuf> body) {
        ByteBuf buf = alloc.buffer(5 + sizeHint);
        buf.writeByte(type);
        int lengthAt = buf.writerIndex();
        buf.writeInt(0);
        body.accept(buf);
        buf.setInt(lengthAt, buf.writerIndex() - lengthAt);
        return buf;
    }

    /** The set of these type bytes, for a quick test before decoding. */
    static BitSet types(byte... types) {
        BitSet set = new BitSet(128);
        for (byte t : types) {
            set.set(t);
        }
        return set;
    }

    static boolean reads(BitSet typed, byte type) {
        return type >= 0 && typed.get(type);
    }

    /** A message with an empty body. */
    static ByteBuf empty(ByteBufAllocator alloc, byte type) {
        return alloc.buffer(5).writeByte(type).writeInt(4);
    }

    /** The body of a whole message (type and length skipped), as a slice sharing its bytes. */
    static ByteBuf body(ByteBuf message) {
        int length = message.getInt(message.readerIndex() + 1);
        if (length < 4 || length + 1 > message.readableBytes()) {
            throw new IllegalArgumentException("message length " + length + " does not match its frame");
        }
        return message.slice(message.readerIndex() + 5, length - 4);
    }
}
