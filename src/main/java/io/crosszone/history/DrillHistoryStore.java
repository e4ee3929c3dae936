package io.crosszone.history;

import io.crosszone.report.metrics.DrillSummary;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The drill history in its ConfigMap. An append reads the ConfigMap and writes it back with the
 * resourceVersion it read (PUT): when another writer came between, the API server answers 409 and
 * the append starts again from a fresh read, so no drill is lost when two race (the drill's Lease
 * already keeps them apart; this does not rely on it). Needs get, create and update on that one
 * ConfigMap.
 */
public final class DrillHistoryStore {
    static final int ATTEMPTS = 5;
    private final KubernetesClient client;
    private final String namespace;

    public DrillHistoryStore(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
    }

    /** The recorded drills, oldest first; empty when none was recorded. */
    public List<DrillSummary> read() {
        ConfigMap cm = client.configMaps().inNamespace(namespace).withName(DrillHistory.CONFIG_MAP).get();
        return cm == null || cm.getData() == null ? List.of() : DrillHistory.fromJson(cm.getData().get(DrillHistory.KEY));
    }

    /** Appends a drill, keeping the newest {@code size}; returns the history as written. */
    public List<DrillSummary> append(DrillSummary drill, int size) {
        KubernetesClientException last = null;
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            ConfigMap cm = client.configMaps().inNamespace(namespace).withName(DrillHistory.CONFIG_MAP).get();
            List<DrillSummary> before = cm == null || cm.getData() == null ? List.of()
                    : DrillHistory.fromJson(cm.getData().get(DrillHistory.KEY));
            List<DrillSummary> after = DrillHistory.append(before, drill, size);
            try {
                if (cm == null) {
                    client.configMaps().inNamespace(namespace).resource(new ConfigMapBuilder()
                            .withNewMetadata().withName(DrillHistory.CONFIG_MAP).withNamespace(namespace)
                            .addToLabels("app.kubernetes.io/managed-by", "crosszone").endMetadata()
                            .addToData(DrillHistory.KEY, DrillHistory.toJson(after)).build()).create();
                } else {
                    Map<String, String> data = cm.getData() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(cm.getData());
                    data.put(DrillHistory.KEY, DrillHistory.toJson(after));
                    cm.setData(data);
                    // cm carries the resourceVersion it was read with: a write in between makes this a 409
                    client.configMaps().inNamespace(namespace).resource(cm).update();
                }
                return after;
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                last = e; // created or updated by someone else since our read: read again
            }
        }
        throw new IllegalStateException("the ConfigMap " + namespace + "/" + DrillHistory.CONFIG_MAP + " kept changing under "
                + ATTEMPTS + " attempts to append a drill: " + last.getMessage(), last);
    }
}
