package dev.gatehouse.audit.html;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

class HtmlDocumentTest {
  @Test
  void readsAttributesInEveryQuotingStyleAndDecodesReferences() {
    HtmlDocument page = HtmlDocument.parse("<IMG SRC='http://a.test/x.png?a=1&amp;b=2' alt=\"x\" width=10 hidden>");

    HtmlTag img = page.tags("img").get(0);
    assertThat(img.attribute("src")).contains("http://a.test/x.png?a=1&b=2");
    assertThat(img.attribute("width")).contains("10");
    assertThat(img.attribute("hidden")).contains("");
    assertThat(img.source()).startsWith("<IMG SRC=");
  }

  @Test
  void skipsCommentsAndScriptTextButKeepsStyleText() {
    HtmlDocument page = HtmlDocument.parse("<!-- <img src=http://c.test/> -->\n<script>var s = '<iframe src=x>';"
        + "</script>\n<style>a { background: url(http://s.test/b.png) }</style>\n<p class=x>");

    assertThat(page.tags()).extracting(HtmlTag::name).containsExactly("script", "style", "p");
    assertThat(page.styleBlocks()).containsExactly("a { background: url(http://s.test/b.png) }");
    assertThat(page.tags("p").get(0).line()).isEqualTo(4);
  }

  @Test
  void neverFailsOnBrokenMarkup() {
    assertThat(HtmlDocument.parse("<a href=\"unterminated <b").tags()).hasSize(1);
    assertThat(HtmlDocument.parse("< 3 <").tags()).isEmpty();
    assertThat(HtmlDocument.parse("<a =x href=y>").tags("a").get(0).attribute("href")).contains("y");
  }

  @Test
  void findsDjangosLoginFormWithItsCsrfToken() {
    String html = "<form method=\"post\" action=\"/admin/login/?next=/admin/\" id=\"login-form\">"
        + "<input type=\"hidden\" name=\"csrfmiddlewaretoken\" value=\"tok\">"
        + "<input type=\"text\" name=\"username\" autofocus required>"
        + "<input type=\"password\" name=\"password\" required>"
        + "<input type=\"hidden\" name=\"next\" value=\"/admin/\"><input type=\"submit\" value=\"Log in\"></form>";

    LoginForm form = LoginForm.find(HtmlDocument.parse(html), URI.create("https://s.test/admin/login/"))
        .orElseThrow();

    assertThat(form.action()).isEqualTo(URI.create("https://s.test/admin/login/?next=/admin/"));
    assertThat(form.hiddenFields()).containsEntry(LoginForm.DJANGO_CSRF_FIELD, "tok").containsEntry("next", "/admin/");
    assertThat(form.userField()).isEqualTo("username");
    assertThat(form.passwordField()).isEqualTo("password");
  }

  @Test
  void aFormWithoutPasswordIsNoLoginForm() {
    assertThat(LoginForm.find(HtmlDocument.parse("<form><input name=q></form>"), URI.create("https://s.test/")))
        .isEmpty();
  }

  @Test
  void cssUrlsAndImportsAreFound() {
    assertThat(CssUrls.in("@import url(\"http://a.test/x.css\"); @import 'http://b.test/y.css';"
        + " b { background: url( http://c.test/z.png ) }"))
        .containsExactly(new CssUrls.CssUrl("http://a.test/x.css", true),
            new CssUrls.CssUrl("http://c.test/z.png", false),
            new CssUrls.CssUrl("http://b.test/y.css", true));
  }
}
