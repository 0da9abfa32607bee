package dev.gatehouse.proxy;

/** A request body grew past {@code --max-body} while Gatehouse buffered it; {@link ErrorPages} makes it 413. */
final class BodyTooLargeException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  BodyTooLargeException(long maxBodyBytes) {
    super("request body over " + maxBodyBytes + " bytes", null, false, false);
  }
}
