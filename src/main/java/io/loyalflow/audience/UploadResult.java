package io.loyalflow.audience;

/** What Meta counted of a batch: records received and records it could not use. */
record UploadResult(int received, int invalid) {}
