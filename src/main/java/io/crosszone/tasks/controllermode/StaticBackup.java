package io.crosszone.tasks.controllermode;

import io.crosszone.core.Json;
import io.crosszone.core.RuntimeFailure;
import io.crosszone.k8s.KubernetesGateway;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a backup of objects about to be deleted, to the report directory (one JSON file per
 * object) and to a ConfigMap in the namespace (one key per object), before anything is deleted.
 * A re-run adds keys to the ConfigMap and never removes the earlier ones, so the backup of an
 * object deleted by an interrupted run survives.
 */
public final class StaticBackup {
    /** A ConfigMap holds at most 1 MiB; stay clear of it. */
    static final int MAX_BYTES = 900 * 1024;

    private StaticBackup() {
    }

    public static String configMapName(String brokerCr) {
        return "crosszone-static-backup-" + brokerCr;
    }

    /** {@code <Kind>.<name>.json} per object, managedFields left out. Pure. */
    public static Map<String, String> entries(List<? extends HasMetadata> objects) {
        Map<String, String> out = new LinkedHashMap<>();
        for (HasMetadata o : objects) {
            Map<String, Object> tree = Json.MAPPER.convertValue(o, Map.class);
            Object meta = tree.get("metadata");
            if (meta instanceof Map<?, ?> m) {
                m.remove("managedFields");
            }
            out.put(o.getKind() + "." + o.getMetadata().getName() + ".json", Json.write(tree));
        }
        return out;
    }

    /** Writes both copies; throws (and so stops the deletion) when either cannot be written. */
    public static void write(KubernetesGateway k8s, String namespace, String brokerCr, Path reportDir,
                             Map<String, String> entries) {
        int size = entries.values().stream().mapToInt(String::length).sum();
        if (size > MAX_BYTES) {
            throw new RuntimeFailure("the backup is " + size + " bytes, too big for a ConfigMap: nothing was deleted");
        }
        Path dir = reportDir.resolve("static-backup-" + brokerCr);
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, String> e : entries.entrySet()) {
                Files.writeString(dir.resolve(e.getKey()), e.getValue());
            }
        } catch (IOException e) {
            throw new RuntimeFailure("cannot write the backup to " + dir + ": " + e.getMessage() + "; nothing was deleted", e);
        }
        String name = configMapName(brokerCr);
        if (k8s.configMap(namespace, name).isPresent()) {
            k8s.mergeConfigMapData(namespace, name, entries);
        } else {
            k8s.createConfigMap(namespace, name, Map.of("app.kubernetes.io/managed-by", "crosszone",
                    "crosszone.io/backup-of", brokerCr), entries);
        }
    }
}
