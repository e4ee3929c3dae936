package io.crosszone.plan;

import io.fabric8.kubernetes.api.model.Affinity;
import java.util.List;
import java.util.Optional;

/**
 * The placement of a whole deployment: each broker StatefulSet, the part every broker shares (it
 * also goes into the Broker CR so it survives a StatefulSet being recreated), the name server
 * and the controller.
 */
public record PlacementPlan(List<String> zones, List<BrokerPlacement> brokers, Affinity brokerCommon,
                            Affinity nameServer, Affinity controller, String controllerZone,
                            int nameServerReplicas) {

    public Optional<BrokerPlacement> broker(String statefulSet) {
        return brokers.stream().filter(b -> b.statefulSet().equals(statefulSet)).findFirst();
    }

    public Optional<BrokerPlacement> broker(int group, int replica) {
        return brokers.stream().filter(b -> b.group() == group && b.replica() == replica).findFirst();
    }

    /** How many likely masters (replica 0) are planned into each zone, in zone order. */
    public List<Long> masterCountPerZone() {
        return zones.stream()
                .map(z -> brokers.stream().filter(b -> b.likelyMaster() && b.plannedZone().equals(z)).count())
                .toList();
    }
}
