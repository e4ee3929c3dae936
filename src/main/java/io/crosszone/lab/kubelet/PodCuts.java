package io.crosszone.lab.kubelet;

import io.crosszone.lab.network.LabNetwork;
import io.crosszone.lab.network.LabNetworkModel;
import io.crosszone.lab.rocketmq.RocketMqProcess;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the kubelet double does to the processes of pods a deny-all NetworkPolicy selects: drop
 * their packets at their zone's border ({@link #packetDrops}: each zone is a network namespace) or,
 * where the lab could not make namespaces, freeze them ({@link #freezing}: SIGSTOP).
 */
public interface PodCuts {
    LabNetworkModel model();

    /** Before a pod's process starts on {@code node}: where it runs. */
    void beforeStart(RocketMqProcess member, String node);

    /** Cuts these processes off, all at once. */
    void cut(List<RocketMqProcess> members);

    /** Lets them through again (also for a process killed while cut: its pod IP is reused). */
    void restore(List<RocketMqProcess> members);

    /** SIGSTOP / SIGCONT: the process keeps its sockets, and its kernel still accepts connections. */
    static PodCuts freezing() {
        return new PodCuts() {
            @Override
            public LabNetworkModel model() {
                return LabNetworkModel.FREEZE;
            }

            @Override
            public void beforeStart(RocketMqProcess member, String node) {
                // every process runs on the host's loopback
            }

            @Override
            public void cut(List<RocketMqProcess> members) {
                members.stream().filter(RocketMqProcess::isRunning).forEach(RocketMqProcess::freeze);
            }

            @Override
            public void restore(List<RocketMqProcess> members) {
                members.stream().filter(RocketMqProcess::isFrozen).forEach(RocketMqProcess::thaw);
            }
        };
    }

    /**
     * Each pod's process runs in the namespace of its node's zone ({@code nodesByZone}: where the
     * lab's nodes physically are, whatever their labels say), its pod IP moved there.
     */
    static PodCuts packetDrops(LabNetwork network, Map<String, List<String>> nodesByZone) {
        Map<String, String> zoneOfNode = new HashMap<>();
        nodesByZone.forEach((zone, nodes) -> nodes.forEach(n -> zoneOfNode.put(n, zone)));
        return new PodCuts() {
            @Override
            public LabNetworkModel model() {
                return LabNetworkModel.PACKET_DROP;
            }

            @Override
            public void beforeStart(RocketMqProcess member, String node) {
                String zone = zoneOfNode.get(node);
                if (zone == null) {
                    throw new IllegalStateException("node " + node + " is in no zone of the lab " + nodesByZone.keySet());
                }
                network.place(member.address(), zone);
                member.launchThrough(network.exec(zone));
            }

            @Override
            public void cut(List<RocketMqProcess> members) {
                network.cut(members.stream().map(RocketMqProcess::address).toList());
            }

            @Override
            public void restore(List<RocketMqProcess> members) {
                network.restore(members.stream().map(RocketMqProcess::address).toList());
            }
        };
    }
}
