package io.crosszone.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a configuration before anything acts. Every problem is named with how to fix it; the
 * CLI turns them into one error and exit code 2. Warnings do not stop a task.
 */
public final class ConfigValidator {
    private static final Pattern DNS1123 = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)");
    private static final Pattern LABEL_PREFIX = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
    private static final Set<String> INTEGER_PROPERTIES = Set.of(
            "inSyncReplicas", "totalReplicas", "minInSyncReplicas", "registerBrokerTimeoutMills");
    private static final Set<String> BOOLEAN_PROPERTIES = Set.of(
            "enableAutoInSyncReplicas", "allAckInSyncStateSet", "enableElectUncleanMaster",
            "fetchControllerAddrByDnsLookup");

    private ConfigValidator() {
    }

    /**
     * Checks a configuration for a task that acts on nodes: every zone must name its nodes or a
     * selector. Returns the warnings; throws one {@link ConfigException} naming every error.
     */
    public static List<String> validate(CrosszoneConfig config) {
        return validate(config, true);
    }

    /** As {@link #validate(CrosszoneConfig)}; offline planning passes {@code needNodes=false}. */
    public static List<String> validate(CrosszoneConfig config, boolean needNodes) {
        List<String> errors = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        checkNames(config, errors);
        checkZones(config, needNodes, errors);
        checkBrokers(config, errors, warnings);
        checkController(config, errors);
        if (!errors.isEmpty()) {
            throw new ConfigException(String.join("; ", errors));
        }
        return warnings;
    }

    /** Also requires the broker shape (groups and replicas per group); zones may omit their nodes. */
    public static List<String> validateForPlanning(CrosszoneConfig config) {
        BrokerSpec b = config.getBrokers();
        if (b.getGroups() == null || b.getReplicasPerGroup() == null) {
            throw new ConfigException("the broker shape is unknown: give --groups and --replicas-per-group"
                    + " (or brokers.groups and brokers.replicasPerGroup in the configuration file)");
        }
        return validate(config, false);
    }

    private static void checkNames(CrosszoneConfig c, List<String> errors) {
        dnsName("namespace", c.getNamespace(), "--namespace", errors);
        ResourceNames r = c.getResources();
        dnsName("Broker CR name", r.getBroker(), "--broker-cr", errors);
        dnsName("NameService CR name", r.getNameService(), "--name-service-cr", errors);
        dnsName("Controller CR name", r.getController(), "--controller-cr", errors);
        if (r.getConsole() != null) {
            dnsName("Console CR name", r.getConsole(), "--console-cr", errors);
        }
        String key = c.getZoneLabelKey();
        if (!validLabelKey(key)) {
            errors.add("zone label key '" + key + "' is not a valid Kubernetes label key: fix --zone-label-key");
        }
    }

    private static void dnsName(String what, String value, String flag, List<String> errors) {
        if (value == null || value.isBlank()) {
            errors.add(what + " is empty: give " + flag);
        } else if (value.length() > 63 || !DNS1123.matcher(value).matches()) {
            errors.add(what + " '" + value + "' is not a valid Kubernetes name (lower case letters, digits, '-'): fix " + flag);
        }
    }

    static boolean validLabelKey(String key) {
        if (key == null || key.isEmpty()) {
            return false;
        }
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            if (prefix.length() > 253 || !LABEL_PREFIX.matcher(prefix).matches()) {
                return false;
            }
        }
        return name.length() <= 63 && LABEL_NAME.matcher(name).matches();
    }

    static boolean validLabelValue(String value) {
        return value != null && value.length() <= 63 && (value.isEmpty() || LABEL_NAME.matcher(value).matches());
    }

    private static void checkZones(CrosszoneConfig c, boolean needNodes, List<String> errors) {
        List<ZoneSpec> zones = c.getZones();
        if (zones.size() < 2) {
            errors.add("a cross-zone deployment needs at least two zones, got " + zones.size()
                    + ": list them under zones (or --zones az1,az2)");
            return;
        }
        Set<String> names = new HashSet<>();
        Map<String, String> zoneOfNode = new HashMap<>();
        for (int i = 0; i < zones.size(); i++) {
            ZoneSpec z = zones.get(i);
            String name = z.getName();
            if (name == null || name.isBlank()) {
                errors.add("zone #" + (i + 1) + " has no name");
                continue;
            }
            if (!validLabelValue(name)) {
                errors.add("zone name '" + name + "' is not a valid label value");
            }
            if (!names.add(name)) {
                errors.add("zone '" + name + "' is listed twice");
            }
            if (needNodes && z.getNodes().isEmpty() && z.getNodeSelector().isEmpty()) {
                errors.add("zone '" + name + "' is empty: give its nodes (--zone-nodes " + name
                        + "=node-a,node-b) or a node selector (--zone-selector " + name + "=LABEL=VALUE)");
            }
            if (!z.getNodes().isEmpty() && !z.getNodeSelector().isEmpty()) {
                errors.add("zone '" + name + "' has both nodes and a node selector: keep one");
            }
            Set<String> inThisZone = new HashSet<>();
            for (String node : z.getNodes()) {
                if (node == null || node.isBlank()) {
                    errors.add("zone '" + name + "' lists an empty node name");
                    continue;
                }
                if (!inThisZone.add(node)) {
                    errors.add("node '" + node + "' is listed twice in zone '" + name + "'");
                    continue;
                }
                String other = zoneOfNode.putIfAbsent(node, name);
                if (other != null) {
                    errors.add("node '" + node + "' is in two zones, '" + other + "' and '" + name
                            + "': a node belongs to one data centre");
                }
            }
        }
    }

    private static void checkBrokers(CrosszoneConfig c, List<String> errors, List<String> warnings) {
        BrokerSpec b = c.getBrokers();
        if (b.getGroups() != null && b.getGroups() < 1) {
            errors.add("broker groups must be at least 1, got " + b.getGroups() + ": fix --groups");
        }
        if (b.getReplicasPerGroup() != null && b.getReplicasPerGroup() < 1) {
            errors.add("replicas per group must be at least 1, got " + b.getReplicasPerGroup()
                    + ": fix --replicas-per-group");
        }
        if (b.getZoneSeparation() == null) {
            errors.add("zone separation must be 'required' or 'preferred'");
        } else if (b.getZoneSeparation() == ZoneSeparation.REQUIRED && b.getReplicasPerGroup() != null
                && c.getZones().size() >= 2 && b.getReplicasPerGroup() > c.getZones().size()) {
            errors.add(b.getReplicasPerGroup() + " replicas per group cannot be kept in different zones with "
                    + c.getZones().size() + " zones: add zones, or use --zone-separation preferred");
        }
        for (Map.Entry<String, String> e : b.getProperties().entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (key == null || key.isBlank() || key.contains("=") || key.contains(" ")) {
                errors.add("broker property name '" + key + "' is not valid");
            } else if (value == null) {
                errors.add("broker property '" + key + "' has no value");
            } else if (INTEGER_PROPERTIES.contains(key) && !value.matches("\\d+")) {
                errors.add("broker property " + key + "=" + value + " must be a whole number");
            } else if (BOOLEAN_PROPERTIES.contains(key) && !value.matches("true|false")) {
                errors.add("broker property " + key + "=" + value + " must be true or false");
            }
        }
        Map<String, String> p = b.getProperties();
        if (!"true".equals(p.get("allAckInSyncStateSet")) && intOr(p.get("inSyncReplicas"), 1) > 1) {
            warnings.add("allAckInSyncStateSet is not true while inSyncReplicas=" + p.get("inSyncReplicas")
                    + ": every synchronous send to a group that lost a zone will fail with FLUSH_SLAVE_TIMEOUT");
        }
        if (intOr(p.get("registerBrokerTimeoutMills"), 0) > BrokerSpec.REGISTER_BROKER_TIMEOUT_MS) {
            warnings.add("registerBrokerTimeoutMills=" + p.get("registerBrokerTimeoutMills") + " is above "
                    + BrokerSpec.REGISTER_BROKER_TIMEOUT_MS + ": with a name server cut off in a lost zone, a new master"
                    + " can reach the surviving name servers that much later than its election");
        }
        if ("true".equals(p.get("enableElectUncleanMaster"))) {
            warnings.add("enableElectUncleanMaster=true lets an out-of-sync replica become master: acknowledged messages can be lost");
        }
    }

    private static int intOr(String value, int fallback) {
        try {
            return value == null ? fallback : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static void checkController(CrosszoneConfig c, List<String> errors) {
        ControllerSpec ctl = c.getController();
        if (ctl.getSize() < 1) {
            errors.add("controller size must be at least 1, got " + ctl.getSize() + ": fix --controller-size");
        } else if (ctl.getSize() % 2 == 0) {
            errors.add("controller size " + ctl.getSize() + " is even: the controller is a Raft group,"
                    + " use an odd size (1, 3, 5)");
        }
        if (ctl.getZone() != null && !c.zoneNames().contains(ctl.getZone())) {
            errors.add("controller zone '" + ctl.getZone() + "' is not one of the zones " + c.zoneNames()
                    + ": fix --controller-zone");
        }
        String mode = ctl.getStorageMode();
        if (mode == null || !Set.of("EmptyDir", "HostPath", "StorageClass").contains(mode)) {
            errors.add("controller storage mode '" + mode + "' must be EmptyDir, HostPath or StorageClass");
        }
    }
}
