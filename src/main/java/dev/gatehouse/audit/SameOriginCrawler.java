package dev.gatehouse.audit;

import dev.gatehouse.audit.html.HtmlDocument;
import dev.gatehouse.audit.html.HtmlTag;
import dev.gatehouse.audit.http.ProbeClient;
import dev.gatehouse.audit.http.ProbeRequest;
import dev.gatehouse.audit.http.ProbeResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Visits pages of one origin breadth-first from a start page, following {@code <a href>} links and same-origin
 * redirects, without cookies (what an anonymous visitor sees). Not thread-safe; one crawl per instance.
 */
final class SameOriginCrawler {
  /** Links to files that are not pages: fetching them would only spend the page budget. */
  private static final Pattern NOT_A_PAGE = Pattern.compile(
      "(?i).*\\.(css|js|mjs|png|jpe?g|gif|webp|svg|ico|pdf|zip|gz|tgz|mp4|webm|mp3|woff2?|ttf|eot|txt|xml|json)$");
  /** Never visited: an anonymous visitor has nothing to log out of, and a crawler should not try. */
  private static final Pattern AVOID = Pattern.compile("(?i).*/log-?out/?$");

  private final ProbeClient client;
  private final URI origin;
  private final int maxPages;

  SameOriginCrawler(ProbeClient client, URI start, int maxPages) {
    this.client = client;
    this.origin = URI.create(start.getScheme().toLowerCase(Locale.ROOT) + "://"
        + start.getHost().toLowerCase(Locale.ROOT) + ":" + ProbeClient.port(start) + "/");
    this.maxPages = maxPages;
  }

  /** The HTML pages received, in visiting order; pages that failed to load are left out. */
  List<ProbeResponse> crawl(URI start) {
    List<ProbeResponse> pages = new ArrayList<>();
    Deque<URI> queue = new ArrayDeque<>();
    Set<URI> seen = new HashSet<>();
    queue.add(withoutFragment(start));
    seen.add(withoutFragment(start));
    int requests = 0;
    while (!queue.isEmpty() && requests < maxPages) {
      URI next = queue.poll();
      requests++;
      ProbeResponse response;
      try {
        response = client.send(ProbeRequest.get(next));
      } catch (IOException e) {
        continue;
      }
      List<URI> links = new ArrayList<>();
      if (response.isRedirect()) {
        response.location().ifPresent(links::add);
      } else if (response.status() == 200 && response.isHtml()) {
        pages.add(response);
        for (HtmlTag anchor : HtmlDocument.parse(response.bodyText()).tags("a")) {
          anchor.attribute("href").flatMap(href -> resolve(next, href)).ifPresent(links::add);
        }
      }
      for (URI link : links) {
        URI clean = withoutFragment(link);
        if (isSameOrigin(clean) && !NOT_A_PAGE.matcher(clean.getPath()).matches()
            && !AVOID.matcher(clean.getPath()).matches() && seen.add(clean)) {
          queue.add(clean);
        }
      }
    }
    return pages;
  }

  private boolean isSameOrigin(URI uri) {
    return uri.getScheme() != null && uri.getHost() != null
        && uri.getScheme().equalsIgnoreCase(origin.getScheme())
        && uri.getHost().equalsIgnoreCase(origin.getHost())
        && ProbeClient.port(uri) == origin.getPort();
  }

  private static Optional<URI> resolve(URI page, String href) {
    try {
      return Optional.of(page.resolve(new URI(href.trim())));
    } catch (URISyntaxException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static URI withoutFragment(URI uri) {
    String text = uri.toString();
    int hash = text.indexOf('#');
    URI clean = hash < 0 ? uri : URI.create(text.substring(0, hash));
    return clean.getRawPath() == null || clean.getRawPath().isEmpty() ? clean.resolve("/") : clean;
  }
}
