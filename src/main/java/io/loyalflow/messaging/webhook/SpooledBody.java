package io.loyalflow.messaging.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A webhook body kept until its signature is verified: in memory up to {@link #IN_MEMORY} bytes, in a
 * temporary file beyond. Anyone may post a webhook body as large as the limit allows, many at once;
 * the heap holds only a small part of each, whatever the body turns out to be. Close it to delete the file.
 */
final class SpooledBody implements Closeable {

    /** Twilio's callbacks and most of SendGrid's batches fit; a full batch (about 768 KB) goes to disk. */
    static final int IN_MEMORY = 256 * 1024;

    private ByteArrayOutputStream memory = new ByteArrayOutputStream(8192);
    private Path file;
    private OutputStream fileOut;

    void write(byte[] bytes, int offset, int length) throws IOException {
        if (file == null && memory.size() + length <= IN_MEMORY) {
            memory.write(bytes, offset, length);
            return;
        }
        if (file == null) {
            file = Files.createTempFile("loyalflow-webhook-", ".body");
            fileOut = new BufferedOutputStream(Files.newOutputStream(file));
            memory.writeTo(fileOut);
            memory = null;
        }
        fileOut.write(bytes, offset, length);
    }

    /** The body as JSON; null when it is empty. */
    JsonNode parse(ObjectMapper objectMapper) throws IOException {
        if (file == null) {
            return memory.size() == 0 ? null : objectMapper.readTree(memory.toByteArray());
        }
        fileOut.close();
        try (InputStream in = Files.newInputStream(file)) {
            return objectMapper.readTree(in);
        }
    }

    @Override
    public void close() throws IOException {
        if (file != null) {
            try {
                fileOut.close();
            } finally {
                Files.deleteIfExists(file);
            }
        }
    }
}
