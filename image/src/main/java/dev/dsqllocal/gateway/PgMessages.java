package dev.dsqllocal.gateway;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reading the fields of PostgreSQL protocol messages in place, for {@link ProtocolInterceptor}s. Offsets are
 * absolute buffer indexes; a message's body starts 5 bytes after its reader index (type byte, int32 length).
 */
public final class PgMessages {
    private PgMessages() {
    }

    /** The NUL-terminated UTF-8 string starting at {@code at}. */
    public static String cString(ByteBuf buf, int at) {
        int end = buf.indexOf(at, buf.writerIndex(), (byte) 0);
        if (end < 0) {
            throw new IllegalArgumentException("missing string terminator");
        }
        return buf.toString(at, end - at, StandardCharsets.UTF_8);
    }

    /** Bytes {@code s} takes on the wire, without its terminator: how far to skip after {@link #cString}. */
    public static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** The fields of an ErrorResponse or NoticeResponse by their code ('S', 'C', 'M', 'H', ...), in wire order. */
    public static Map<Character, String> errorFields(ByteBuf message) {
        Map<Character, String> fields = new LinkedHashMap<>();
        int at = message.readerIndex() + 5;
        int end = message.writerIndex();
        while (at < end) {
            byte code = message.getByte(at);
            if (code == 0) {
                break;
            }
            String value = cString(message, at + 1);
            fields.put((char) code, value);
            at += 1 + utf8Length(value) + 1;
        }
        return fields;
    }
}
