package io.loyalflow.audience;

/** Where a batch stands in a replace session: Meta swaps the audience's members when the last batch arrives. */
record ReplaceBatch(long sessionId, int batchSeq, boolean lastBatch, long estimatedTotal) {

    ReplaceBatch {
        if (batchSeq < 1) {
            throw new IllegalArgumentException("batchSeq starts at 1, got " + batchSeq);
        }
        if (estimatedTotal < 0) {
            throw new IllegalArgumentException("estimatedTotal must not be negative, got " + estimatedTotal);
        }
    }
}
