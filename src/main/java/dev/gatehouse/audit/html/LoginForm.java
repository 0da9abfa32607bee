package dev.gatehouse.audit.html;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A login form found on a page: the first {@code <form>} with a password field, its hidden fields (Django's
 * {@code csrfmiddlewaretoken}) and the names of its user and password fields.
 *
 * @param action where the form posts, resolved against the page (the page itself when the form has no action)
 * @param hiddenFields hidden inputs with their values
 * @param userField name of the text/email input before the password field ({@code username} in Django)
 * @param passwordField name of the password input
 */
public record LoginForm(URI action, Map<String, String> hiddenFields, String userField, String passwordField) {
  /** Django's form field for the CSRF token ({@code django.middleware.csrf}). */
  public static final String DJANGO_CSRF_FIELD = "csrfmiddlewaretoken";

  public LoginForm {
    hiddenFields = Map.copyOf(hiddenFields);
  }

  public static Optional<LoginForm> find(HtmlDocument page, URI pageUri) {
    List<HtmlTag> tags = page.tags();
    for (int i = 0; i < tags.size(); i++) {
      if (!tags.get(i).name().equals("form")) {
        continue;
      }
      Optional<LoginForm> form = read(tags, i, pageUri);
      if (form.isPresent()) {
        return form;
      }
    }
    return Optional.empty();
  }

  private static Optional<LoginForm> read(List<HtmlTag> tags, int formIndex, URI pageUri) {
    HtmlTag formTag = tags.get(formIndex);
    Map<String, String> hidden = new LinkedHashMap<>();
    String user = null;
    String password = null;
    for (int i = formIndex + 1; i < tags.size() && !tags.get(i).name().equals("form"); i++) {
      HtmlTag tag = tags.get(i);
      if (!tag.name().equals("input") || tag.attribute("name").isEmpty()) {
        continue;
      }
      String name = tag.attribute("name").get();
      String type = tag.attribute("type").orElse("text").toLowerCase(Locale.ROOT);
      switch (type) {
        case "hidden" -> hidden.putIfAbsent(name, tag.attribute("value").orElse(""));
        case "password" -> password = password == null ? name : password;
        case "text", "email" -> user = user == null && password == null ? name : user;
        default -> {
          // Buttons, checkboxes: a login POST does not need them.
        }
      }
    }
    if (password == null || user == null) {
      return Optional.empty();
    }
    String action = formTag.attribute("action").orElse("").trim();
    URI target;
    try {
      target = action.isEmpty() ? pageUri : pageUri.resolve(action);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return Optional.of(new LoginForm(target, hidden, user, password));
  }
}
