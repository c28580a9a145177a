package io.loyalflow.platform.web;

import java.io.IOException;

/** Raised while reading a request body that exceeds the configured limit. */
public class PayloadTooLargeException extends IOException {

  private final long limit;

  public PayloadTooLargeException(long limit) {
    super("Request body exceeds " + limit + " bytes");
    this.limit = limit;
  }

  public long limit() {
    return limit;
  }
}
