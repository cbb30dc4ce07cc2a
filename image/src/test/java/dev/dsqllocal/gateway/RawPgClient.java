package dev.dsqllocal.gateway;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** A byte-level PostgreSQL client for feeding the gateway malformed or unusual input. */
final class RawPgClient implements AutoCloseable {
    private Socket socket;
    private DataInputStream in;
    private DataOutputStream out;

    RawPgClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        streams();
    }

    private void streams() throws IOException {
        in = new DataInputStream(socket.getInputStream());
        out = new DataOutputStream(socket.getOutputStream());
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void sendInt(int... values) throws IOException {
        for (int v : values) {
            out.writeInt(v);
        }
        out.flush();
    }

    int readByte() throws IOException {
        return in.read();
    }

    /** Sends SSLRequest, expects 'S', and upgrades to TLS trusting the gateway's CA. */
    RawPgClient startTls(Path caFile) throws Exception {
        return startTls(caFile, null);
    }

    /** As {@link #startTls(Path)}, sending {@code serverName} as SNI. */
    RawPgClient startTls(Path caFile, String serverName) throws Exception {
        sendInt(8, 80877103);
        int answer = in.read();
        if (answer != 'S') {
            throw new IOException("expected S, got " + answer);
        }
        return upgrade(caFile, null, serverName);
    }

    /** Starts TLS right away (direct TLS), offering the given ALPN protocol (or none). */
    RawPgClient directTls(Path caFile, String alpn) throws Exception {
        return upgrade(caFile, alpn, null);
    }

    private RawPgClient upgrade(Path caFile, String alpn, String serverName) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream pem = Files.newInputStream(caFile)) {
            trust.setCertificateEntry(
                    "ca", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        String host = serverName != null ? serverName : "localhost";
        SSLSocket tls = (SSLSocket) ssl.getSocketFactory().createSocket(socket, host, socket.getPort(), true);
        SSLParameters params = tls.getSSLParameters();
        if (alpn != null) {
            params.setApplicationProtocols(new String[] {alpn});
        }
        if (serverName != null) {
            params.setServerNames(List.of(new SNIHostName(serverName)));
            params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must cover the cluster endpoint
        }
        tls.setSSLParameters(params);
        tls.startHandshake();
        socket = tls;
        streams();
        return this;
    }

    void startup(String user, String database) throws IOException {
        byte[] body = ("user\0" + user + "\0database\0" + database + "\0\0").getBytes(StandardCharsets.UTF_8);
        out.writeInt(body.length + 8);
        out.writeInt(196608);
        out.write(body);
        out.flush();
    }

    void message(char type, byte[] body) throws IOException {
        out.writeByte(type);
        out.writeInt(body.length + 4);
        out.write(body);
        out.flush();
    }

    void password(String password) throws IOException {
        message('p', (password + "\0").getBytes(StandardCharsets.UTF_8));
    }

    void query(String sql) throws IOException {
        message('Q', (sql + "\0").getBytes(StandardCharsets.UTF_8));
    }

    /** Authenticates as admin with the token and reads up to ReadyForQuery. */
    RawPgClient login(String token) throws IOException {
        startup("admin", "postgres");
        Message auth = read();
        if (auth.type != 'R') {
            throw new IOException("expected authentication request, got " + auth);
        }
        password(token);
        readUntilReady();
        return this;
    }

    void readUntilReady() throws IOException {
        while (true) {
            Message m = read();
            if (m.type == 'E') {
                throw new IOException("error: " + m.fields());
            }
            if (m.type == 'Z') {
                return;
            }
        }
    }

    record Message(char type, byte[] body) {
        Map<Character, String> fields() {
            Map<Character, String> fields = new HashMap<>();
            int i = 0;
            while (i < body.length && body[i] != 0) {
                char code = (char) body[i++];
                int start = i;
                while (body[i] != 0) {
                    i++;
                }
                fields.put(code, new String(body, start, i - start, StandardCharsets.UTF_8));
                i++;
            }
            return fields;
        }
    }

    Message read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("connection closed");
        }
        int length = in.readInt();
        byte[] body = new byte[length - 4];
        in.readFully(body);
        return new Message((char) type, body);
    }

    /** Reads the next message, which must be an ErrorResponse, and returns its fields. */
    Map<Character, String> readError() throws IOException {
        Message m = read();
        if (m.type != 'E') {
            throw new IOException("expected ErrorResponse, got " + m.type);
        }
        return m.fields();
    }

    /** Whether the server closes the connection within the socket timeout (data before the close is skipped). */
    boolean closedByServer(int timeoutMillis) throws IOException {
        socket.setSoTimeout(timeoutMillis);
        try {
            byte[] buf = new byte[8192];
            while (true) {
                if (in.read(buf) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset or TLS close: closed all the same
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
