package io.loyalflow.order;

import io.loyalflow.platform.problem.FieldViolation;
import io.loyalflow.platform.web.ApiProblemException;
import io.loyalflow.platform.web.ProblemTypes;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/api/imports")
@Tag(name = "Imports", description = "Bulk import of orders, streamed")
class OrderImportController {

    static final String NDJSON = "application/x-ndjson";

    private final OrderImporter importer;

    OrderImportController(OrderImporter importer) {
        this.importer = importer;
    }

    @PostMapping(
            value = "/orders",
            consumes = {NDJSON, "text/csv"})
    @Operation(
            summary = "Import many orders from NDJSON or CSV",
            description = "The body is read as a stream (any size; gzip with Content-Encoding: gzip). Valid orders are "
                    + "stored in chunks; the answer counts accepted and rejected orders and lists the first errors with their "
                    + "line numbers. Sending the same file again is safe.")
    @RequestBody(
            required = true,
            content = {
                @Content(
                        mediaType = NDJSON,
                        schema =
                                @Schema(
                                        type = "string",
                                        description = "one order per line, each as for POST /api/orders"),
                        examples =
                                @ExampleObject(
                                        value = "{\"orderId\":\"o-1\",\"customerId\":\"c-1\","
                                                + "\"placedAt\":\"2026-11-20T17:30:00Z\",\"amount\":12.50,\"currency\":\"USD\","
                                                + "\"items\":[{\"sku\":\"A\",\"quantity\":1,\"unitPrice\":12.50}]}")),
                @Content(
                        mediaType = "text/csv",
                        schema =
                                @Schema(
                                        type = "string",
                                        description =
                                                "header orderId,customerId,placedAt,amount,currency[,sku,quantity,unitPrice]; "
                                                        + "one row per order line, the rows of one order consecutive"),
                        examples =
                                @ExampleObject(
                                        value = "orderId,customerId,placedAt,amount,currency,sku,quantity,unitPrice\n"
                                                + "o-1,c-1,2026-11-20T17:30:00Z,12.50,USD,A,1,12.50"))
            })
    ImportReport importOrders(HttpServletRequest request) throws IOException {
        OrderImporter.Format format = MediaType.parseMediaType(request.getContentType())
                        .isCompatibleWith(MediaType.parseMediaType("text/csv"))
                ? OrderImporter.Format.CSV
                : OrderImporter.Format.NDJSON;
        InputStream body = new BufferedInputStream(request.getInputStream(), 64 * 1024);
        String encoding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
        if (encoding != null && !encoding.isBlank() && !encoding.equalsIgnoreCase("identity")) {
            if (!encoding.trim().toLowerCase(Locale.ROOT).equals("gzip")) {
                throw new ApiProblemException(
                        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                        ProblemTypes.UNSUPPORTED_MEDIA_TYPE,
                        "Content-Encoding " + encoding + " is not accepted; send gzip or no encoding.",
                        List.of());
            }
            try {
                body = new GZIPInputStream(body, 64 * 1024);
            } catch (IOException notGzip) {
                throw new ApiProblemException(
                        HttpStatus.BAD_REQUEST,
                        ProblemTypes.MALFORMED_REQUEST,
                        "The body is not gzip data although Content-Encoding says gzip (" + notGzip.getMessage()
                                + "); nothing was stored. Send it compressed, or without Content-Encoding.",
                        List.of(new FieldViolation(
                                HttpHeaders.CONTENT_ENCODING, "gzip, but the body is not gzip data")));
            }
        }
        try {
            return importer.importOrders(body, format);
        } catch (UnreadableImportException e) {
            throw unreadable(e);
        }
    }

    /**
     * A body that breaks off part-way is the caller's fault (400), but orders before the break are on
     * record: the problem says how many, with the usual import answer under {@code report}.
     */
    private static ApiProblemException unreadable(UnreadableImportException e) {
        ImportReport stored = e.report();
        String why = UnreadableImportException.describe((IOException) e.getCause());
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("report", stored);
        return new ApiProblemException(
                HttpStatus.BAD_REQUEST,
                ProblemTypes.MALFORMED_REQUEST,
                "The body could not be read after " + stored.orders() + " orders: " + why + ". Stored before that: "
                        + stored.accepted() + " orders (" + stored.created() + " new, " + stored.unchanged()
                        + " unchanged), "
                        + stored.rejected() + " rejected; nothing after it. Send the whole file again to complete the "
                        + "import: orders already stored count as unchanged.",
                List.of(new FieldViolation("body", why)),
                properties);
    }
}
