package io.crosszone.tasks.reseed;

import com.fasterxml.jackson.core.type.TypeReference;
import io.crosszone.config.ConfigException;
import io.crosszone.core.Json;
import io.crosszone.rocketmq.SyncStateSet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The last known state of the controller's metadata that matters for a re-seed: each group's ids,
 * addresses, SyncStateSet and epochs, as failover-drill writes it before a cut
 * ({@code controller-metadata-before-cut-<zone>.json}) and verify-distribution on every run
 * ({@code controller-metadata.json} in its report dir). Read and checked before anything else.
 */
public final class KnownState {
    private KnownState() {
    }

    public static Map<String, SyncStateSet> read(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ConfigException("--known-state " + file + ": no readable file there");
        }
        Map<String, SyncStateSet> groups;
        try {
            groups = Json.MAPPER.readValue(Files.readString(file), new TypeReference<LinkedHashMap<String, SyncStateSet>>() { });
        } catch (IOException | RuntimeException e) {
            throw new ConfigException("--known-state " + file + ": not a controller metadata record (group -> SyncStateSet,"
                    + " as verify-distribution writes in controller-metadata.json): " + firstLine(e.getMessage()));
        }
        if (groups == null || groups.isEmpty()) {
            throw new ConfigException("--known-state " + file + ": holds no group");
        }
        groups.forEach((name, s) -> {
            if (s == null || s.inSync() == null || s.inSync().isEmpty() || !name.equals(s.group())) {
                throw new ConfigException("--known-state " + file + ": group '" + name + "' has no SyncStateSet members"
                        + " (or names another group)");
            }
        });
        return groups;
    }

    private static String firstLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("");
    }
}
