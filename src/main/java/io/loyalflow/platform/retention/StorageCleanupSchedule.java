package io.loyalflow.platform.retention;

import org.springframework.stereotype.Component;

/**
 * The schedule of the storage-cleanup process's timer start event ({@code ${storageCleanupSchedule.cycle}}):
 * {@code loyalflow.retention.cycle}, by default every day at 03:45 server time, after the nightly refit, segment
 * refresh and recommendation refresh. Read when the process is deployed: after changing it, redeploy the process.
 */
@Component("storageCleanupSchedule")
public class StorageCleanupSchedule {

    private final String cycle;

    StorageCleanupSchedule(RetentionProperties properties) {
        this.cycle = properties.cycle();
    }

    public String getCycle() {
        return cycle;
    }
}
