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
 * the URL the app answers, the scheme the app believes in). Not thread-safe: checks run one after another.
 */
public final class AuditContext {
  /** Path requested on the plain-HTTP port; its query shows whether a redirect keeps path and query. */
  static final String HTTP_PROBE_QUERY = "gatehouse-audit=redirect-probe";
  /** First segment of the random paths that look for an answer from the app; server logs show who asked. */
  static final String RANDOM_PATH_PREFIX = "gatehouse-audit-";

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
  private AppUrl appUrl;

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

  /**
   * The login page over HTTPS: {@code --login-path} when it answers 200 with a login form, else the first page of
   * the crawl that has one (an app mounted under a sub-path has its login page there).
   */
  public Optional<LoginPage> loginPage() throws IOException {
    if (loginPage == null) {
      ProbeResponse response = client.send(ProbeRequest.get(httpsUri(options.loginPath())));
      loginPageResponse = response;
      loginPage = loginPageOn(response);
      if (loginPage.isEmpty()) {
        loginPage = crawledPages().stream().map(AuditContext::loginPageOn).flatMap(Optional::stream).findFirst();
      }
    }
    return loginPage;
  }

  private static Optional<LoginPage> loginPageOn(ProbeResponse response) {
    CookieJar cookies = new CookieJar();
    cookies.update(response);
    Optional<LoginForm> form = response.status() == 200
        ? LoginForm.find(HtmlDocument.parse(response.bodyText()), response.uri())
        : Optional.empty();
    return form.map(f -> new LoginPage(response, cookies, f));
  }

  /** What {@code --login-path} answered to a GET over HTTPS (a login page, a redirect, a 404). */
  public ProbeResponse loginPathResponse() throws IOException {
    loginPage();
    return loginPageResponse;
  }

  /** The {@code --login-path} URL when the login page was found there, else the page of the crawl that has it. */
  public URI loginUri() throws IOException {
    return loginPage().map(p -> p.response().uri()).orElse(httpsUri(options.loginPath()));
  }

  /**
   * Why {@link #loginPage()} is empty, for reports: what the login path answered and how many pages of the crawl
   * had none, e.g. {@code "no login form at /admin/login/ (GET answered 404) nor on the 3 page(s) of the crawl"}.
   */
  public String noLoginFormReason() throws IOException {
    loginPage();
    String answer = loginPageResponse.status() == 200 ? "a page without a login form"
        : AppEvidence.redirectsToItself(loginPageResponse)
            ? loginPageResponse.status() + " to the same URL, a redirect loop: see redirect-loop"
            : loginPageResponse.describe("Location");
    return "no login form at " + options.loginPath() + " (GET answered " + answer + ") nor on the "
        + crawledPages().size() + " page(s) of the crawl; use --login-path";
  }

  /**
   * Submits the login form with an invented user and no password, with the {@code Origin} and {@code Referer}
   * given (see {@link LoginFormPost#build}).
   */
  public ProbeResponse postWithoutCredentials(LoginPage page, ReferrerPolicies.SameOriginPost browser,
      HeaderFields extra) throws IOException {
    return client.send(LoginFormPost.build(page, browser.origin(), browser.referer(), true, null, extra));
  }

  /**
   * What a browser sends with the login form's POST: its {@code Origin} and {@code Referer} as the referrer
   * policy of the login page makes them ({@link ReferrerPolicies#sameOriginPost}).
   */
  public ReferrerPolicies.SameOriginPost browserPost(LoginPage page, Optional<String> policy) {
    return ReferrerPolicies.sameOriginPost(policy, httpsOrigin(), LoginFormPost.pageUrl(page, httpsOrigin()));
  }

