package io.loyalflow.order;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NdjsonOrderSourceTest {

    private static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private static String order(String id) {
        return "{\"orderId\":\"" + id + "\",\"customerId\":\"c\",\"placedAt\":\"2026-01-01T00:00:00Z\","
                + "\"amount\":1,\"currency\":\"USD\"}";
    }

    private static List<ImportLine> read(String input) throws IOException {
        List<ImportLine> lines = new ArrayList<>();
        try (var source = new NdjsonOrderSource(
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), JSON.reader())) {
            for (ImportLine line = source.next(); line != null; line = source.next()) {
                lines.add(line);
            }
        }
        return lines;
    }

    @Test
    void aTooLongLineIsReportedAndTheNextLineStillReadWithItsNumber() throws IOException {
        String huge = "{\"orderId\":\"x\",\"pad\":\"" + "p".repeat(NdjsonOrderSource.MAX_LINE_BYTES) + "\"}";
        List<ImportLine> lines = read(order("a") + "\n" + huge + "\n" + order("b") + "\n");
        assertThat(lines).extracting(ImportLine::line).containsExactly(1L, 2L, 3L);
        assertThat(lines.get(1).order()).isNull();
        assertThat(lines.get(1).errors().get(0).message()).contains("longer than");
        assertThat(lines.get(2).order().orderId()).isEqualTo("b");
    }

    @Test
    void crlfBlankLinesAndAMissingFinalNewlineAreFine() throws IOException {
        List<ImportLine> lines = read(order("a") + "\r\n\r\n   \n" + order("b"));
        assertThat(lines).extracting(ImportLine::line).containsExactly(1L, 4L);
        assertThat(lines).extracting(line -> line.order().orderId()).containsExactly("a", "b");
    }

    @Test
    void aLineThatIsNotUtf8IsRefusedByItsNumberAndTheNextLinesAreRead() throws IOException {
        byte[] a = (order("a") + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] broken = "{\"orderId\":\"b\u00ff\"}\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] c = (order("c") + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] input = new byte[a.length + broken.length + c.length];
        System.arraycopy(a, 0, input, 0, a.length);
        System.arraycopy(broken, 0, input, a.length, broken.length);
        System.arraycopy(c, 0, input, a.length + broken.length, c.length);
        List<ImportLine> lines = new ArrayList<>();
        try (var source = new NdjsonOrderSource(new ByteArrayInputStream(input), JSON.reader())) {
            for (ImportLine line = source.next(); line != null; line = source.next()) {
                lines.add(line);
            }
        }
        assertThat(lines).extracting(ImportLine::line).containsExactly(1L, 2L, 3L);
        assertThat(lines.get(1).order()).isNull();
        assertThat(lines.get(1).errors().get(0).message())
                .contains("not valid UTF-8")
                .contains("byte 14");
        assertThat(lines.get(2).order().orderId()).isEqualTo("c");
    }

    @Test
    void anUnreadableLineKeepsItsOrderIdForTheReport() throws IOException {
        List<ImportLine> lines = read("{\"orderId\": \"o-7\", \"amount\": }\n");
        assertThat(lines.get(0).orderId()).isEqualTo("o-7");
        assertThat(lines.get(0).errors()).hasSize(1);
    }
}
