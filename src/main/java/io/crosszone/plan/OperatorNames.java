package io.crosszone.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names and labels the RocketMQ operator gives its objects (see the operator facts), and the
 * one label this project adds. Kept in one place so that no task spells them on its own.
 */
public final class OperatorNames {
    public static final String API_GROUP = "rocketmq.apache.org";
    public static final String API_VERSION = "rocketmq.apache.org/v1alpha1";

    public static final String BROKER_CR_LABEL = "broker_cr";
    public static final String NAME_SERVICE_CR_LABEL = "name_service_cr";
    public static final String CONTROLLER_CR_LABEL = "controller_cr";
    public static final String HOSTNAME_TOPOLOGY_KEY = "kubernetes.io/hostname";

    /** Added by apply-affinity to each broker pod template: the group, for the zone anti-affinity. */
    public static final String GROUP_LABEL = "crosszone.io/broker-group";

    public static final int NAME_SERVER_PORT = 9876;
    public static final int CONTROLLER_PORT = 9878;
    public static final int BROKER_PORT = 10911;

    private static final Pattern CONTROLLER_MODE = Pattern.compile("(.+)-(\\d+)-(\\d+)");
    private static final Pattern STATIC_MASTER = Pattern.compile("(.+)-(\\d+)-master");
    private static final Pattern STATIC_REPLICA = Pattern.compile("(.+)-(\\d+)-replica-(\\d+)");

    private OperatorNames() {
    }

    /** A CONTROLLER-mode broker StatefulSet: {@code <cr>-<group>-<index>}. */
    public static String brokerStatefulSet(String brokerCr, int group, int replica) {
        return brokerCr + "-" + group + "-" + replica;
    }

    /** The RocketMQ brokerName of a group: {@code <cr>-<group>}; also the value of {@link #GROUP_LABEL}. */
    public static String brokerName(String brokerCr, int group) {
        return brokerCr + "-" + group;
    }

    /** The brokerNames of groups {@code 0..groups-1} of a Broker CR, in order. */
    public static List<String> brokerNames(String brokerCr, int groups) {
        List<String> names = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            names.add(brokerName(brokerCr, g));
        }
        return names;
    }

    /** The group of a brokerName {@code <cr>-<group>} of the given CR (the inverse of {@link #brokerName}), or null. */
    public static Integer parseBrokerName(String brokerCr, String brokerName) {
        String prefix = brokerCr + "-";
        if (brokerName == null || !brokerName.startsWith(prefix) || !brokerName.substring(prefix.length()).matches("\\d{1,9}")) {
            return null;
        }
        return Integer.valueOf(brokerName.substring(prefix.length()));
    }

    /** The pod of a one-replica StatefulSet. */
    public static String podOf(String statefulSet) {
        return statefulSet + "-0";
    }

    public static Map<String, String> brokerLabels(String brokerCr) {
        return Map.of("app", "broker", BROKER_CR_LABEL, brokerCr);
    }

    public static Map<String, String> nameServiceLabels(String cr) {
        return Map.of("app", "name_service", NAME_SERVICE_CR_LABEL, cr);
    }

    public static Map<String, String> controllerLabels(String cr) {
        return Map.of("app", "controller", CONTROLLER_CR_LABEL, cr);
    }

    /** STATIC-mode StatefulSets of a Broker CR: {@code <cr>-<g>-master}, {@code <cr>-<g>-replica-<n>}. */
    public static boolean isStaticBrokerStatefulSet(String brokerCr, String name) {
        Matcher m = STATIC_MASTER.matcher(name);
        if (m.matches()) {
            return m.group(1).equals(brokerCr);
        }
        m = STATIC_REPLICA.matcher(name);
        return m.matches() && m.group(1).equals(brokerCr);
    }

    /** Parses {@code <cr>-<g>-<i>} of the given CR into {group, index}, or null. */
    public static int[] parseControllerModeStatefulSet(String brokerCr, String name) {
        Matcher m = CONTROLLER_MODE.matcher(name);
        if (!m.matches() || !m.group(1).equals(brokerCr)) {
            return null;
        }
        return new int[] {Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))};
    }
}
