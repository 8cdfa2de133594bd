package io.roentgen.server.security;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Key and trust stores from {@link TlsSettings}' files, with the JDK alone: certificates through
 * {@code CertificateFactory} (which reads PEM), PKCS#8 keys through {@code KeyFactory} (RSA, then
 * EC). A key that does not belong to the certificate is refused here, so a reload caught between
 * writing the new certificate and the new key keeps the old identity instead of breaking handshakes.
 */
public final class TlsMaterial {
    /** The in-memory key store's password; it never leaves the process. */
    public static final String STORE_PASSWORD = "roentgen";
    private static final Pattern PKCS8 = Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private TlsMaterial() {}

    /** The server's identity: a key store with one entry, alias "server", password {@link #STORE_PASSWORD}. */
    public static KeyStore keyStore(TlsSettings tls) throws IOException, GeneralSecurityException {
        if (tls.keyStore() != null) {
            return fromPkcs12(tls);
        }
        List<X509Certificate> chain = certificates(tls.certificate().toString(), Files.readAllBytes(tls.certificate()));
        PrivateKey key = privateKey(tls.key().toString(), Files.readString(tls.key(), StandardCharsets.US_ASCII));
        requireMatch(key, chain.get(0).getPublicKey(), tls.key().toString());
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", key, STORE_PASSWORD.toCharArray(), chain.toArray(Certificate[]::new));
        return store;
    }

    /** The PKCS12 file re-keyed into the in-memory form, so that both sources look the same to Jetty. */
    private static KeyStore fromPkcs12(TlsSettings tls) throws IOException, GeneralSecurityException {
        KeyStore file = KeyStore.getInstance("PKCS12");
        char[] password = tls.keyStorePassword().toCharArray();
        try (InputStream in = Files.newInputStream(tls.keyStore())) {
            file.load(in, password);
        }
        for (String alias : java.util.Collections.list(file.aliases())) {
            if (file.isKeyEntry(alias)) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("server", file.getKey(alias, password), STORE_PASSWORD.toCharArray(), file.getCertificateChain(alias));
                return store;
            }
        }
        throw new GeneralSecurityException("key store " + tls.keyStore() + " holds no private key");
    }

    /** The CAs whose client certificates mutual TLS accepts. */
    public static KeyStore trustStore(TlsSettings tls) throws IOException, GeneralSecurityException {
        List<X509Certificate> cas = certificates(tls.clientCa().toString(), Files.readAllBytes(tls.clientCa()));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        for (int i = 0; i < cas.size(); i++) {
            store.setCertificateEntry("ca-" + i, cas.get(i));
        }
        return store;
    }

    static List<X509Certificate> certificates(String where, byte[] pem) throws GeneralSecurityException {
        Collection<? extends Certificate> read = CertificateFactory.getInstance("X.509")
                .generateCertificates(new java.io.ByteArrayInputStream(pem));
        if (read.isEmpty()) {
            throw new GeneralSecurityException(where + " holds no certificate");
        }
        return read.stream().map(X509Certificate.class::cast).toList();
    }

    static PrivateKey privateKey(String where, String pem) throws GeneralSecurityException {
        Matcher m = PKCS8.matcher(pem);
        if (!m.find()) {
            throw new GeneralSecurityException(where + " holds no PKCS#8 'BEGIN PRIVATE KEY' block (convert a PKCS#1 or "
                    + "SEC1 key with: openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8)");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(m.group(1)));
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException notThisOne) {
                // next algorithm
            }
        }
        throw new GeneralSecurityException(where + " is neither an RSA nor an EC PKCS#8 key");
    }

    /** Signs a challenge with the key and verifies it with the certificate's public key. */
    static void requireMatch(PrivateKey key, PublicKey certified, String where) throws GeneralSecurityException {
        if (!key.getAlgorithm().equals(certified.getAlgorithm())) {
            throw new GeneralSecurityException(where + " is an " + key.getAlgorithm() + " key but the certificate holds an "
                    + certified.getAlgorithm() + " key");
        }
        String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        byte[] challenge = "roentgen key check".getBytes(StandardCharsets.US_ASCII);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(challenge);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(certified);
        verifier.update(challenge);
        if (!verifier.verify(signature)) {
            throw new GeneralSecurityException(where + " does not belong to the certificate");
        }
    }
}
