package io.loyalflow.order;

import io.loyalflow.platform.web.ApiProblemException;
import io.loyalflow.platform.web.ProblemTypes;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
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

  @PostMapping(value = "/orders", consumes = {NDJSON, "text/csv"})
  @Operation(summary = "Import many orders from NDJSON or CSV",
      description = "The body is read as a stream (any size; gzip with Content-Encoding: gzip). Valid orders are "
          + "stored in chunks; the answer counts accepted and rejected orders and lists the first errors with their "
          + "line numbers. Sending the same file again is safe.")
  ImportReport importOrders(HttpServletRequest request) throws IOException {
    OrderImporter.Format format = MediaType.parseMediaType(request.getContentType()).isCompatibleWith(
        MediaType.parseMediaType("text/csv")) ? OrderImporter.Format.CSV : OrderImporter.Format.NDJSON;
    InputStream body = new BufferedInputStream(request.getInputStream(), 64 * 1024);
    String encoding = request.getHeader(HttpHeaders.CONTENT_ENCODING);
    if (encoding != null && !encoding.isBlank() && !encoding.equalsIgnoreCase("identity")) {
      if (!encoding.trim().toLowerCase(Locale.ROOT).equals("gzip")) {
        throw new ApiProblemException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, ProblemTypes.UNSUPPORTED_MEDIA_TYPE,
            "Content-Encoding " + encoding + " is not accepted; send gzip or no encoding.", List.of());
      }
      body = new GZIPInputStream(body, 64 * 1024);
    }
    return importer.importOrders(new InputStreamReader(body, StandardCharsets.UTF_8), format);
  }
}
