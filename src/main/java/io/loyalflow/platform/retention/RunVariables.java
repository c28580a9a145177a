package io.loyalflow.platform.retention;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** A storage-cleanup run's state as text variables Cockpit shows, and back. */
final class RunVariables {

    static StorageCleanup.Run read(Instant startedAt, String finished, String deleted, Integer batches) {
        Set<String> done = new LinkedHashSet<>();
        if (finished != null && !finished.isBlank()) {
            done.addAll(Arrays.asList(finished.split(",")));
        }
        Map<String, Long> rows = new TreeMap<>();
        if (deleted != null && !deleted.isBlank()) {
            for (String entry : deleted.split(", ")) {
                int equals = entry.indexOf('=');
                rows.put(entry.substring(0, equals), Long.parseLong(entry.substring(equals + 1)));
            }
        }
        return new StorageCleanup.Run(startedAt, done, rows, batches == null ? 0 : batches);
    }

    static String deleted(StorageCleanup.Run run) {
        return run.deleted().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private RunVariables() {}
}
