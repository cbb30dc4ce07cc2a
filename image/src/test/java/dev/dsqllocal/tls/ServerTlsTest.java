package dev.dsqllocal.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerTlsTest {
    @TempDir
    Path dir;

    @Test
    void generatesPersistsAndReusesTheCaAndServerCertificate() throws Exception {
        ServerTls first = ServerTls.load(dir, Optional.empty(), Optional.empty(), "eu-west-1", List.of("dsql"));
        assertThat(Files.readString(dir.resolve("ca.pem")))
                .isEqualTo(first.caPem())
                .startsWith("-----BEGIN CERTIFICATE");
        assertThat(dir.resolve("server.pem")).exists();
        assertThat(dir.resolve("server-key.pem")).exists();
        assertThat(Files.getPosixFilePermissions(dir.resolve("ca-key.pem")))
                .containsExactlyInAnyOrder(
                        java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);

        X509Certificate server = first.serverCertificate();
        X509Certificate ca = ServerTls.readCertificates(dir.resolve("ca.pem")).get(0);
        server.verify(ca.getPublicKey());
        assertThat(sans(server))
                .contains(
                        "localhost",
                        "127.0.0.1",
                        "0:0:0:0:0:0:0:1",
                        "dsql",
                        "*.dsql.eu-west-1.on.aws",
                        "*.dsql.us-east-1.on.aws",
                        "*.dsql.ap-northeast-1.on.aws");

        ServerTls again = ServerTls.load(dir, Optional.empty(), Optional.empty(), "eu-west-1", List.of("dsql"));
        assertThat(again.caPem()).isEqualTo(first.caPem());
        assertThat(again.serverCertificate()).isEqualTo(server);

        // A new host name reissues the server certificate under the same CA.
        ServerTls renamed =
                ServerTls.load(dir, Optional.empty(), Optional.empty(), "eu-west-1", List.of("dsql", "db.internal"));
        assertThat(renamed.caPem()).isEqualTo(first.caPem());
        assertThat(renamed.serverCertificate()).isNotEqualTo(server);
        assertThat(sans(renamed.serverCertificate())).contains("db.internal");
        renamed.serverCertificate().verify(ca.getPublicKey());
    }

    @Test
    void userSuppliedPairReplacesTheGeneratedOne() throws Exception {
        Path other = Files.createDirectories(dir.resolve("other"));
        ServerTls generated = ServerTls.load(other, Optional.empty(), Optional.empty(), "us-east-1", List.of());
        Path served = Files.createDirectories(dir.resolve("served"));
        ServerTls supplied = ServerTls.load(
                served,
                Optional.of(other.resolve("server.pem")),
                Optional.of(other.resolve("server-key.pem")),
                "us-east-1",
                List.of());
        assertThat(supplied.serverCertificate()).isEqualTo(generated.serverCertificate());
        assertThat(served.resolve("ca-key.pem")).doesNotExist();
        assertThat(supplied.sslContext().isServer()).isTrue();
    }

    private static List<String> sans(X509Certificate cert) throws Exception {
        List<String> names = new ArrayList<>();
        Collection<List<?>> entries = cert.getSubjectAlternativeNames();
        for (List<?> entry : entries) {
            names.add(String.valueOf(entry.get(1)));
        }
        return names;
    }
}
