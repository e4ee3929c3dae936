package io.crosszone.tasks.drill;

import io.crosszone.core.Progress;
import io.crosszone.k8s.KubernetesGateway;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Takes the zone offline as a {@link DrillPlan} says, recording each change in the lock before it
 * makes it, and undoes what a {@link DrillRecord} holds (idempotent: undoing what never happened
 * is harmless, so --recover and a shutdown hook may run it at any point).
 */
final class ZoneCut {
    static final ResourceDefinitionContext NETWORK_CHAOS = new ResourceDefinitionContext.Builder()
            .withGroup("chaos-mesh.org").withVersion("v1alpha1").withKind("NetworkChaos").withPlural("networkchaos")
            .withNamespaced(true).build();

    /** On a NetworkPolicy the lab enforces: how ({@code packet-drop} or {@code freeze}); its kubelet double sets it. */
    static final String LAB_NETWORK_MODEL = "lab.crosszone.io/network-model";

    private final KubernetesGateway k8s;
    private final String namespace;
    private final Progress progress;

    ZoneCut(KubernetesGateway k8s, String namespace, Progress progress) {
        this.k8s = k8s;
        this.namespace = namespace;
        this.progress = progress;
    }

    /**
     * Records everything the plan will change (one lock write), then makes the cut: cordons, cut
     * labels, NetworkPolicy, Chaos Mesh objects. The broker kills ({@link #killBrokers}) wait until
     * the cut is in effect ({@link CutCheck}), so that no member of the zone acts after t=0.
     */
    void inject(DrillPlan plan, DrillRecord record, Consumer<DrillRecord> recordInLock) {
        record.phase = DrillPhase.INJECTING;
        record.cordonedNodes.addAll(plan.nodesToCordon());
        if (!plan.podsToCut().isEmpty()) {
            record.cutLabel = DrillPlan.CUT_LABEL + "=" + plan.zone();
            record.cutPods.addAll(plan.podsToCut());
        }
        if (plan.networkPolicy() != null) {
            record.networkPolicies.add(plan.networkPolicy().getMetadata().getName());
        }
        plan.chaosObjects().forEach(o -> record.chaosObjects.add(o.getKind() + "/" + o.getMetadata().getName()));
        record.deletedPods.addAll(plan.brokerPodsToDelete());
        recordInLock.accept(record);

        for (String node : plan.nodesToCordon()) {
            k8s.setUnschedulable(node, true);
        }
        for (String pod : plan.podsToCut()) {
            k8s.labelPod(namespace, pod, DrillPlan.CUT_LABEL, plan.zone());
        }
        if (plan.networkPolicy() != null) {
            k8s.createNetworkPolicy(plan.networkPolicy());
        }
        for (GenericKubernetesResource o : plan.chaosObjects()) {
            k8s.createGeneric(NETWORK_CHAOS, o);
        }
        progress.info("zone " + plan.zone() + " is being cut off (" + plan.mode().flag() + "): cordoned " + plan.nodesToCordon()
                + (plan.podsToCut().isEmpty() ? "" : ", cut off " + plan.podsToCut())
                + (plan.chaosObjects().isEmpty() ? "" : ", " + plan.chaosObjects().size() + " NetworkChaos"));
    }

    /** {@code kill}: SIGKILLs the zone's brokers (zero-grace delete), once the cut is in effect. */
    void killBrokers(DrillPlan plan) {
        for (String pod : plan.brokerPodsToDelete()) {
            k8s.forceDeletePod(namespace, pod);
        }
        if (!plan.brokerPodsToDelete().isEmpty()) {
            progress.info("zone " + plan.zone() + ": killed " + plan.brokerPodsToDelete());
        }
    }

    /**
     * Undoes a record: removes the NetworkPolicies and Chaos Mesh objects (also any other left with
     * the drill's label), takes the cut label off every pod that carries it, uncordons the nodes.
     * Returns what it did.
     */
    List<String> undo(DrillRecord record, boolean chaosMeshServed) {
        List<String> done = new ArrayList<>();
        List<String> policies = new ArrayList<>(record == null ? List.of() : record.networkPolicies);
        if (record != null && record.zone != null) {
            k8s.networkPolicies(namespace, Map.of(DrillPlan.DRILL_LABEL, record.zone)).stream()
                    .map(NetworkPolicy::getMetadata).map(m -> m.getName()).filter(n -> !policies.contains(n)).forEach(policies::add);
        }
        for (String np : policies) {
            if (k8s.deleteNetworkPolicy(namespace, np)) {
                done.add("deleted NetworkPolicy " + np);
            }
        }
        if (record != null) {
            for (String o : record.chaosObjects) {
                String name = o.substring(o.indexOf('/') + 1);
                if (chaosMeshServed && k8s.deleteGeneric(NETWORK_CHAOS, namespace, name)) {
                    done.add("deleted " + o);
                }
            }
            if (record.cutLabel != null) {
                String value = record.cutLabel.substring(record.cutLabel.indexOf('=') + 1);
                for (Pod p : k8s.pods(namespace, Map.of(DrillPlan.CUT_LABEL, value))) {
                    k8s.unlabelPod(namespace, p.getMetadata().getName(), DrillPlan.CUT_LABEL);
                    done.add("unlabelled pod " + p.getMetadata().getName());
                }
            }
            for (String node : record.cordonedNodes) {
                if (k8s.node(node).map(n -> n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable()))
                        .orElse(false)) {
                    k8s.setUnschedulable(node, false);
                    done.add("uncordoned node " + node);
                }
            }
        }
        return done;
    }

    /**
     * How the plan's cut is enforced, for the report: the lab's network model when the lab enforces
     * the drill's NetworkPolicy (it annotates it), else the cluster's CNI, or Chaos Mesh.
     */
    String networkModel(DrillPlan plan) {
        if (plan.networkPolicy() == null) {
            return plan.chaosObjects().isEmpty() ? "none" : "chaos-mesh";
        }
        NetworkPolicy np = k8s.client().network().v1().networkPolicies().inNamespace(namespace)
                .withName(plan.networkPolicy().getMetadata().getName()).get();
        Map<String, String> a = np == null ? null : np.getMetadata().getAnnotations();
        String lab = a == null ? null : a.get(LAB_NETWORK_MODEL);
        return lab != null ? lab : "network-policy";
    }

    /** Every NetworkPolicy a drill left (any zone), by its label. */
    List<String> leftoverPolicies() {
        return k8s.client().network().v1().networkPolicies().inNamespace(namespace).withLabel(DrillPlan.DRILL_LABEL)
                .list().getItems().stream().map(np -> np.getMetadata().getName()).sorted().toList();
    }
}
