package dev.gatehouse.testing;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/** Which Django, and with it which Python, Gunicorn and Uvicorn, a {@link DjangoApp} runs. */
public enum DjangoVersion {
  /** Debian's python3-django 3.2 with Debian's gunicorn and python3-uvicorn, on /usr/bin/python3. */
  DEBIAN_32("3.2"),
  /** Django 5.2 LTS with Gunicorn and Uvicorn from the venv (system property {@value #VENV_PROPERTY}). */
  VENV_52("5.2");

  /** System property naming the venv; default {@code <cwd>/.venv}. */
  public static final String VENV_PROPERTY = "gatehouse.venv";
  private static final Path DEBIAN_PYTHON = Paths.get("/usr/bin/python3");

  private final String majorMinor;

  DjangoVersion(String majorMinor) {
    this.majorMinor = majorMinor;
  }

  /** "3.2" or "5.2": what {@code django.VERSION[:2]} reports. */
  public String majorMinor() {
    return majorMinor;
  }

  /** The interpreter: {@code /usr/bin/python3} or {@code <venv>/bin/python}. */
  public Path python() {
    return this == DEBIAN_32 ? DEBIAN_PYTHON : venv().resolve("bin/python");
  }

  /** The command prefix that runs Gunicorn with this interpreter. */
  public List<String> gunicorn() {
    return List.of(python().toString(), "-m", "gunicorn");
  }

  /** The command prefix that runs Uvicorn with this interpreter. */
  public List<String> uvicorn() {
    return List.of(python().toString(), "-m", "uvicorn");
  }

  /** The venv holding Django 5.2: {@value #VENV_PROPERTY} or {@code <cwd>/.venv}. */
  public static Path venv() {
    return Paths.get(System.getProperty(VENV_PROPERTY, ".venv")).toAbsolutePath();
  }
}
