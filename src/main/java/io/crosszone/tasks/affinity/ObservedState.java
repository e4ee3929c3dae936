package io.crosszone.tasks.affinity;

import io.crosszone.k8s.BrokerCr;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Map;
import java.util.Set;

/**
 * What apply-affinity reads before it plans: the three CRs and the StatefulSets the operator made
 * of them (broker StatefulSets by name).
 *
 * @param runningNameServers {@code ip:9876} of every name server when all of the name server's
 *                           replicas run with an IP (what the operator would render into
 *                           NAMESRV_ADDR now); empty otherwise, and then no NAMESRV_ADDR is written
 */
public record ObservedState(BrokerCr broker, GenericKubernetesResource nameService, GenericKubernetesResource controller,
                            Map<String, StatefulSet> brokerStatefulSets, StatefulSet nameServiceStatefulSet,
                            StatefulSet controllerStatefulSet, Set<String> runningNameServers) {
}
