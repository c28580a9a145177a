package io.loyalflow.order;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import io.loyalflow.platform.web.FieldViolation;
import io.loyalflow.platform.web.JsonErrors;
import java.io.IOException;
import java.io.Reader;
import java.util.List;

/** Newline-delimited JSON: one order object per line; blank lines are skipped. */
class NdjsonOrderSource implements OrderSource {

  static final int MAX_LINE_CHARS = 1 << 20;
  private static final java.util.regex.Pattern ORDER_ID = java.util.regex.Pattern.compile(
      "\"orderId\"\\s*:\\s*\"([^\"]{1,100})\"");

  private final Reader reader;
  private final ObjectReader orders;
  private final char[] buffer = new char[64 * 1024];
  private final StringBuilder line = new StringBuilder(512);
  private int position;
  private int limit;
  private long lineNumber;
  private boolean eof;

  NdjsonOrderSource(Reader reader, ObjectReader orders) {
    this.reader = reader;
    this.orders = orders.forType(OrderRequest.class);
  }

  @Override
  public ImportLine next() throws IOException {
    while (true) {
      Boolean complete = readLine();
      if (complete == null) {
        return null;
      }
      lineNumber++;
      if (!complete) {
        return ImportLine.unreadable(lineNumber, null,
            List.of(new FieldViolation("", "line longer than " + MAX_LINE_CHARS + " characters")));
      }
      if (isBlank(line)) {
        continue;
      }
      String text = line.toString();
      try {
        return ImportLine.of(lineNumber, orders.readValue(text));
      } catch (JsonProcessingException e) {
        return ImportLine.unreadable(lineNumber, orderIdOf(text), List.of(JsonErrors.violation(e)));
      }
    }
  }

  /**
   * Reads the next line into {@link #line}: true when read whole, false when it was too long (its
   * excess skipped), null at the end of input.
   */
  private Boolean readLine() throws IOException {
    line.setLength(0);
    boolean sawAny = false;
    boolean tooLong = false;
    while (true) {
      if (position == limit) {
        if (eof) {
          return sawAny ? !tooLong : null;
        }
        limit = reader.read(buffer, 0, buffer.length);
        position = 0;
        if (limit <= 0) {
          limit = 0;
          eof = true;
          continue;
        }
      }
      sawAny = true;
      int start = position;
      while (position < limit && buffer[position] != '\n') {
        position++;
      }
      int end = position;
      boolean newline = position < limit;
      if (newline) {
        position++;
      }
      if (!tooLong) {
        if (line.length() + (end - start) > MAX_LINE_CHARS) {
          tooLong = true;
          line.setLength(0);
        } else {
          line.append(buffer, start, end - start);
        }
      }
      if (newline) {
        if (!tooLong && line.length() > 0 && line.charAt(line.length() - 1) == '\r') {
          line.setLength(line.length() - 1);
        }
        return !tooLong;
      }
    }
  }

  private static boolean isBlank(CharSequence text) {
    for (int i = 0; i < text.length(); i++) {
      if (!Character.isWhitespace(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  /** Best effort, so an error report can name the order even when its line is not valid. */
  private String orderIdOf(String text) {
    var matcher = ORDER_ID.matcher(text);
    return matcher.find() ? matcher.group(1) : null;
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
