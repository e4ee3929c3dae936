package io.crosszone.tasks.drill;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The name servers a console Deployment was given. The operator renders them once, into the
 * first container's {@code JAVA_OPTS} as {@code -Drocketmq.namesrv.addr=a:9876;b:9876}, and never
 * again (upstream's "TODO: update console if name server address changes"): restarting the
 * console reconnects it to the same addresses, it does not learn new ones. Pure.
 */
final class ConsoleNameServers {
    private static final String PROPERTY = "-Drocketmq.namesrv.addr=";

    private ConsoleNameServers() {
    }

    /** The addresses in the Deployment's JAVA_OPTS, in order; empty when it sets none. */
    static List<String> of(Deployment d) {
        List<String> out = new ArrayList<>();
        if (d.getSpec() == null || d.getSpec().getTemplate() == null || d.getSpec().getTemplate().getSpec() == null) {
            return out;
        }
        for (Container c : d.getSpec().getTemplate().getSpec().getContainers()) {
            for (EnvVar e : c.getEnv() == null ? List.<EnvVar>of() : c.getEnv()) {
                if ("JAVA_OPTS".equals(e.getName()) && e.getValue() != null) {
                    for (String word : e.getValue().trim().split("\\s+")) {
                        if (word.startsWith(PROPERTY)) {
                            for (String addr : word.substring(PROPERTY.length()).split(";")) {
                                if (!addr.isBlank()) {
                                    out.add(addr.trim());
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * Why a restart cannot bring the console back, or null: none of the addresses it was given is
     * a name server that serves now.
     */
    static String unreachable(String deployment, List<String> listed, Collection<String> serving) {
        if (listed.isEmpty() || listed.stream().anyMatch(serving::contains)) {
            return null;
        }
        return "the console Deployment " + deployment + " knows only the name servers " + String.join(";", listed)
                + ", none of which serves now (serving: " + (serving.isEmpty() ? "none" : String.join(";", serving))
                + "); the operator renders them once, so a restart does not help: delete the Deployment and the"
                + " operator re-creates it from the running name servers";
    }
}
