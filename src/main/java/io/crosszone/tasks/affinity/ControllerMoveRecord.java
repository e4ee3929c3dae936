package io.crosszone.tasks.affinity;

import com.fasterxml.jackson.core.type.TypeReference;
import io.crosszone.core.Json;
import io.crosszone.core.RuntimeFailure;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.rocketmq.SyncStateSet;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a controller move needs if the run is cut off after the controller's claim was replaced:
 * the groups read before (each one's ids, addresses, SyncStateSet and epochs), written to a
 * ConfigMap before the claim goes and deleted once the new, empty controller is re-seeded. A run
 * killed in between (SIGKILL, a lost laptop) leaves an empty controller that nothing else could
 * re-seed; the next apply-affinity finds the record and finishes the move (SigkillLabTest).
 */
final class ControllerMoveRecord {
    /** One per namespace: a namespace holds one RocketMQ deployment's controller; RBAC grants delete on this name only. */
    static final String NAME = "crosszone-controller-move";
    static final String KEY = "controller-metadata.json";
    private static final Map<String, String> LABELS = Map.of("app.kubernetes.io/managed-by", "crosszone");

    private ControllerMoveRecord() {
    }

    static void write(KubernetesGateway k8s, String ns, Map<String, SyncStateSet> groups) {
        String json = Json.write(groups);
        if (k8s.configMap(ns, NAME).isPresent()) {
            k8s.mergeConfigMapData(ns, NAME, Map.of(KEY, json));
        } else {
            k8s.createConfigMap(ns, NAME, LABELS, Map.of(KEY, json));
        }
    }

    /** The groups a cut-off controller move recorded, if there is such a record. */
    static Optional<Map<String, SyncStateSet>> read(KubernetesGateway k8s, String ns) {
        return k8s.configMap(ns, NAME).map(cm -> cm.getData() == null ? null : cm.getData().get(KEY)).map(json -> {
            try {
                return Json.MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, SyncStateSet>>() { });
            } catch (IOException e) {
                throw new RuntimeFailure("ConfigMap " + ns + "/" + NAME + " (a controller move cut off on the way) is unreadable: "
                        + e.getMessage() + "; re-seed the controller with reseed-controller --known-state from a verify report");
            }
        });
    }

    static void delete(KubernetesGateway k8s, String ns) {
        k8s.deleteConfigMap(ns, NAME);
    }
}
