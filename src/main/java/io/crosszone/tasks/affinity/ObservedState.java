package io.crosszone.tasks.affinity;

import io.crosszone.k8s.BrokerCr;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Map;

/**
 * What apply-affinity reads before it plans: the three CRs and the StatefulSets the operator made
 * of them (broker StatefulSets by name).
 */
public record ObservedState(BrokerCr broker, GenericKubernetesResource nameService, GenericKubernetesResource controller,
                            Map<String, StatefulSet> brokerStatefulSets, StatefulSet nameServiceStatefulSet,
                            StatefulSet controllerStatefulSet) {
}
