package io.crosszone.support;

import io.crosszone.k8s.K8sStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Test-only stand-in for the kubelet (and, by default, the scheduler), just enough for tasks that
 * wait for Ready pods: every pod of the namespace that is not Ready is marked Running and Ready
 * with a fresh IP. It places nothing on nodes; {@link #startForScheduledPods} leaves unbound pods
 * alone, for tests where the lab's {@link io.crosszone.lab.scheduler.SchedulerDouble} binds them
 * (a pod the scheduler cannot place then stays Pending, as on a real cluster). Stopped by
 * {@link #close()}.
 */
public final class KubeletStandIn implements AutoCloseable {
    private final KubernetesClient client;
    private final String namespace;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kubelet-stand-in");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger ips = new AtomicInteger(100);
    private final boolean scheduledOnly;

    private KubeletStandIn(KubernetesClient client, String namespace, boolean scheduledOnly) {
        this.client = client;
        this.namespace = namespace;
        this.scheduledOnly = scheduledOnly;
    }

    public static KubeletStandIn start(KubernetesClient client, String namespace) {
        KubeletStandIn k = new KubeletStandIn(client, namespace, false);
        k.executor.scheduleWithFixedDelay(k::markAll, 0, 50, TimeUnit.MILLISECONDS);
        return k;
    }

    /** As {@link #start}, but only pods bound to a node ({@code spec.nodeName}) are started. */
    public static KubeletStandIn startForScheduledPods(KubernetesClient client, String namespace) {
        KubeletStandIn k = new KubeletStandIn(client, namespace, true);
        k.executor.scheduleWithFixedDelay(k::markAll, 0, 50, TimeUnit.MILLISECONDS);
        return k;
    }

    /** Marks every not-Ready pod of the namespace Ready once; returns how many. */
    public static int markAllReady(KubernetesClient client, String namespace) {
        return new KubeletStandIn(client, namespace, false).markAll();
    }

    private int markAll() {
        int n = 0;
        try {
            for (Pod p : client.pods().inNamespace(namespace).list().getItems()) {
                if (!K8sStatus.podReady(p) && p.getMetadata().getDeletionTimestamp() == null
                        && (!scheduledOnly || p.getSpec().getNodeName() != null)) {
                    int k = ips.getAndIncrement();
                    String ip = "10.245." + (k / 250) + "." + (k % 250 + 1);
                    client.pods().inNamespace(namespace).withName(p.getMetadata().getName()).editStatus(pod -> {
                        pod.getStatus().setPhase("Running");
                        if (pod.getStatus().getPodIP() == null) {
                            pod.getStatus().setPodIP(ip);
                        }
                        pod.getStatus().setConditions(List.of(
                                new PodConditionBuilder().withType("Ready").withStatus("True").build()));
                        return pod;
                    });
                    n++;
                }
            }
        } catch (KubernetesClientException e) {
            // a pod deleted between list and edit: the next round sees fresh state
        }
        return n;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
