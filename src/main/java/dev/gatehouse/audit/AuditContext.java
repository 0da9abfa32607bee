package dev.gatehouse.audit;

import dev.gatehouse.audit.html.HtmlDocument;
import dev.gatehouse.audit.html.LoginForm;
import dev.gatehouse.audit.http.CookieJar;
import dev.gatehouse.audit.http.HeaderFields;
import dev.gatehouse.audit.http.ProbeClient;
import dev.gatehouse.audit.http.ProbeRequest;
import dev.gatehouse.audit.http.ProbeResponse;
import dev.gatehouse.audit.http.RedirectChain;
import dev.gatehouse.audit.http.TlsSessionInfo;
import dev.gatehouse.audit.tls.CertificateNames;
import dev.gatehouse.audit.tls.ChainVerifier;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Everything the checks share about one deployment: the options, the client, and what several checks need,
 * fetched once on first use (the TLS session, the start page, the plain-HTTP entry, the login page, the crawl,
 * the scheme the app believes in). Not thread-safe: checks run one after another.
 */
public final class AuditContext {
  /** Path requested on the plain-HTTP port; its query shows whether a redirect keeps path and query. */
  static final String HTTP_PROBE_QUERY = "gatehouse-audit=redirect-probe";

  private final AuditOptions options;
  private final ProbeClient client;
  private final InetAddress address;
  private final TlsSessionInfo tlsSession;
  private final Clock clock;
  private final List<ProbeResponse> responses;

  private RedirectChain startPage;
  private RedirectChain httpEntry;
  private Optional<LoginPage> loginPage;
  private ProbeResponse loginPageResponse;
  private SchemeVerdict appScheme;
  private List<ProbeResponse> crawledPages;
  private Optional<ProbeResponse> credentialLogin;

  AuditContext(AuditOptions options, ProbeClient client, List<ProbeResponse> responses, InetAddress address,
      TlsSessionInfo tlsSession, Clock clock) {
    this.options = options;
    this.client = client;
    this.responses = responses;
    this.address = address;
    this.tlsSession = tlsSession;
    this.clock = clock;
  }

  public AuditOptions options() {
    return options;
  }

  public ProbeClient client() {
    return client;
  }

  public String host() {
    return options.host();
  }

  /** The address the host resolved to (a {@code --resolve} override or DNS). */
  public InetAddress address() {
    return address;
  }

  public Instant now() {
    return clock.instant();
  }

  /** {@code host} or {@code host:port}, as the HTTPS {@code Host} field and origins carry it. */
  public String httpsAuthority() {
    return options.httpsPort() == 443 ? host() : host() + ":" + options.httpsPort();
  }

  /** {@code https://host[:port]}. */
  public String httpsOrigin() {
    return "https://" + httpsAuthority();
  }

  public URI httpsUri(String pathAndQuery) {
    return URI.create(httpsOrigin() + pathAndQuery);
  }

  public URI httpUri(String pathAndQuery) {
    String authority = options.httpPort() == 80 ? host() : host() + ":" + options.httpPort();
    return URI.create("http://" + authority + pathAndQuery);
  }

  /** Path and query of the start URL, e.g. {@code /} or {@code /shop/?q=1}. */
  public String startPathAndQuery() {
    URI url = options.url();
    return url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
  }

  /** The handshake made before the checks ran: JDK default versions, ALPN {@code h2, http/1.1}. */
  public TlsSessionInfo tlsSession() {
    return tlsSession;
  }

  /**
   * Whether a browser would accept the certificate now: the chain leads to a trusted root and names the host.
   * Credentials are sent only when it does.
   */
  public boolean certificateAcceptable() {
    return new ChainVerifier(options.trust()).problem(tlsSession.chain(), now()).isEmpty()
        && CertificateNames.covers(tlsSession.leaf(), host());
  }

  /** The start URL followed over HTTPS, redirect by redirect. */
  public RedirectChain startPage() {
    if (startPage == null) {
      startPage = client.follow(ProbeRequest.get(options.url()));
    }
    return startPage;
  }

  /** The final response of {@link #startPage()}, when the chain arrived at a non-redirect. */
  public Optional<ProbeResponse> landingPage() {
    RedirectChain chain = startPage();
    return chain.ending() == RedirectChain.Ending.ARRIVED ? chain.last() : Optional.empty();
  }

  /** The start path with {@link #HTTP_PROBE_QUERY}, requested on the plain-HTTP port and followed. */
  public RedirectChain httpEntry() {
    if (httpEntry == null) {
      httpEntry = client.follow(ProbeRequest.get(httpUri(httpProbePathAndQuery())));
    }
    return httpEntry;
  }

  /** What {@link #httpEntry()} requests: the start path and query plus {@link #HTTP_PROBE_QUERY}. */
  public String httpProbePathAndQuery() {
    URI url = options.url();
    String query = url.getRawQuery() == null ? HTTP_PROBE_QUERY : url.getRawQuery() + "&" + HTTP_PROBE_QUERY;
    return url.getRawPath() + "?" + query;
  }

