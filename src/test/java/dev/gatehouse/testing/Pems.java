package dev.gatehouse.testing;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemGenerationException;

/** Reading and writing PEM, trust built from PEM files, and the certificate a server presents. */
public final class Pems {

  /** Bound on connecting and handshaking when inspecting a server. */
  public static final int HANDSHAKE_TIMEOUT_MILLIS = 10_000;

  private Pems() {}

  /** Every certificate in a PEM file, in file order. */
  public static List<X509Certificate> readCertificates(Path pem) {
    try (var in = Files.newInputStream(pem)) {
      List<X509Certificate> all = new ArrayList<>();
      CertificateFactory.getInstance("X.509").generateCertificates(in)
          .forEach(c -> all.add((X509Certificate) c));
      if (all.isEmpty()) {
        throw new IllegalArgumentException(pem + ": no certificate in it");
      }
      return all;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + pem, e);
    } catch (CertificateException e) {
      throw new IllegalArgumentException(pem + ": not a PEM certificate file: " + e.getMessage(), e);
    }
  }

  /** The first certificate in a PEM file. */
  public static X509Certificate readCertificate(Path pem) {
    return readCertificates(pem).get(0);
  }

  /** A private key from PEM: PKCS#8, or the traditional RSA/EC forms. */
  public static PrivateKey readPrivateKey(Path pem) {
    try (Reader reader = Files.newBufferedReader(pem, StandardCharsets.US_ASCII);
        PEMParser parser = new PEMParser(reader)) {
      Object object = parser.readObject();
      JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
      if (object instanceof PEMKeyPair pair) {
        return converter.getKeyPair(pair).getPrivate();
      }
      if (object instanceof PrivateKeyInfo info) {
        return converter.getPrivateKey(info);
      }
      throw new IllegalArgumentException(pem + ": no unencrypted private key in it");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + pem, e);
    }
  }

  /** PEM text of a certificate. */
  public static String toPem(X509Certificate certificate) {
    return writePem(certificate);
  }

  /** PEM text of a private key in PKCS#8 ({@code BEGIN PRIVATE KEY}), the form Netty and Go both read. */
  public static String toPem(PrivateKey key) {
    try {
      return writePem(new JcaPKCS8Generator(key, null));
    } catch (PemGenerationException e) {
      throw new IllegalStateException("cannot encode a " + key.getAlgorithm() + " key as PKCS#8", e);
    }
  }

  private static String writePem(Object object) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
      writer.writeObject(object);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Lower-case hex serial without leading zeros, as Pebble's {@code /cert-status-by-serial/} takes it. */
  public static String serialHex(X509Certificate certificate) {
    return certificate.getSerialNumber().toString(16).toLowerCase(Locale.ROOT);
  }

  /** An SSLContext that trusts exactly the certificates in these PEM files (and nothing of the JDK's). */
  public static SSLContext trusting(Path... trustPems) {
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Path pem : trustPems) {
        for (X509Certificate certificate : readCertificates(pem)) {
          store.setCertificateEntry("trusted-" + i++, certificate);
        }
      }
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, factory.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot build trust from " + Arrays.toString(trustPems), e);
    }
  }

  /**
   * The chain a TLS server on 127.0.0.1:{@code port} presents for SNI {@code sni} ({@code null}:
   * no SNI), offering the given ALPN protocols. It inspects without judging: the chain is
   * returned whether or not anyone trusts it, and no application data is sent.
   */
  public static List<X509Certificate> presentedChain(int port, String sni, String... alpn) {
    RecordingTrustManager recorder = new RecordingTrustManager();
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {recorder}, null);
      try (Socket plain = new Socket()) {
        plain.connect(new InetSocketAddress("127.0.0.1", port), HANDSHAKE_TIMEOUT_MILLIS);
        plain.setSoTimeout(HANDSHAKE_TIMEOUT_MILLIS);
        try (SSLSocket tls = (SSLSocket) context.getSocketFactory()
            .createSocket(plain, "127.0.0.1", port, false)) {
          SSLParameters parameters = tls.getSSLParameters();
          parameters.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
          if (alpn.length > 0) {
            parameters.setApplicationProtocols(alpn);
          }
          tls.setSSLParameters(parameters);
          tls.startHandshake();
        }
      }
      return recorder.chain;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException("TLS handshake with 127.0.0.1:" + port + " (SNI " + sni + ") failed", e);
    }
  }

  /** The leaf certificate a server presents for {@code sni}. */
  public static X509Certificate presentedCertificate(int port, String sni) {
    return presentedChain(port, sni).get(0);
  }

  /** The serial of the leaf certificate a server presents for {@code sni}. */
  public static BigInteger presentedSerial(int port, String sni) {
    return presentedCertificate(port, sni).getSerialNumber();
  }

  /** Accepts any server chain and keeps it: for inspection only, never for sending data. */
  private static final class RecordingTrustManager implements X509TrustManager {
    private volatile List<X509Certificate> chain = List.of();

    @Override
    public void checkClientTrusted(X509Certificate[] certificates, String authType) {
      throw new UnsupportedOperationException("client side only");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certificates, String authType) {
      chain = List.of(certificates);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }
}
