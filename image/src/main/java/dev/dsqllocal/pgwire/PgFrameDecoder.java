package dev.dsqllocal.pgwire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.List;

/**
 * Splits a stream of PostgreSQL v3 messages (type byte, int32 length counting itself, body) into whole messages,
 * checking every length. In bulk mode it emits one retained slice per read holding all complete messages, which
 * is what plain forwarding needs (no per-message objects); in per-message mode one slice per message, for a
 * session that inspects them. Either way nothing is copied unless a message straddles reads.
 */
public final class PgFrameDecoder extends ByteToMessageDecoder {
    private final int maxMessageLength;
    private boolean perMessage;
    private byte lastType;
    private boolean failed;

    /** @param maxMessageLength the largest length field accepted (a longer one fails with TooLongFrameException) */
    public PgFrameDecoder(int maxMessageLength, boolean perMessage) {
        this.maxMessageLength = maxMessageLength;
        this.perMessage = perMessage;
    }

    public void perMessage(boolean perMessage) {
        this.perMessage = perMessage;
    }

    /** Type byte of the last complete message decoded so far (0 before the first). */
    public byte lastType() {
        return lastType;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        int start = in.readerIndex();
        int end = start;
        int limit = in.writerIndex();
        while (limit - end >= 5) {
            int length = in.getInt(end + 1);
            if (length < 4) {
                failed = true;
                throw new CorruptedFrameException("invalid message length " + length);
            }
            if (length > maxMessageLength) {
                failed = true;
                throw new TooLongFrameException("message of " + length + " bytes");
            }
            if (limit - end - 1 < length) {
                break;
            }
            lastType = in.getByte(end);
            if (perMessage) {
                out.add(in.retainedSlice(end, length + 1));
            }
            end += length + 1;
        }
        if (end == start) {
            return;
        }
        if (!perMessage) {
            out.add(in.retainedSlice(start, end - start));
        }
        in.readerIndex(end);
    }
}
