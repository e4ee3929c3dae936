package io.crosszone.cli;

import io.crosszone.config.ConfigException;
import io.crosszone.config.CrosszoneConfig;
import io.crosszone.config.ZoneSpec;
import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.tasks.BrokerCrs;
import io.fabric8.kubernetes.api.model.Node;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the flags and the configuration name must exist in the cluster before a task reads or
 * writes anything else: the namespace, the Broker CR and each zone's nodes. A name that is not
 * there is bad input (exit 2) naming it, so a typo never becomes an empty run or the wrong target.
 */
final class ClusterPreflight {
    enum Scope {
        /** namespace, Broker CR and nodes: every task that acts on one deployment */
        DEPLOYMENT,
        /** namespace and nodes: tasks that read the namespace but no RocketMQ deployment (drill-history) */
        NAMESPACE,
        /** nodes only: label-zones (runs before the operator is installed), verify --all-namespaces */
        NODES
    }

    private ClusterPreflight() {
    }

    static void check(KubernetesGateway k8s, CrosszoneConfig config, Scope scope) {
        if (scope == Scope.DEPLOYMENT) {
            BrokerCrs.require(k8s, config);
        } else if (scope == Scope.NAMESPACE && !k8s.namespaceExists(config.getNamespace())) {
            throw new ConfigException("namespace '" + config.getNamespace() + "' does not exist: check --namespace");
        }
        boolean namesNodes = config.getZones().stream()
                .anyMatch(z -> z.selectsBySelector() || !z.getNodes().isEmpty());
        if (namesNodes) {
            checkNodes(config, k8s.nodes());
        }
    }

    private static void checkNodes(CrosszoneConfig config, List<Node> nodes) {
        Set<String> names = nodes.stream().map(n -> n.getMetadata().getName()).collect(Collectors.toSet());
        for (ZoneSpec zone : config.getZones()) {
            if (zone.selectsBySelector()) {
                Map<String, String> selector = zone.getNodeSelector();
                boolean any = nodes.stream().anyMatch(n -> n.getMetadata().getLabels() != null
                        && n.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()));
                if (!any) {
                    throw new ConfigException("zone '" + zone.getName() + "': no node carries " + selector
                            + ": check the zone's nodeSelector (--zone-selector)");
                }
                continue;
            }
            List<String> missing = zone.getNodes().stream().filter(n -> !names.contains(n)).toList();
            if (!missing.isEmpty()) {
                throw new ConfigException("node '" + missing.get(0) + "' of zone '" + zone.getName()
                        + "' does not exist in the cluster" + (missing.size() > 1 ? " (nor "
                        + String.join(", ", missing.subList(1, missing.size())) + ")" : "")
                        + ": check the zone's nodes (--zone-nodes)");
            }
        }
    }
}
