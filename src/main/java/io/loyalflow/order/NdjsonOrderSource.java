package io.loyalflow.order;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectReader;
import io.loyalflow.platform.problem.FieldViolation;
import io.loyalflow.platform.web.JsonErrors;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Newline-delimited JSON: one order object per line; blank lines are skipped. Lines are split on
 * bytes (a newline byte never occurs inside a UTF-8 character) and each is decoded on its own, so a
 * line that is not valid UTF-8 is refused with its number, never stored with U+FFFD in its place,
 * and the lines after it are read as usual.
 */
class NdjsonOrderSource implements OrderSource {

    static final int MAX_LINE_BYTES = 1 << 20;
    private static final Pattern ORDER_ID = Pattern.compile("\"orderId\"\\s*:\\s*\"([^\"]{1,100})\"");

    private final InputStream input;
    private final ObjectReader orders;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] buffer = new byte[64 * 1024];
    private byte[] line = new byte[512];
    private int lineLength;
    private int position;
    private int limit;
    private long lineNumber;
    private boolean eof;

    NdjsonOrderSource(InputStream input, ObjectReader orders) {
        this.input = input;
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
                return ImportLine.unreadable(
                        lineNumber,
                        null,
                        List.of(new FieldViolation("", "line longer than " + MAX_LINE_BYTES + " bytes")));
            }
            CharBuffer decoded = CharBuffer.allocate(lineLength);
            ByteBuffer bytes = ByteBuffer.wrap(line, 0, lineLength);
            utf8.reset();
            CoderResult result = utf8.decode(bytes, decoded, true);
            if (!result.isError()) {
                result = utf8.flush(decoded);
            }
            if (result.isError()) {
                return ImportLine.unreadable(
                        lineNumber,
                        null,
                        List.of(new FieldViolation(
                                "",
                                "not valid UTF-8 (byte " + (bytes.position() + 1)
                                        + " of the line); nothing of this line was stored")));
            }
            String text = decoded.flip().toString();
            if (text.isBlank()) {
                continue;
            }
            try {
                return ImportLine.of(lineNumber, orders.readValue(text));
            } catch (JsonProcessingException e) {
                return ImportLine.unreadable(lineNumber, orderIdOf(text), List.of(JsonErrors.violation(e)));
            }
        }
    }

    /**
     * Reads the next line's bytes into {@link #line}: true when read whole, false when it was too long
     * (its excess skipped), null at the end of input. A final carriage return is dropped (CRLF files).
     */
    private Boolean readLine() throws IOException {
        lineLength = 0;
        boolean sawAny = false;
        boolean tooLong = false;
        while (true) {
            if (position == limit) {
                if (eof) {
                    return sawAny ? !tooLong : null;
                }
                limit = input.read(buffer, 0, buffer.length);
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
                if (lineLength + (end - start) > MAX_LINE_BYTES) {
                    tooLong = true;
                    lineLength = 0;
                } else {
                    append(start, end - start);
                }
            }
            if (newline) {
                if (!tooLong && lineLength > 0 && line[lineLength - 1] == '\r') {
                    lineLength--;
                }
                return !tooLong;
            }
        }
    }

    private void append(int start, int length) {
        if (lineLength + length > line.length) {
            line = Arrays.copyOf(line, Math.min(MAX_LINE_BYTES, Math.max(line.length * 2, lineLength + length)));
        }
        System.arraycopy(buffer, start, line, lineLength, length);
        lineLength += length;
    }

    /** Best effort, so an error report can name the order even when its line is not valid. */
    private String orderIdOf(String text) {
        var matcher = ORDER_ID.matcher(text);
        return matcher.find() ? matcher.group(1) : null;
    }

    @Override
    public void close() throws IOException {
        input.close();
    }
}
