package dev.vigil.inputs;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The server certificate of a TLS listener: a PKCS12 keystore holding one private key and its chain.
 *
 * @param keystore the PKCS12 file
 * @param password the keystore's password, also the key's (as {@code keytool} makes them)
 */
public record TlsConfig(Path keystore, String password) {
    public TlsConfig {
        requireNonNull(keystore, "keystore");
        requireNonNull(password, "password");
    }

    /** A TLS 1.2/1.3 server context with this keystore's key. */
    SSLContext serverContext() throws IOException {
        try (InputStream in = Files.newInputStream(keystore)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, password.toCharArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use keystore " + keystore + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "TlsConfig[keystore=" + keystore + "]";
    }
}
