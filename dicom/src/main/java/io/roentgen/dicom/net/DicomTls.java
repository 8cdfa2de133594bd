package io.roentgen.dicom.net;

import java.io.IOException;
import java.net.Socket;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * DICOM TLS (PS3.15 Annex B.1, the Basic TLS Secure Transport Connection Profile, with the TLS
 * versions of B.9's BCP 195 profiles): a TCP connection becomes a TLS 1.2 or 1.3 connection
 * before the first PDU, the DICOM protocol then runs unchanged inside it.
 *
 * <p>The context is asked for per connection, so a caller that reloads certificates (the server
 * does) hands out the new identity to the next handshake without a restart.
 *
 * @param contexts the TLS context for the next connection (key managers: our identity; trust
 *     managers: the CAs whose peer certificates we accept)
 * @param needClientAuth as the acceptor, refuse a peer without a certificate issued by a trusted CA (mutual TLS)
 */
public record DicomTls(Supplier<SSLContext> contexts, boolean needClientAuth) {
    /** TLS 1.3 and 1.2 only: older versions are deprecated by BCP 195 (RFC 8996). */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    /**
     * The accepted connection as the TLS server side; the handshake runs on the first read, in
     * the association's thread and under its ARTIM deadline, so a peer that never completes it
     * holds no acceptor.
     */
    Socket accept(Socket plain) throws IOException {
        SSLSocket tls = (SSLSocket) contexts.get().getSocketFactory()
                .createSocket(plain, plain.getInetAddress().getHostAddress(), plain.getPort(), true);
        tls.setUseClientMode(false);
        tls.setEnabledProtocols(PROTOCOLS);
        tls.setNeedClientAuth(needClientAuth);
        return tls;
    }

    /**
     * The connected socket as the TLS client side of {@code host}; the handshake runs now, so a
     * refused certificate fails the connect. The server's name is checked against its certificate
     * (HTTPS rules, RFC 2818), as PS3.15 B.1 leaves to the implementation.
     */
    Socket connect(Socket plain, String host) throws IOException {
        SSLSocket tls = (SSLSocket) contexts.get().getSocketFactory().createSocket(plain, host, plain.getPort(), true);
        tls.setUseClientMode(true);
        SSLParameters parameters = tls.getSSLParameters();
        parameters.setProtocols(PROTOCOLS);
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        tls.setSSLParameters(parameters);
        tls.startHandshake();
        return tls;
    }
}
