package io.crosszone.tasks.affinity;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Objects;

/** Whether a pod's tolerations let it onto a node, as kube-scheduler's TaintToleration filter decides. Pure. */
final class Tolerations {
    private Tolerations() {
    }

    /** True when the tolerations cover every NoSchedule and NoExecute taint (PreferNoSchedule only scores). */
    static boolean tolerates(List<Toleration> tolerations, List<Taint> taints) {
        if (taints == null) {
            return true;
        }
        List<Toleration> tols = tolerations == null ? List.of() : tolerations;
        return taints.stream().filter(t -> "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect()))
                .allMatch(t -> tols.stream().anyMatch(tol -> tolerates(tol, t)));
    }

    private static boolean tolerates(Toleration tol, Taint t) {
        boolean effect = tol.getEffect() == null || tol.getEffect().isEmpty() || tol.getEffect().equals(t.getEffect());
        if ("Exists".equals(tol.getOperator())) {
            return effect && (tol.getKey() == null || tol.getKey().isEmpty() || tol.getKey().equals(t.getKey()));
        }
        return effect && Objects.equals(tol.getKey(), t.getKey())
                && Objects.equals(Objects.requireNonNullElse(tol.getValue(), ""), Objects.requireNonNullElse(t.getValue(), ""));
    }
}
