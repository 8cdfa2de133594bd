package io.roentgen.server.testing;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/** Certificate authorities and certificates made inside the tests with BouncyCastle, and clients that use them. */
public final class TestPki {
    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    /** A key pair and its certificate. */
    public record Identity(KeyPair keys, X509Certificate certificate) {
        public String subject() {
            return certificate.getSubjectX500Principal().getName();
        }
    }

    private TestPki() {}

    /** A self-signed CA valid from an hour ago for a day. */
    public static Identity ca(String name) throws Exception {
        KeyPair keys = ec();
        X500Name subject = new X500Name("CN=" + name);
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(), date(Duration.ofHours(-1)),
                date(Duration.ofDays(1)), subject, keys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new Identity(keys, sign(builder, keys));
    }

    /** A server certificate for localhost and 127.0.0.1 (RSA or EC key), signed by the CA. */
    public static Identity server(Identity ca, String name, boolean rsa) throws Exception {
        KeyPair keys = rsa ? rsa() : ec();
        GeneralNames names = new GeneralNames(new GeneralName[] {new GeneralName(GeneralName.dNSName, "localhost"),
            new GeneralName(GeneralName.iPAddress, "127.0.0.1")});
        return new Identity(keys, sign(leaf(ca, name, keys, date(Duration.ofHours(-1)), date(Duration.ofDays(1)))
                .addExtension(Extension.subjectAlternativeName, false, names), ca.keys()));
    }

    /** A client certificate valid between the given times, signed by the CA. */
    public static Identity client(Identity ca, String name, Instant notBefore, Instant notAfter) throws Exception {
        KeyPair keys = ec();
        return new Identity(keys, sign(leaf(ca, name, keys, Date.from(notBefore), Date.from(notAfter)), ca.keys()));
    }

    /** A client certificate valid from an hour ago for a day. */
    public static Identity client(Identity ca, String name) throws Exception {
        return client(ca, name, Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(1)));
    }

    private static X509v3CertificateBuilder leaf(Identity ca, String name, KeyPair keys, Date from, Date to) throws Exception {
        return new JcaX509v3CertificateBuilder(ca.certificate(), serial(), from, to, new X500Name("CN=" + name + ",O=Roentgen Test"),
                keys.getPublic()).addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
    }

    /** Writes the certificate (PEM) and its PKCS#8 key (PEM), each by an atomic move, as certificate tools replace files. */
    public static void writePem(Identity identity, Path certificate, Path key) throws IOException, GeneralSecurityException {
        atomicWrite(certificate, pem("CERTIFICATE", identity.certificate().getEncoded()));
        atomicWrite(key, pem("PRIVATE KEY", identity.keys().getPrivate().getEncoded()));
    }

    public static void writeCertificate(X509Certificate certificate, Path file) throws IOException, GeneralSecurityException {
        atomicWrite(file, pem("CERTIFICATE", certificate.getEncoded()));
    }

    /** A PKCS12 file holding the identity under "server". */
    public static void writePkcs12(Identity identity, Path file, String password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", identity.keys().getPrivate(), password.toCharArray(), new Certificate[] {identity.certificate()});
        try (var out = Files.newOutputStream(file)) {
            store.store(out, password.toCharArray());
        }
    }

    /** A TLS client context trusting the CA, presenting {@code identity} when not null. */
    public static SSLContext clientContext(Identity trustedCa, Identity identity) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", trustedCa.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        if (identity != null) {
            keys.setKeyEntry("client", identity.keys().getPrivate(), "x".toCharArray(), new Certificate[] {identity.certificate()});
        }
        kmf.init(keys, "x".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    private static void atomicWrite(Path file, String text) throws IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, text, StandardCharsets.US_ASCII);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair signer) throws Exception {
        String algorithm = signer.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        ContentSigner contentSigner = new JcaContentSignerBuilder(algorithm).build(signer.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(contentSigner));
    }

    private static KeyPair ec() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }

    private static Date date(Duration fromNow) {
        return Date.from(Instant.now().plus(fromNow));
    }
}
