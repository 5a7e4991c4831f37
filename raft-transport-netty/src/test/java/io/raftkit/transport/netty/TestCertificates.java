package io.raftkit.transport.netty;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Throwaway certificate authorities and node certificates for the TLS tests, written as PEM or PKCS#12. */
final class TestCertificates {

    // A fixed, wide validity window, so that no test reads the clock.
    private static final Date NOT_BEFORE = new Date(946_684_800_000L); // 2000-01-01
    private static final Date NOT_AFTER = new Date(32_503_680_000_000L); // 3000-01-01
    private static final AtomicLong SERIAL = new AtomicLong(1);

    /** A key and its certificate, with the issuer's certificate (itself for a CA). */
    record Issued(PrivateKey key, X509Certificate certificate, X509Certificate issuer) {}

    private TestCertificates() {}

    static Issued authority(String name) throws GeneralSecurityException {
        KeyPair keys = newKeyPair();
        X509Certificate cert = sign(name, keys, name, keys.getPrivate(), true);
        return new Issued(keys.getPrivate(), cert, cert);
    }

    static Issued node(String name, Issued authority) throws GeneralSecurityException {
        KeyPair keys = newKeyPair();
        String issuer = authority.certificate().getSubjectX500Principal().getName();
        return new Issued(keys.getPrivate(), sign(name, keys, issuer, authority.key(), false), authority.certificate());
    }

    /** TLS from PEM files written under {@code dir}: node chain, PKCS#8 key, and the trusted authority. */
    static TlsConfig pem(Path dir, Issued node, X509Certificate trusted) throws Exception {
        String name = node.certificate().getSerialNumber().toString();
        Path chain = dir.resolve(name + "-chain.pem");
        Path key = dir.resolve(name + "-key.pem");
        Path trust = dir.resolve(name + "-trust.pem");
        Files.writeString(chain, pem("CERTIFICATE", node.certificate().getEncoded())
                + pem("CERTIFICATE", node.issuer().getEncoded()), StandardCharsets.US_ASCII);
        Files.writeString(key, pem("PRIVATE KEY", node.key().getEncoded()), StandardCharsets.US_ASCII);
        Files.writeString(trust, pem("CERTIFICATE", trusted.getEncoded()), StandardCharsets.US_ASCII);
        return TlsConfig.fromPem(chain, key, trust);
    }

    /** TLS from PKCS#12 key and trust stores written under {@code dir}. */
    static TlsConfig keyStores(Path dir, Issued node, X509Certificate trusted, char[] password) throws Exception {
        String name = node.certificate().getSerialNumber().toString();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, password);
        keys.setKeyEntry("node", node.key(), password, new Certificate[] {node.certificate(), node.issuer()});
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, password);
        trust.setCertificateEntry("ca", trusted);
        Path keyPath = dir.resolve(name + "-keys.p12");
        Path trustPath = dir.resolve(name + "-trust.p12");
        try (OutputStream out = Files.newOutputStream(keyPath)) {
            keys.store(out, password);
        }
        try (OutputStream out = Files.newOutputStream(trustPath)) {
            trust.store(out, password);
        }
        return TlsConfig.fromKeyStore(keyPath, password, trustPath, password);
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(String subject, KeyPair keys, String issuer, PrivateKey issuerKey,
                                        boolean authority) throws GeneralSecurityException {
        try {
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Name(issuer.contains("=")
                    ? issuer : "CN=" + issuer), BigInteger.valueOf(SERIAL.getAndIncrement()), NOT_BEFORE, NOT_AFTER,
                    new X500Name("CN=" + subject), keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        } catch (OperatorCreationException | IOException e) {
            throw new GeneralSecurityException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
