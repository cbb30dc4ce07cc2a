package dev.dsqllocal.tls;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Makes the emulator's own certificate authority and the server certificates it signs (EC P-256, SHA-256). */
final class CertificateIssuer {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    /** Below the 825 days macOS and browsers accept for a leaf, so the pair also works outside PostgreSQL clients. */
    private static final Duration SERVER_VALIDITY = Duration.ofDays(825);

    private CertificateIssuer() {}

    record Issued(X509Certificate certificate, PrivateKey key) {}

    static Issued newAuthority() throws GeneralSecurityException {
        KeyPair keys = newKeyPair();
        X500Name name = new X500Name(
                "CN=DSQL Local CA " + Long.toHexString(RANDOM.nextLong() & Long.MAX_VALUE) + ", O=DSQL Local");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                name,
                serial(),
                Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(CA_VALIDITY)),
                name,
                keys.getPublic());
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(
                    Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        return new Issued(sign(builder, keys.getPrivate()), keys.getPrivate());
    }

    /** A server certificate for these DNS names and IP addresses (SANs), signed by {@code ca}. */
    static Issued newServerCertificate(Issued ca, Collection<String> hostNames) throws GeneralSecurityException {
        KeyPair keys = newKeyPair();
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=DSQL Local SQL endpoint, O=DSQL Local");
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                ca.certificate(),
                serial(),
                Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(SERVER_VALIDITY)),
                subject,
                keys.getPublic());
        List<GeneralName> names = new ArrayList<>();
        for (String host : hostNames) {
            names.add(
                    isIpAddress(host)
                            ? new GeneralName(GeneralName.iPAddress, host)
                            : new GeneralName(GeneralName.dNSName, host));
        }
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(
                    Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(
                    Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(new GeneralName[0])));
            builder.addExtension(
                    Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca.certificate()));
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        return new Issued(sign(builder, ca.key()), keys.getPrivate());
    }

    static boolean isIpAddress(String host) {
        return host.matches("[0-9.]+") && host.chars().filter(c -> c == '.').count() == 3 || host.contains(":");
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
            throws GeneralSecurityException {
        try {
            X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key));
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }
}
