package io.crosszone.k8s;

import io.crosszone.plan.OperatorNames;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A broker StatefulSet's {@code NAMESRV_ADDR}: the name servers a broker registers with when its
 * pod starts. The operator renders it from the name-server pods that are Running with an IP
 * ({@code ip:9876;...}) when it creates the StatefulSet. When the name servers change later it
 * rewrites it only with {@code allowRestart: true}; otherwise it updates the running brokers in
 * place ({@code updateBrokerConfig namesrvAddr}) and the template keeps the old list, which the
 * next restart of that broker uses. Pure functions of the model objects.
 */
public final class NameServerEnv {
    public static final String NAME = "NAMESRV_ADDR";

    private NameServerEnv() {
    }

    /** Where NAMESRV_ADDR is set in a pod spec: the first container that sets it with a plain value. */
    private record Found(int container, int env, String value) {
    }

    private static Optional<Found> find(PodSpec spec) {
        List<Container> containers = spec == null ? null : spec.getContainers();
        for (int c = 0; containers != null && c < containers.size(); c++) {
            List<EnvVar> env = containers.get(c).getEnv();
            for (int e = 0; env != null && e < env.size(); e++) {
                if (NAME.equals(env.get(e).getName()) && env.get(e).getValueFrom() == null) {
                    return Optional.of(new Found(c, e, env.get(e).getValue()));
                }
            }
        }
        return Optional.empty();
    }

    /** A pod's NAMESRV_ADDR. */
    public static Optional<String> of(PodSpec spec) {
        return find(spec).map(Found::value);
    }

    /** The template's NAMESRV_ADDR. */
    public static Optional<String> of(StatefulSet sts) {
        return of(templateSpec(sts));
    }

    /** The JSON pointer of the template's NAMESRV_ADDR value, e.g. {@code /spec/template/spec/containers/0/env/0/value}. */
    public static Optional<String> pointer(StatefulSet sts) {
        return find(templateSpec(sts)).map(f -> "/spec/template/spec/containers/" + f.container() + "/env/" + f.env() + "/value");
    }

    private static PodSpec templateSpec(StatefulSet sts) {
        return sts.getSpec() == null || sts.getSpec().getTemplate() == null ? null : sts.getSpec().getTemplate().getSpec();
    }

    /** The addresses of a NAMESRV_ADDR value, as a set (the operator's order is not meaningful). */
    public static Set<String> addresses(String value) {
        if (value == null) {
            return Set.of();
        }
        return Arrays.stream(value.split(";")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** What the operator would render now: the name-server pods Running with an IP. */
    public static Set<String> running(Collection<Pod> nameServerPods) {
        Set<String> out = new TreeSet<>();
        for (Pod p : nameServerPods) {
            if (p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null
                    && "Running".equals(p.getStatus().getPhase()) && p.getStatus().getPodIP() != null
                    && !p.getStatus().getPodIP().isEmpty()) {
                out.add(p.getStatus().getPodIP() + ":" + OperatorNames.NAME_SERVER_PORT);
            }
        }
        return out;
    }

    /** A NAMESRV_ADDR value: the addresses sorted, joined by ';'. */
    public static String render(Collection<String> addresses) {
        return String.join(";", new TreeSet<>(addresses));
    }
}
