package io.crosszone.tasks.affinity;

import io.crosszone.k8s.KubernetesGateway;
import io.crosszone.plan.OperatorNames;
import io.crosszone.plan.rollout.RolloutStep;
import io.fabric8.kubernetes.api.model.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A broker's volume that cannot follow it into its planned zone: a ReadWriteOnce claim bound to a
 * volume with node affinity (a zonal or local disk) that no node of that zone can attach. Such a
 * broker can only move if its claim is replaced: it then starts empty in its new zone, applies for
 * a new broker id and copies its group's data from the master (safe once it is a slave and the
 * master is in sync; the rollout makes a moving master hand over first). Only with
 * {@code --replace-zonal-volumes}.
 */
final class ZonalVolumes {
    /** A claim that cannot follow its broker: its volume and the zones where that can be attached. */
    record Stranded(String broker, String claim, String volume, Set<String> zones, String toZone) {
        String describe() {
            return broker + ": its claim " + claim + " is bound to " + volume + ", attachable only in " + zones
                    + ", not in its planned zone " + toZone;
        }
    }

    private final KubernetesGateway k8s;
    private final String ns;
    private final String zoneKey;

    ZonalVolumes(KubernetesGateway k8s, String ns, String zoneKey) {
        this.k8s = k8s;
        this.ns = ns;
        this.zoneKey = zoneKey;
    }

    /** The claims of the brokers in these steps that move and cannot take their volume along. */
    List<Stranded> stranded(List<RolloutStep> steps) {
        List<Node> nodes = k8s.nodes();
        List<Stranded> out = new ArrayList<>();
        for (RolloutStep step : steps) {
            for (RolloutStep.Restart r : step.restarts()) {
                if (r.moves()) {
                    out.addAll(stranded(r.broker(), r.toZone(), nodes));
                }
            }
        }
        return out;
    }

    /** The broker's claims whose volume no node of {@code toZone} can attach. */
    List<Stranded> stranded(String broker, String toZone, List<Node> nodes) {
        return k8s.boundClaims(ns, OperatorNames.podOf(broker), nodes, zoneKey).stream().filter(c -> !c.zones().contains(toZone))
                .map(c -> new Stranded(broker, c.claim(), c.volume(), c.zones(), toZone)).toList();
    }

    List<Stranded> stranded(String broker, String toZone) {
        return stranded(broker, toZone, k8s.nodes());
    }
}
