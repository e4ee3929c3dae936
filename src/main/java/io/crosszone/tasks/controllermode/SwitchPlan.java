package io.crosszone.tasks.controllermode;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.k8s.BrokerCr;
import io.crosszone.k8s.ControllerCr;
import io.crosszone.plan.OperatorNames;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What switch-to-controller-mode has left to do, computed from the state read once. Pure: the
 * same state gives the same plan, and a state where a step is done plans nothing for it, which
 * is what makes a re-run finish an interrupted switch.
 *
 * @param controllerToCreate  step 2: the Controller CR to create, or null when it exists
 * @param conf                step 3: the merged broker-common.conf and what changed
 * @param brokerPatch         step 4: the JSON merge patch of the Broker CR, or null when it is CONTROLLER
 * @param expectedStatefulSets the CONTROLLER-mode StatefulSets the operator must create
 * @param leftovers           step 5: what STATIC mode left of this CR
 */
public record SwitchPlan(GenericKubernetesResource controllerToCreate, BrokerConf.Merge conf,
                         Map<String, Object> brokerPatch, List<String> expectedStatefulSets,
                         StaticLeftovers leftovers, Map<String, String> properties, List<String> warnings) {

    public static SwitchPlan plan(CrosszoneConfig config, BrokerCr broker, Optional<ControllerCr> controller,
                                  String confText, boolean controllerAddrDns, StaticLeftovers leftovers) {
        String ns = config.getNamespace();
        String ctl = config.getResources().getController();
        List<String> warnings = new ArrayList<>();
        GenericKubernetesResource create = controller.isPresent() ? null
                : ControllerCrBuilder.build(ns, ctl, config.getController());

        Map<String, String> wanted = new LinkedHashMap<>(config.getBrokers().getProperties());
        String headless = ControllerCr.headlessServiceName(ctl) + ":" + OperatorNames.CONTROLLER_PORT;
        if (controllerAddrDns) {
            wanted.put("fetchControllerAddrByDnsLookup", "true");
            wanted.put("controllerAddr", headless);
        }
        if (!"true".equals(wanted.get("allAckInSyncStateSet"))) {
            warnings.add("allAckInSyncStateSet=" + wanted.get("allAckInSyncStateSet") + " overrides the default true:"
                    + " with it, every synchronous send to a group that lost its slave fails with FLUSH_SLAVE_TIMEOUT"
                    + " (measured on a real 5.1.4 cluster)");
        }
        BrokerConf.Merge conf = BrokerConf.merge(confText, wanted);

        Map<String, Object> patch = null;
        if (!broker.controllerMode()) {
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("clusterMode", BrokerCr.CONTROLLER);
            if (controllerAddrDns) {
                // spec.env comes after the operator's controllerAddr=<cr>-svc:9878, and the last entry wins
                List<Object> env = new ArrayList<>(broker.env().stream()
                        .filter(e -> !(e instanceof Map<?, ?> m && "controllerAddr".equals(m.get("name")))).toList());
                env.add(Map.of("name", "controllerAddr", "value", headless));
                spec.put("env", env);
            }
            patch = Map.of("spec", spec);
        } else if (controllerAddrDns && broker.env().stream()
                .noneMatch(e -> e instanceof Map<?, ?> m && "controllerAddr".equals(m.get("name")))) {
            warnings.add("--controller-addr-dns: the Broker CR is already CONTROLLER and its brokers were created"
                    + " with controllerAddr=" + ControllerCr.serviceName(ctl) + ":" + OperatorNames.CONTROLLER_PORT
                    + "; broker-common.conf now names the headless Service, which takes effect at their next restart");
        }

        List<String> expected = new ArrayList<>();
        for (int g = 0; g < broker.groups(); g++) {
            for (int i = 0; i < broker.brokersPerGroup(); i++) {
                expected.add(OperatorNames.brokerStatefulSet(broker.name(), g, i));
            }
        }
        return new SwitchPlan(create, conf, patch, List.copyOf(expected), leftovers, wanted, List.copyOf(warnings));
    }
}
