package dev.gatehouse.audit.check;

import dev.gatehouse.audit.AuditCheck;
import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.audit.CheckResult;
import dev.gatehouse.audit.Finding;
import dev.gatehouse.audit.Severity;
import dev.gatehouse.audit.html.CssUrls;
import dev.gatehouse.audit.html.HtmlDocument;
import dev.gatehouse.audit.html.HtmlTag;
import dev.gatehouse.audit.http.ProbeResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * HTTPS pages must not load anything over {@code http://}. W3C Mixed Content §3: "blockable" content
 * (scripts, style sheets, frames, plugins, fonts) is blocked by browsers and breaks the page: an error;
 * "upgradeable" content (images, audio, video) is upgraded or shown with a warning: a warning. A form that posts
 * to {@code http://} sends what users type in the clear: an error.
 */
public final class MixedContentCheck implements AuditCheck {
  private enum Kind { BLOCKABLE, UPGRADEABLE, INSECURE_FORM }

  /** Element → attributes holding a URL the page loads, with what browsers do (Mixed Content §3.1, §3.2). */
  private static final Map<String, Map<String, Kind>> LOADED_URLS = Map.ofEntries(
      Map.entry("script", Map.of("src", Kind.BLOCKABLE)),
      Map.entry("iframe", Map.of("src", Kind.BLOCKABLE)),
      Map.entry("frame", Map.of("src", Kind.BLOCKABLE)),
      Map.entry("object", Map.of("data", Kind.BLOCKABLE)),
      Map.entry("embed", Map.of("src", Kind.BLOCKABLE)),
      Map.entry("img", Map.of("src", Kind.UPGRADEABLE, "srcset", Kind.UPGRADEABLE)),
      Map.entry("source", Map.of("src", Kind.UPGRADEABLE, "srcset", Kind.UPGRADEABLE)),
      Map.entry("audio", Map.of("src", Kind.UPGRADEABLE)),
      Map.entry("video", Map.of("src", Kind.UPGRADEABLE, "poster", Kind.UPGRADEABLE)),
      Map.entry("track", Map.of("src", Kind.BLOCKABLE)),
      Map.entry("form", Map.of("action", Kind.INSECURE_FORM)),
      Map.entry("button", Map.of("formaction", Kind.INSECURE_FORM)),
      Map.entry("input", Map.of("src", Kind.UPGRADEABLE, "formaction", Kind.INSECURE_FORM)));

  /** {@code <link rel>} values whose {@code href} the page loads (HTML §4.6.7); others are just links. */
  private static final Set<String> LOADING_LINK_RELS = Set.of("stylesheet", "preload", "modulepreload",
      "prefetch", "manifest", "icon", "apple-touch-icon");

  private static final String FIX = "Use https:// (or a relative URL) in the template or the stored content; "
      + "for third-party assets check they are served over HTTPS. Stopgap: Content-Security-Policy: "
      + "upgrade-insecure-requests (nginx: add_header Content-Security-Policy upgrade-insecure-requests always;). "
      + "Django: STATIC_URL and MEDIA_URL must not start with http://.";

  @Override
  public String id() {
    return "mixed-content";
  }

  @Override
  public String description() {
    return "crawled HTTPS pages load nothing over http:// (scripts, styles, images, frames, forms, CSS url())";
  }

  @Override
  public CheckResult run(AuditContext context) {
    if (context.options().crawlPages() == 0) {
      return CheckResult.skipped(this, "--crawl 0");
    }
    List<ProbeResponse> pages = context.crawledPages();
    if (pages.isEmpty()) {
      return CheckResult.skipped(this, "no HTML page could be fetched from " + context.options().url());
    }
    List<Finding> findings = new ArrayList<>();
    for (ProbeResponse page : pages) {
      scan(page, findings);
    }
    if (findings.isEmpty()) {
      findings.add(finding(Severity.OK, context.options().url(),
          "No http:// resources on " + pages.size() + " page(s) crawled.", "", ""));
    }
    return CheckResult.of(this, findings);
  }

  private void scan(ProbeResponse page, List<Finding> findings) {
    HtmlDocument document = HtmlDocument.parse(page.bodyText());
    for (HtmlTag tag : document.tags()) {
      Map<String, Kind> attributes = LOADED_URLS.get(tag.name());
      if (attributes != null) {
        attributes.forEach((attribute, kind) -> tag.attribute(attribute).ifPresent(value -> {
          List<String> urls = attribute.equals("srcset") ? srcsetUrls(value) : List.of(value);
          urls.stream().filter(MixedContentCheck::isInsecure).findFirst()
              .ifPresent(url -> findings.add(report(page, tag, kind, url)));
        }));
      }
      if (tag.name().equals("link")) {
        Optional<String> href = tag.attribute("href").filter(MixedContentCheck::isInsecure);
        String rel = tag.attribute("rel").orElse("").toLowerCase(Locale.ROOT);
        boolean loads = List.of(rel.split("\\s+")).stream().anyMatch(LOADING_LINK_RELS::contains);
        if (href.isPresent() && loads) {
          Kind kind = rel.contains("icon") ? Kind.UPGRADEABLE : Kind.BLOCKABLE;
          findings.add(report(page, tag, kind, href.get()));
        }
      }
      tag.attribute("style").ifPresent(css -> scanCss(page, css, "style attribute of " + tag.source()
          + " (line " + tag.line() + ")", findings));
    }
    for (String style : document.styleBlocks()) {
      scanCss(page, style, "<style> element", findings);
    }
  }

  private void scanCss(ProbeResponse page, String css, String where, List<Finding> findings) {
    for (CssUrls.CssUrl url : CssUrls.in(css)) {
      if (isInsecure(url.url())) {
        Severity severity = url.imported() ? Severity.ERROR : Severity.WARNING;
        findings.add(finding(severity, page.uri(),
            (url.imported() ? "A style sheet is imported" : "CSS loads url()") + " over http://: " + url.url(),
            where, FIX));
      }
    }
  }

  private Finding report(ProbeResponse page, HtmlTag tag, Kind kind, String url) {
    String observed = tag.source() + " (line " + tag.line() + ")";
    return switch (kind) {
      case BLOCKABLE -> finding(Severity.ERROR, page.uri(),
          "<" + tag.name() + "> loads " + url + " over http://; browsers block it and the page breaks.",
          observed, FIX);
      case UPGRADEABLE -> finding(Severity.WARNING, page.uri(),
          "<" + tag.name() + "> loads " + url + " over http://; browsers upgrade or flag it as not secure.",
          observed, FIX);
      case INSECURE_FORM -> finding(Severity.ERROR, page.uri(),
          "<" + tag.name() + "> submits to " + url + ": what users type is sent unencrypted.", observed, FIX);
    };
  }

  private static boolean isInsecure(String url) {
    return url.trim().toLowerCase(Locale.ROOT).startsWith("http://");
  }

  /** The URLs of a {@code srcset} (HTML §4.8.4.2.1): comma-separated, each URL followed by a descriptor. */
  static List<String> srcsetUrls(String srcset) {
    List<String> urls = new ArrayList<>();
    for (String candidate : srcset.split(",(?=\\s*\\S)")) {
      String trimmed = candidate.trim();
      if (!trimmed.isEmpty()) {
        urls.add(trimmed.split("\\s+")[0]);
      }
    }
    return urls;
  }
}
