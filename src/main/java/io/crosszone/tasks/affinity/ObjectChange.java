package io.crosszone.tasks.affinity;

import io.crosszone.core.JsonMaps;
import io.crosszone.plan.BrokerPlacement;
import java.util.List;
import java.util.Map;

/**
 * One object apply-affinity compares with the plan, and the JSON patch (RFC 6902) operations that
 * make it match (none when it already does). JSON patch, not merge patch: the whole affinity is
 * set with one {@code add}, so lists of terms are replaced exactly (a merge patch replaces lists
 * on a real API server, but the fabric8 mock server merges them).
 *
 * @param before  the placement-relevant part as it is ({@code affinity}, and for a StatefulSet the
 *                planned pod-template {@code labels})
 * @param after   the same part as planned
 * @param broker  the planned placement of a broker StatefulSet, else null
 * @param held    a StatefulSet whose rollout an earlier {@code --no-restart} run held back
 */
public record ObjectChange(Target target, String name, Map<String, Object> before, Map<String, Object> after,
                           List<Map<String, Object>> patch, BrokerPlacement broker, boolean held) {

    /** What kind of object, in the order apply-affinity handles them. */
    public enum Target {
        NAME_SERVICE_CR("NameService"), NAME_SERVICE_STATEFULSET("StatefulSet"),
        CONTROLLER_CR("Controller"), CONTROLLER_STATEFULSET("StatefulSet"),
        BROKER_STATEFULSET("StatefulSet"), BROKER_CR("Broker");

        private final String kind;

        Target(String kind) {
            this.kind = kind;
        }

        public String kind() {
            return kind;
        }

        public boolean statefulSet() {
            return kind.equals("StatefulSet");
        }
    }

    public boolean changes() {
        return !patch.isEmpty();
    }

    /** The placement (affinity, pod labels) differs, not just the name servers a broker is given. */
    public boolean placementChanges() {
        return !JsonMaps.same(before.get("affinity"), after.get("affinity"))
                || !JsonMaps.same(before.get("labels"), after.get("labels"));
    }

    /** {@code Kind name}, for messages. */
    public String describe() {
        return target.kind() + " " + name;
    }
}