  /** {@link #browserPost} for a page that sends full referrers, as most do and as Django's default policy does. */
  public ReferrerPolicies.SameOriginPost browserPost(LoginPage page) {
    return browserPost(page, Optional.of("same-origin"));
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
    String httpOrigin = "http://" + httpsAuthority();
    ProbeResponse asHttp = postWithoutCredentials(page.get(), new ReferrerPolicies.SameOriginPost(httpOrigin,
        Optional.of(LoginFormPost.pageUrl(page.get(), httpOrigin))), extra);
    FormPostOutcome outcome = FormPostOutcome.of(asHttp);
    if (outcome == FormPostOutcome.CSRF_REJECTED) {
      return SchemeVerdict.HTTPS;
    }
    if (outcome == FormPostOutcome.OTHER) {
      return SchemeVerdict.UNKNOWN;
    }
    ReferrerPolicies.SameOriginPost browser = browserPost(page.get());
    ProbeResponse withoutToken = client.send(
        LoginFormPost.build(page.get(), browser.origin(), browser.referer(), false, null, extra));
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
        ReferrerPolicies.SameOriginPost browser = browserPost(page.get());
        credentialLogin = Optional.of(client.send(LoginFormPost.build(page.get(), browser.origin(),
            browser.referer(), true, credentials.get(), HeaderFields.of())));
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

  /**
   * A URL the app answers, found once, for the probes that must reach the app. Tried in order, the first whose
   * answer shows the app ({@link AppEvidence}) wins: the page the start URL arrives at, the login path, the login
   * page and the other pages of the crawl, then a random path under the start URL's directory and under {@code /}
   * (it falls through to the app where the proxy sends every unknown path there, and Django answers its 404).
   * When none shows the app, the start URL, said so in {@link AppUrl#evidence()}.
   */
  public AppUrl appUrl() throws IOException {
    if (appUrl == null) {
      appUrl = findAppUrl();
    }
    return appUrl;
  }

  private AppUrl findAppUrl() throws IOException {
    Optional<ProbeResponse> start = startPage().last();
    Optional<String> startEvidence = start.flatMap(AppEvidence::of);
    if (startEvidence.isPresent()) {
      return AppUrl.answeredBy(start.get(), "the start URL", startEvidence.get());
    }
    Optional<LoginPage> login = loginPage();
    Optional<String> loginPathEvidence = AppEvidence.of(loginPageResponse);
    if (loginPathEvidence.isPresent()) {
      return AppUrl.answeredBy(loginPageResponse, "the login path", loginPathEvidence.get());
    }
    if (login.isPresent()) {
      return AppUrl.answeredBy(login.get().response(), "the login page found by the crawl", "has a login form");
    }
    for (ProbeResponse page : crawledPages()) {
      Optional<String> evidence = AppEvidence.of(page);
      if (evidence.isPresent()) {
        return AppUrl.answeredBy(page, "a page of the crawl", evidence.get());
      }
    }
    for (String directory : randomPathDirectories()) {
      ProbeResponse random = client.send(ProbeRequest.get(httpsUri(directory + RANDOM_PATH_PREFIX
          + ProbeTokens.hex(6) + "/")));
      Optional<String> evidence = AppEvidence.of(random);
      if (evidence.isPresent()) {
        return AppUrl.answeredBy(random, "a random path under " + directory, evidence.get());
      }
    }
    return new AppUrl(options.url(), "the start URL", Optional.empty(), Optional.empty());
  }

  /** The start URL's directory, then {@code /}. */
  private List<String> randomPathDirectories() {
    String path = options.url().getRawPath();
    String directory = path.substring(0, path.lastIndexOf('/') + 1);
    return directory.equals("/") ? List.of("/") : List.of(directory, "/");
  }

  /**
   * Where probes that compare the app's answers go: the page the start URL arrives at (what the user pointed the
   * audit at) and {@link #appUrl()} when that is another URL.
   */
  public List<URI> appProbeTargets() throws IOException {
    URI start = startPage().last().map(ProbeResponse::uri).orElse(options.url());
    URI app = appUrl().uri();
    return ProbeClient.normalize(start).equals(ProbeClient.normalize(app)) ? List.of(app) : List.of(start, app);
  }

  /** Every response received so far, in order (the record the cookie check reads). */
  public List<ProbeResponse> responsesSoFar() {
    return Collections.unmodifiableList(new ArrayList<>(responses));
  }
}
