package dev.dsqllocal.pgwire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dsqllocal.pgwire.BackendMessage.CommandComplete;
import dev.dsqllocal.pgwire.BackendMessage.ErrorResponse;
import dev.dsqllocal.pgwire.BackendMessage.ReadyForQuery;
import dev.dsqllocal.pgwire.FrontendMessage.Bind;
import dev.dsqllocal.pgwire.FrontendMessage.Close;
import dev.dsqllocal.pgwire.FrontendMessage.Execute;
import dev.dsqllocal.pgwire.FrontendMessage.Parse;
import dev.dsqllocal.pgwire.FrontendMessage.Query;
import dev.dsqllocal.pgwire.StartupPacket.CancelRequest;
import dev.dsqllocal.pgwire.StartupPacket.StartupMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Typed messages against bytes written as the protocol documentation lays them out, and round trips. */
class MessagesTest {
    private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

    private static ByteBuf bytes(String hexOrText) {
        return Unpooled.wrappedBuffer(hexOrText.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void queryIsTypeLengthAndTerminatedText() {
        ByteBuf encoded = new Query("SELECT 1").encode(ALLOC);
        assertThat(ByteBufUtil.getBytes(encoded)).isEqualTo("Q\0\0\0\rSELECT 1\0".getBytes(StandardCharsets.UTF_8));
        assertThat(FrontendMessage.decode(encoded)).isEqualTo(new Query("SELECT 1"));
        encoded.release();
    }

    @Test
    void multiByteTextIsCountedInBytes() {
        ByteBuf encoded = new Query("SELECT 'é€'").encode(ALLOC);
        assertThat(encoded.getInt(1)).isEqualTo(4 + "SELECT 'é€'".getBytes(StandardCharsets.UTF_8).length + 1);
        assertThat(((Query) FrontendMessage.decode(encoded)).sql()).isEqualTo("SELECT 'é€'");
        encoded.release();
    }

    @Test
    void extendedProtocolMessagesRoundTrip() {
        Parse parse = (Parse) roundTrip(new Parse("s1", "SELECT $1", new int[] {23}));
        assertThat(parse.name()).isEqualTo("s1");
        assertThat(parse.sql()).isEqualTo("SELECT $1");
        assertThat(parse.parameterTypes()).containsExactly(23);
        Bind bind = (Bind)
                roundTrip(new Bind("p", "s1", new short[] {0}, new byte[][] {"42".getBytes(), null}, new short[] {1}));
        assertThat(bind.portal()).isEqualTo("p");
        assertThat(bind.statement()).isEqualTo("s1");
        assertThat(bind.values()[0]).isEqualTo("42".getBytes());
        assertThat(bind.values()[1]).isNull();
        assertThat(bind.resultFormats()).containsExactly((short) 1);
        assertThat(roundTrip(new Execute("p", 10))).isEqualTo(new Execute("p", 10));
        assertThat(roundTrip(new Close('S', "s1"))).isEqualTo(new Close('S', "s1"));
        assertThat(roundTrip(FrontendMessage.Sync.INSTANCE)).isSameAs(FrontendMessage.Sync.INSTANCE);
    }

    @Test
    void unknownFrontendTypesAreOpaque() {
        ByteBuf copyData = bytes("d\0\0\0\u0006ab");
        assertThat(FrontendMessage.decode(copyData)).isEqualTo(new FrontendMessage.Opaque((byte) 'd'));
    }

    @Test
    void truncatedOrMislabelledMessagesAreRefused() {
        assertThatThrownBy(() -> FrontendMessage.decode(bytes("Q\0\0\0\u0006ab"))) // no terminator
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrontendMessage.decode(bytes("E\0\0\0\u0006a\0"))) // no row count
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrontendMessage.decode(bytes("Q\0\0\0\u0040ab\0"))) // length beyond the frame
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void errorFieldsKeepTheirOrder() {
        ErrorResponse error = ErrorResponse.of("ERROR", "0A000", "unsupported", null, "try this");
        ByteBuf encoded = error.encode(ALLOC);
        assertThat(encoded.toString(StandardCharsets.UTF_8))
                .isEqualTo("E\0\0\0" + "1SERROR\0VERROR\0C0A000\0Munsupported\0Htry this\0\0");
        ErrorResponse decoded = (ErrorResponse) BackendMessage.decode(encoded);
        assertThat(decoded.fields().keySet()).containsExactly('S', 'V', 'C', 'M', 'H');
        assertThat(decoded.sqlState()).isEqualTo("0A000");
        encoded.release();
    }

    @Test
    void backendMessagesRoundTrip() {
        ByteBuf z = new ReadyForQuery('T').encode(ALLOC);
        assertThat(ByteBufUtil.getBytes(z)).isEqualTo(new byte[] {'Z', 0, 0, 0, 5, 'T'});
        assertThat(BackendMessage.decode(z)).isEqualTo(new ReadyForQuery('T'));
        z.release();
        ByteBuf c = new CommandComplete("INSERT 0 1").encode(ALLOC);
        assertThat(BackendMessage.decode(c)).isEqualTo(new CommandComplete("INSERT 0 1"));
        c.release();
        assertThat(BackendMessage.decode(bytes("D\0\0\0\u0006\0\0"))).isEqualTo(new BackendMessage.Opaque((byte) 'D'));
    }

    @Test
    void startupPackets() {
        StartupMessage startup = new StartupMessage(StartupPacket.PROTOCOL_3_0, Map.of("user", "admin"));
        ByteBuf encoded = startup.encode(ALLOC);
        assertThat(ByteBufUtil.getBytes(encoded))
                .isEqualTo("\0\0\0\u0014\0\u0003\0\0user\0admin\0\0".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(StartupPacket.decode(encoded)).isEqualTo(startup);
        encoded.release();
        ByteBuf cancel = new CancelRequest(7, 9).encode(ALLOC);
        assertThat(StartupPacket.decode(cancel)).isEqualTo(new CancelRequest(7, 9));
        cancel.release();
        assertThatThrownBy(() -> StartupPacket.decode(bytes("\0\0\0\u000b\0\u0003\0\0ab\0")))
                .isInstanceOf(IllegalArgumentException.class); // name without value or final terminator
        assertThat(new BackendMessage.NegotiateProtocolVersion(StartupPacket.PROTOCOL_3_0, List.of("_pq_.x"))
                        .encode(ALLOC)
                        .getInt(1))
                .isEqualTo(4 + 4 + 4 + 7);
    }

    private static FrontendMessage roundTrip(FrontendMessage message) {
        ByteBuf encoded = message.encode(ALLOC);
        try {
            return FrontendMessage.decode(encoded);
        } finally {
            encoded.release();
        }
    }
}
