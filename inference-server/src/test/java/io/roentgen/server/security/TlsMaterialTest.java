package io.roentgen.server.security;

import io.roentgen.server.testing.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PEM pairs that load, and the ones refused before they could break handshakes, each with a message that says why. */
class TlsMaterialTest {
    @TempDir
    Path dir;

    @Test
    void loadsRsaAndEcPairsAndRefusesAKeyOfAnotherCertificate() throws Exception {
        TestPki.Identity ca = TestPki.ca("Material CA");
        TestPki.Identity ec = TestPki.server(ca, "ec", false);
        TestPki.Identity otherEc = TestPki.server(ca, "other-ec", false);
        TestPki.Identity rsa = TestPki.server(ca, "rsa", true);
        TestPki.writePem(ec, dir.resolve("ec.pem"), dir.resolve("ec.key"));
        TestPki.writePem(otherEc, dir.resolve("other.pem"), dir.resolve("other.key"));
        TestPki.writePem(rsa, dir.resolve("rsa.pem"), dir.resolve("rsa.key"));
        assertEquals(1, TlsMaterial.keyStore(TlsSettings.pem(dir.resolve("ec.pem"), dir.resolve("ec.key"), null)).size());
        assertEquals(1, TlsMaterial.keyStore(TlsSettings.pem(dir.resolve("rsa.pem"), dir.resolve("rsa.key"), null)).size());
        GeneralSecurityException mismatch = assertThrows(GeneralSecurityException.class,
                () -> TlsMaterial.keyStore(TlsSettings.pem(dir.resolve("ec.pem"), dir.resolve("other.key"), null)));
        assertTrue(mismatch.getMessage().contains("does not belong to the certificate"), mismatch.getMessage());
        GeneralSecurityException kind = assertThrows(GeneralSecurityException.class,
                () -> TlsMaterial.keyStore(TlsSettings.pem(dir.resolve("ec.pem"), dir.resolve("rsa.key"), null)));
        assertTrue(kind.getMessage().contains("is an RSA key but the certificate holds an EC key"), kind.getMessage());
    }

    @Test
    void aPkcs1KeyIsRefusedWithTheConversionCommand() throws Exception {
        Path pkcs1 = Files.writeString(dir.resolve("old.key"), "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----\n");
        GeneralSecurityException refused = assertThrows(GeneralSecurityException.class,
                () -> TlsMaterial.privateKey(pkcs1.toString(), Files.readString(pkcs1)));
        assertTrue(refused.getMessage().contains("openssl pkcs8 -topk8"), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TlsSettings(null, dir.resolve("k"), null, null, null, 1000));
    }
}
