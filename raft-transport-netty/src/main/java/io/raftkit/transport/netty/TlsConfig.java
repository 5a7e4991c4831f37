package io.raftkit.transport.netty;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * Mutual TLS for a {@link NettyTransport}: every node presents its certificate and accepts only peers
 * whose certificate chains to the trusted certificates, in both directions. Uses the JDK's TLS provider.
 *
 * <p>Peers are authenticated by their chain alone: host names are not checked (members are configured
 * by address), and the certificate is not tied to a node id. Issue node certificates from a CA that
 * serves this one group.
 */
public final class TlsConfig {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SslContext server;
    private final SslContext client;

    private TlsConfig(SslContext server, SslContext client) {
        this.server = server;
        this.client = client;
    }

    /**
     * From PEM files: this node's certificate chain, its PKCS#8 private key (unencrypted), and the
     * certificates it trusts.
     *
     * @throws IllegalArgumentException when a file cannot be read or is not valid
     */
    public static TlsConfig fromPem(Path certificateChain, Path privateKey, Path trustedCertificates) {
        try {
            SslContext server = SslContextBuilder.forServer(certificateChain.toFile(), privateKey.toFile())
                    .trustManager(trustedCertificates.toFile())
                    .clientAuth(ClientAuth.REQUIRE).sslProvider(SslProvider.JDK).protocols(PROTOCOLS).build();
            SslContext client = SslContextBuilder.forClient()
                    .keyManager(certificateChain.toFile(), privateKey.toFile())
                    .trustManager(trustedCertificates.toFile())
                    .endpointIdentificationAlgorithm(null)
                    .sslProvider(SslProvider.JDK).protocols(PROTOCOLS).build();
            return new TlsConfig(server, client);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot load TLS material from PEM files " + certificateChain + ", "
                    + privateKey + ", " + trustedCertificates + ": " + e.getMessage(), e);
        }
    }

    /**
     * From Java keystores (PKCS#12 or JKS): one holding this node's key and certificate chain, whose key
     * is protected by the keystore password, and one holding the trusted certificates.
     *
     * @throws IllegalArgumentException when a store cannot be read or is not valid
     */
    public static TlsConfig fromKeyStore(Path keyStore, char[] keyStorePassword, Path trustStore,
                                         char[] trustStorePassword) {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(load(keyStore, keyStorePassword), keyStorePassword);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(load(trustStore, trustStorePassword));
            SslContext server = SslContextBuilder.forServer(keys).trustManager(trust)
                    .clientAuth(ClientAuth.REQUIRE).sslProvider(SslProvider.JDK).protocols(PROTOCOLS).build();
            SslContext client = SslContextBuilder.forClient().keyManager(keys).trustManager(trust)
                    .endpointIdentificationAlgorithm(null)
                    .sslProvider(SslProvider.JDK).protocols(PROTOCOLS).build();
            return new TlsConfig(server, client);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("cannot load TLS material from keystores " + keyStore + ", "
                    + trustStore + ": " + e.getMessage(), e);
        }
    }

    SslContext serverContext() {
        return server;
    }

    SslContext clientContext() {
        return client;
    }

    private static KeyStore load(Path path, char[] password) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(path.toFile(), password);
        try (InputStream in = Files.newInputStream(path)) {
            store.load(in, password);
        }
        return store;
    }
}
