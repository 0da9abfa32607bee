package dev.gatehouse.audit;

import java.util.Objects;

/**
 * A real account for the login probe ({@code --login user:PASS_ENV_VAR}). The password never appears in
 * {@link #toString()}, reports or logs.
 */
public record LoginCredentials(String username, String password) {
  public LoginCredentials {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  @Override
  public String toString() {
    return "LoginCredentials[username=" + username + ", password=(hidden)]";
  }
}
