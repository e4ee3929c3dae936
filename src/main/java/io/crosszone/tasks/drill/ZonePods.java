package io.crosszone.tasks.drill;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.k8s.K8sStatus;
import io.crosszone.plan.OperatorNames;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The deployment's RocketMQ pods and the zones of their nodes, read once: the input of the drill's
 * plan, its health check and its restore. Pure once built.
 *
 * @param nodeZones node name -> zone (null when the node carries no zone label)
 */
public record ZonePods(Map<String, String> nodeZones, Map<String, Boolean> cordoned, List<PodInfo> pods) {

    public enum Role { BROKER, NAME_SERVER, CONTROLLER }

    /** One pod: its role, node, IP, readiness; brokers also their group and replica index. */
    public record PodInfo(String name, Role role, String node, String ip, boolean ready, int group, int replica,
                          Map<String, String> labels) {
        public String address(int port) {
            return ip == null ? null : ip + ":" + port;
        }
    }

    public static ZonePods of(CrosszoneConfig config, List<Node> nodes, List<Pod> brokers, List<Pod> nameServers,
                              List<Pod> controllers) {
        Map<String, String> zones = new TreeMap<>();
        Map<String, Boolean> cordoned = new TreeMap<>();
        for (Node n : nodes) {
            Map<String, String> labels = n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
            zones.put(n.getMetadata().getName(), labels.get(config.getZoneLabelKey()));
            cordoned.put(n.getMetadata().getName(), K8sStatus.nodeCordoned(n));
        }
        String cr = config.getResources().getBroker();
        List<PodInfo> pods = new ArrayList<>();
        for (Pod p : brokers) {
            String name = p.getMetadata().getName();
            int[] gi = name.endsWith("-0") ? OperatorNames.parseControllerModeStatefulSet(cr, name.substring(0, name.length() - 2)) : null;
            if (gi != null) {
                pods.add(info(p, Role.BROKER, gi[0], gi[1]));
            }
        }
        nameServers.forEach(p -> pods.add(info(p, Role.NAME_SERVER, -1, -1)));
        controllers.forEach(p -> pods.add(info(p, Role.CONTROLLER, -1, -1)));
        return new ZonePods(zones, cordoned, List.copyOf(pods));
    }

    private static PodInfo info(Pod p, Role role, int group, int replica) {
        boolean deleting = p.getMetadata().getDeletionTimestamp() != null;
        return new PodInfo(p.getMetadata().getName(), role, deleting ? null : p.getSpec().getNodeName(),
                p.getStatus() == null ? null : p.getStatus().getPodIP(), !deleting && K8sStatus.podReady(p), group, replica,
                p.getMetadata().getLabels() == null ? Map.of() : Map.copyOf(p.getMetadata().getLabels()));
    }

    public String zoneOf(PodInfo p) {
        return p.node() == null ? null : nodeZones.get(p.node());
    }

    public List<String> nodesOf(String zone) {
        return nodeZones.entrySet().stream().filter(e -> zone.equals(e.getValue())).map(Map.Entry::getKey).sorted().toList();
    }

    public List<PodInfo> inZone(String zone) {
        return pods.stream().filter(p -> zone.equals(zoneOf(p))).toList();
    }

    public List<PodInfo> ofRole(Role role) {
        return pods.stream().filter(p -> p.role() == role).toList();
    }

    /** The broker pod whose IP is the host of {@code address} ({@code ip:port}). */
    public Optional<PodInfo> brokerAt(String address) {
        if (address == null) {
            return Optional.empty();
        }
        String host = io.crosszone.rocketmq.Addresses.host(address);
        return ofRole(Role.BROKER).stream().filter(p -> host.equals(p.ip())).findFirst();
    }

    public Optional<PodInfo> broker(int group, int replica) {
        return ofRole(Role.BROKER).stream().filter(p -> p.group() == group && p.replica() == replica).findFirst();
    }
}
