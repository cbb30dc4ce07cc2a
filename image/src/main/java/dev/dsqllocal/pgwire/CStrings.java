package dev.dsqllocal.pgwire;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** The protocol's strings: UTF-8, terminated by a NUL byte. */
final class CStrings {
    private CStrings() {}

    /**
     * Reads the string at the reader index and advances past its terminator.
     *
     * @throws IllegalArgumentException when there is no terminator before the end of the buffer
     */
    static String read(ByteBuf buf) {
        int end = buf.indexOf(buf.readerIndex(), buf.writerIndex(), (byte) 0);
        if (end < 0) {
            throw new IllegalArgumentException("missing string terminator");
        }
        String value = buf.toString(buf.readerIndex(), end - buf.readerIndex(), StandardCharsets.UTF_8);
        buf.readerIndex(end + 1);
        return value;
    }

    static void write(ByteBuf buf, String value) {
        buf.writeCharSequence(value, StandardCharsets.UTF_8);
        buf.writeByte(0);
    }
}
