package io.loyalflow.order;

import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.util.zip.ZipException;

/**
 * The import's body broke off or turned unreadable part-way: a truncated gzip stream, bytes that are
 * not UTF-8 in a CSV file, a lost connection. Carries the report of what was stored before, which the
 * caller must hear about: those orders are on record, and sending the whole file again completes the
 * import (they count as unchanged).
 */
class UnreadableImportException extends IOException {

    private final transient ImportReport report;

    public UnreadableImportException(ImportReport report, IOException cause) {
        super("the body could not be read after " + report.orders() + " orders: " + describe(cause), cause);
        this.report = report;
    }

    public ImportReport report() {
        return report;
    }

    /** What went wrong, in words a client developer can act on. */
    public static String describe(IOException cause) {
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (cause instanceof CharacterCodingException) {
            return "the body is not UTF-8 text (" + message + ")";
        }
        if (cause instanceof ZipException || cause instanceof EOFException) {
            return "the gzip data is broken or cut off (" + message + ")";
        }
        return message;
    }
}