  /** The login page ({@code --login-path}) over HTTPS, when it answers 200 with a login form. */
  public Optional<LoginPage> loginPage() throws IOException {
    if (loginPage == null) {
      ProbeResponse response = client.send(ProbeRequest.get(httpsUri(options.loginPath())));
      loginPageResponse = response;
      CookieJar cookies = new CookieJar();
      cookies.update(response);
      Optional<LoginForm> form = response.status() == 200
          ? LoginForm.find(HtmlDocument.parse(response.bodyText()), response.uri())
          : Optional.empty();
      loginPage = form.map(f -> new LoginPage(response, cookies, f));
    }
    return loginPage;
  }

  /**
   * Why {@link #loginPage()} is empty, for reports: what the login path answered, e.g.
   * {@code "no login form at /admin/login/ (GET answered 404)"}.
   */
  public String noLoginFormReason() throws IOException {
    loginPage();
    String answer = loginPageResponse.status() == 200 ? "a page without a login form"
        : loginPageResponse.describe("Location");
    return "no login form at " + options.loginPath() + " (GET answered " + answer + "; use --login-path)";
  }

  /**
   * Submits the login form with an invented user and no password, as a browser on this site would, with the
   * {@code Origin}/{@code Referer} scheme given (see {@link LoginFormPost#build}).
   */
  public ProbeResponse postWithoutCredentials(LoginPage page, String originScheme, boolean sendReferer,
      HeaderFields extra) throws IOException {
    return client.send(LoginFormPost.build(page, httpsAuthority(), originScheme, sendReferer, true, null, extra));
  }

  /** {@link #appScheme(HeaderFields)} without extra header fields, computed once. */
  public SchemeVerdict appScheme() throws IOException {
    if (appScheme == null) {
      appScheme = appScheme(HeaderFields.of());
    }
    return appScheme;
  }

  /**
   * Which scheme the app believes an HTTPS request has, read from Django's CSRF check: a login POST over HTTPS
   * whose {@code Origin} and {@code Referer} say {@code http://} passes only when the app thinks the request is
   * plain HTTP (Django compares {@code Origin} with {@code scheme://host} since 4.0; before, it checks
   * {@code Referer} only on requests it sees as secure). A second POST without the CSRF token confirms that the
   * form enforces CSRF at all.
   *
   * @param extra header fields to add, e.g. a client-sent {@code X-Forwarded-Proto}
   */
  public SchemeVerdict appScheme(HeaderFields extra) throws IOException {
    Optional<LoginPage> page = loginPage();
    if (page.isEmpty()) {
      return SchemeVerdict.UNKNOWN;
    }
    ProbeResponse asHttp = postWithoutCredentials(page.get(), "http", true, extra);
    FormPostOutcome outcome = FormPostOutcome.of(asHttp);
    if (outcome == FormPostOutcome.CSRF_REJECTED) {
      return SchemeVerdict.HTTPS;
    }
    if (outcome == FormPostOutcome.OTHER) {
      return SchemeVerdict.UNKNOWN;
    }
    ProbeResponse withoutToken = client.send(
        LoginFormPost.build(page.get(), httpsAuthority(), "https", true, false, null, extra));
    return FormPostOutcome.of(withoutToken) == FormPostOutcome.CSRF_REJECTED ? SchemeVerdict.HTTP
        : SchemeVerdict.UNKNOWN;
  }

  /**
   * Logs in with {@code --login} credentials, once: the response to the POST. Empty without credentials, without
   * a login form, or when the certificate is not acceptable (credentials are never sent then).
   */
  public Optional<ProbeResponse> credentialLogin() throws IOException {
    if (credentialLogin == null) {
      credentialLogin = Optional.empty();
      Optional<LoginCredentials> credentials = options.login();
      Optional<LoginPage> page = loginPage();
      if (credentials.isPresent() && page.isPresent() && certificateAcceptable()) {
        credentialLogin = Optional.of(client.send(LoginFormPost.build(page.get(), httpsAuthority(), "https",
            true, true, credentials.get(), HeaderFields.of())));
      }
    }
    return credentialLogin;
  }

  /** The HTML pages of the crawl ({@code --crawl} pages from the landing page), fetched once. */
  public List<ProbeResponse> crawledPages() {
    if (crawledPages == null) {
      Optional<ProbeResponse> landing = landingPage();
      crawledPages = options.crawlPages() == 0 || landing.isEmpty() ? List.of()
          : new SameOriginCrawler(client, landing.get().uri(), options.crawlPages()).crawl(landing.get().uri());
    }
    return crawledPages;
  }

  /** Every response received so far, in order (the record the cookie check reads). */
  public List<ProbeResponse> responsesSoFar() {
    return Collections.unmodifiableList(new ArrayList<>(responses));
  }
}
