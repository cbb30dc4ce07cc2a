package dev.dsqllocal.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SQL endpoint's TLS identity. By default a CA of the emulator's own and a server certificate it signs are
 * generated at first start and kept as PEM in the TLS directory ({@code <dataDir>/tls}); {@code ca.pem} there
 * is what a client trusts for {@code sslmode=verify-full}. The server certificate covers {@code localhost}, the
 * loopback addresses, this machine's host name, the configured extra names and {@code *.dsql.<region>.on.aws} for
 * the default region and the common AWS regions; it is reissued (same CA) when that list changes or it nears
 * expiry. A user-supplied pair ({@code --tls-cert}/{@code --tls-key}) replaces the generated one.
 */
public final class ServerTls {
    private static final Logger LOG = LoggerFactory.getLogger(ServerTls.class);
    /** ALPN protocol id of PostgreSQL 17 direct TLS ({@code sslnegotiation=direct}). */
    public static final String ALPN_POSTGRESQL = "postgresql";

    static final List<String> COMMON_REGIONS = List.of(
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2",
            "ca-central-1",
            "sa-east-1",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "eu-central-1",
            "eu-north-1",
            "eu-south-1",
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-northeast-3",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-south-1");
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);

    private final SslContext sslContext;
    private final String caPem;
    private final X509Certificate serverCertificate;

    private ServerTls(SslContext sslContext, String caPem, X509Certificate serverCertificate) {
        this.sslContext = sslContext;
        this.caPem = caPem;
        this.serverCertificate = serverCertificate;
    }

    /**
     * Loads (or creates) the TLS identity.
     *
     * @param tlsDir where generated PEM files live; {@code ca.pem} is (re)written there in every case
     * @param certFile user-supplied certificate chain (PEM), or empty to use the generated pair
     * @param keyFile the private key of {@code certFile}
     */
    public static ServerTls load(
            Path tlsDir,
            Optional<Path> certFile,
            Optional<Path> keyFile,
            String defaultRegion,
            List<String> extraHostNames)
            throws IOException, GeneralSecurityException {
        Files.createDirectories(tlsDir);
        if (certFile.isPresent() && keyFile.isPresent()) {
            List<X509Certificate> chain = readCertificates(certFile.get());
            if (chain.isEmpty()) {
                throw new GeneralSecurityException("no certificate in " + certFile.get());
            }
            PrivateKey key = readKey(keyFile.get());
            // The last certificate of the chain is what a client must trust (the CA, or the certificate itself).
            String trust = pem(List.of(chain.get(chain.size() - 1)));
            writeAtomically(tlsDir.resolve("ca.pem"), trust, false);
            return new ServerTls(context(key, chain), trust, chain.get(0));
        }
        CertificateIssuer.Issued ca = loadOrCreateAuthority(tlsDir);
        Set<String> names = hostNames(defaultRegion, extraHostNames);
        CertificateIssuer.Issued server = loadOrIssueServer(tlsDir, ca, names);
        String caPem = pem(List.of(ca.certificate()));
        return new ServerTls(
                context(server.key(), List.of(server.certificate(), ca.certificate())), caPem, server.certificate());
    }

    public SslContext sslContext() {
        return sslContext;
    }

    /** The certificate clients trust for {@code verify-full}, as PEM (served at {@code /dsql-local/ca.pem}). */
    public String caPem() {
        return caPem;
    }

    public X509Certificate serverCertificate() {
        return serverCertificate;
    }

    static Set<String> hostNames(String defaultRegion, List<String> extra) {
        Set<String> names = new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1"));
        machineHostName().ifPresent(names::add);
        for (String name : extra) {
            names.add(name.trim().toLowerCase(Locale.ROOT));
        }
        names.add("*.dsql." + defaultRegion + ".on.aws");
        for (String region : COMMON_REGIONS) {
            names.add("*.dsql." + region + ".on.aws");
        }
        return names;
    }

    /** This machine's host name, without a DNS lookup (which can hang for seconds in containers). */
    private static Optional<String> machineHostName() {
        String name = null;
        try {
            Path kernel = Path.of("/proc/sys/kernel/hostname");
            if (Files.isReadable(kernel)) {
                name = Files.readString(kernel).trim();
            }
        } catch (IOException ignored) {
            // fall through to the environment
        }
        if (name == null || name.isBlank()) {
            name = System.getenv("HOSTNAME") != null ? System.getenv("HOSTNAME") : System.getenv("COMPUTERNAME");
        }
        return name == null || name.isBlank()
                ? Optional.empty()
                : Optional.of(name.trim().toLowerCase(Locale.ROOT));
    }

    private static CertificateIssuer.Issued loadOrCreateAuthority(Path dir)
            throws IOException, GeneralSecurityException {
        Path cert = dir.resolve("ca.pem");
        Path key = dir.resolve("ca-key.pem");
        if (Files.exists(cert) && Files.exists(key)) {
            List<X509Certificate> certs = readCertificates(cert);
            if (!certs.isEmpty() && certs.get(0).getBasicConstraints() >= 0) {
                return new CertificateIssuer.Issued(certs.get(0), readKey(key));
            }
        }
        CertificateIssuer.Issued ca = CertificateIssuer.newAuthority();
        writeAtomically(key, pem(ca.key()), true);
        writeAtomically(cert, pem(List.of(ca.certificate())), false);
        // A new CA invalidates any server certificate signed by an old one.
        Files.deleteIfExists(dir.resolve("server.pem"));
        LOG.info("Generated a certificate authority for the SQL endpoint: {}", cert);
        return ca;
    }

    private static CertificateIssuer.Issued loadOrIssueServer(Path dir, CertificateIssuer.Issued ca, Set<String> names)
            throws IOException, GeneralSecurityException {
        Path cert = dir.resolve("server.pem");
        Path key = dir.resolve("server-key.pem");
        if (Files.exists(cert) && Files.exists(key)) {
            List<X509Certificate> certs = readCertificates(cert);
            if (!certs.isEmpty() && stillGood(certs.get(0), ca.certificate(), names)) {
                return new CertificateIssuer.Issued(certs.get(0), readKey(key));
            }
        }
        CertificateIssuer.Issued server = CertificateIssuer.newServerCertificate(ca, names);
        writeAtomically(key, pem(server.key()), true);
        writeAtomically(cert, pem(List.of(server.certificate())), false);
        LOG.info("Issued a server certificate for {}", names);
        return server;
    }

    private static boolean stillGood(X509Certificate server, X509Certificate ca, Set<String> names)
            throws CertificateParsingException {
        try {
            server.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            return false;
        }
        if (server.getNotAfter().toInstant().isBefore(Instant.now().plus(RENEW_BEFORE))) {
            return false;
        }
        Set<String> present = new LinkedHashSet<>();
        Collection<List<?>> sans = server.getSubjectAlternativeNames();
        if (sans != null) {
            for (List<?> san : sans) {
                present.add(String.valueOf(san.get(1)).toLowerCase(Locale.ROOT));
            }
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (String name : names) {
            // The JDK prints IPv6 SANs in full form; compare IPv6 addresses as parsed.
            wanted.add(name.equals("::1") ? "0:0:0:0:0:0:0:1" : name);
        }
        return present.equals(wanted);
    }

    private static SslContext context(PrivateKey key, List<X509Certificate> chain) throws IOException {
        return SslContextBuilder.forServer(keyManagers(key, chain))
                .sslProvider(provider())
                .protocols("TLSv1.3", "TLSv1.2")
                .applicationProtocolConfig(new ApplicationProtocolConfig(
                        ApplicationProtocolConfig.Protocol.ALPN,
                        // Clients that offer ALPN without "postgresql" (or none, after SSLRequest) still connect;
                        // the gateway itself insists on "postgresql" for direct TLS, as PostgreSQL 17 does.
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ALPN_POSTGRESQL))
                .build();
    }

    /**
     * BoringSSL (netty-tcnative) when it loads on this platform: TLS costs the gateway several times less CPU than
     * with the JDK's provider, CPU that PostgreSQL needs on a small machine. The JDK provider otherwise.
     */
    static SslProvider provider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /*
     * Given a bare key, Netty wraps it in an in-memory PKCS#12 key store, whose key protection runs PBKDF2 with the
     * JDK's 10,000 rounds: about a second of start-up while the JVM is still interpreting. This key store never
     * leaves memory, so a JKS one (a single cheap hash) protects nothing less and costs nothing.
     */
    private static KeyManagerFactory keyManagers(PrivateKey key, List<X509Certificate> chain) throws IOException {
        try {
            char[] password = "in-memory".toCharArray();
            KeyStore store = KeyStore.getInstance("JKS");
            store.load(null, null);
            store.setKeyEntry("server", key, password, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            factory.init(store, password);
            return factory;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot load the TLS key into a key manager", e);
        }
    }

    static List<X509Certificate> readCertificates(Path file) throws IOException, GeneralSecurityException {
        List<X509Certificate> certs = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof X509CertificateHolder holder) {
                    certs.add(converter.getCertificate(holder));
                }
            }
        }
        return certs;
    }

    static PrivateKey readKey(Path file) throws IOException, GeneralSecurityException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            Object object;
            while ((object = parser.readObject()) != null) {
                if (object instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (object instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
            }
        }
        throw new GeneralSecurityException("no private key in " + file);
    }

    private static String pem(Object... objects) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            for (Object object : objects) {
                if (object instanceof List<?> list) {
                    for (Object item : list) {
                        writer.writeObject(item);
                    }
                } else if (object instanceof PrivateKey key) {
                    writer.writeObject(new JcaPKCS8Generator(key, null)); // PKCS#8, as --tls-key expects
                } else {
                    writer.writeObject(object);
                }
            }
        }
        return out.toString();
    }

    private static void writeAtomically(Path target, String content, boolean secret) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            if (secret) {
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // Not a POSIX file system (Windows): the directory's permissions apply.
                }
            }
            Files.writeString(tmp, content, StandardCharsets.US_ASCII);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
