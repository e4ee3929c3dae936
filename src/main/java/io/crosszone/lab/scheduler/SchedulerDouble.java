package io.crosszone.lab.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Stands in for kube-scheduler in the lab and in tests, where the Kubernetes API is the fabric8
 * mock server and nothing binds pods. Every {@code period} it binds each unbound pod of
 * {@code namespace}, one at a time so that each decision sees the previous one, by the rules of
 * {@link PodPlacement}; a pod that fits nowhere stays Pending with a PodScheduled=False condition
 * saying why, as kube-scheduler reports it. Binding sets {@code spec.nodeName} directly (the mock
 * has no binding subresource). Volumes: {@link VolumeBinder} (claims bound at the first pod's
 * scheduling, zonal or network as {@link LabStorage} says).
 */
public final class SchedulerDouble implements AutoCloseable {
    private final KubernetesClient client;
    private final String namespace;
    private final ScheduledExecutorService loop;
    private final Consumer<String> log;
    private final VolumeBinder volumes;

    public SchedulerDouble(KubernetesClient client, String namespace, long periodMillis, Consumer<String> log) {
        this(client, namespace, periodMillis, log, LabStorage.NETWORK);
    }

    public SchedulerDouble(KubernetesClient client, String namespace, long periodMillis, Consumer<String> log,
                           LabStorage storage) {
        this.volumes = new VolumeBinder(client, namespace, storage);
        this.client = client;
        this.namespace = namespace;
        this.log = log;
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "scheduler-double");
            t.setDaemon(true);
            return t;
        });
        // the first pass waits one period, so a caller may run schedulePending() itself first
        loop.scheduleWithFixedDelay(this::safePass, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    private void safePass() {
        try {
            schedulePending();
        } catch (KubernetesClientException e) {
            log.accept("scheduler: " + e.getMessage());
        } catch (RuntimeException e) {
            log.accept("scheduler: " + e);
        }
    }

    /** One pass: binds what fits, marks what does not. Returns the pods bound in this pass. */
    public synchronized List<String> schedulePending() {
        List<Node> nodes = client.nodes().list().getItems();
        List<Pod> all = new ArrayList<>(client.pods().inNamespace(namespace).list().getItems());
        List<Pod> pending = all.stream()
                .filter(p -> p.getSpec().getNodeName() == null && p.getMetadata().getDeletionTimestamp() == null)
                .sorted(Comparator.comparing(p -> p.getMetadata().getCreationTimestamp() == null ? ""
                        : p.getMetadata().getCreationTimestamp()))
                .toList();
        List<Pod> bound = new ArrayList<>(all.stream().filter(p -> p.getSpec().getNodeName() != null
                && p.getMetadata().getDeletionTimestamp() == null).toList());
        List<String> done = new ArrayList<>();
        VolumeBinder.Snapshot claims = volumes.snapshot();
        volumes.reclaim(claims).forEach(pv -> log.accept("provisioner: deleted " + pv + " (its claim is gone)"));
        for (Pod pod : pending) {
            String noVolume = claims.unschedulable(pod);
            PodPlacement.Decision d = noVolume != null ? new PodPlacement.Decision(null, noVolume)
                    : PodPlacement.choose(pod, nodes, bound, claims::reject);
            if (d.scheduled()) {
                Pod updated = client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).edit(p -> {
                    p.getSpec().setNodeName(d.node());
                    setScheduled(p, "True", null, null);
                    return p;
                });
                bound.add(updated);
                Node node = nodes.stream().filter(n -> n.getMetadata().getName().equals(d.node())).findFirst().orElseThrow();
                volumes.bind(updated, node).forEach(b -> log.accept("provisioner: bound " + b + " on " + d.node()));
                done.add(pod.getMetadata().getName() + "->" + d.node());
                log.accept("scheduler: bound " + pod.getMetadata().getName() + " to " + d.node());
            } else if (!d.reason().equals(currentReason(pod))) {
                client.pods().inNamespace(namespace).withName(pod.getMetadata().getName()).editStatus(p -> {
                    setScheduled(p, "False", "Unschedulable", d.reason());
                    return p;
                });
                log.accept("scheduler: " + pod.getMetadata().getName() + " stays Pending: " + d.reason());
            }
        }
        return done;
    }

    private static String currentReason(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
            return null;
        }
        return pod.getStatus().getConditions().stream().filter(c -> "PodScheduled".equals(c.getType()))
                .map(PodCondition::getMessage).findFirst().orElse(null);
    }

    private static void setScheduled(Pod p, String status, String reason, String message) {
        if (p.getStatus() == null) {
            p.setStatus(new PodStatus());
        }
        if (p.getStatus().getPhase() == null) {
            p.getStatus().setPhase("Pending");
        }
        List<PodCondition> conditions = new ArrayList<>(p.getStatus().getConditions() == null ? List.of()
                : p.getStatus().getConditions());
        conditions.removeIf(c -> "PodScheduled".equals(c.getType()));
        conditions.add(new PodConditionBuilder().withType("PodScheduled").withStatus(status).withReason(reason)
                .withMessage(message).withLastTransitionTime(Instant.now().toString()).build());
        p.getStatus().setConditions(conditions);
    }

    @Override
    public void close() {
        loop.shutdownNow();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
