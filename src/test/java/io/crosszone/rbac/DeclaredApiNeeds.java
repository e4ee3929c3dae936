package io.crosszone.rbac;

import java.util.ArrayList;
import java.util.List;

/**
 * The API requests each task is specified to make (issues 4, 5 and 6), with the reason: the
 * yardstick for tekton/rbac until the end-to-end tests record the real requests. When a task
 * lands, its recorded requests are checked against the same manifests (see
 * {@code RbacManifestsTest}); a need listed here that no task makes is then removed, with its
 * grant.
 */
public final class DeclaredApiNeeds {
    public static final String NS = "rocketmq";

    /** A request a task makes, and why. */
    public record Need(String task, ApiRequest request, String why) {
    }

    private DeclaredApiNeeds() {
    }

    /** The needs of the five tasks in their default modes. */
    public static List<Need> tasks() {
        List<Need> n = new ArrayList<>();
        // label-zones
        cluster(n, "label-zones", "list", "", "nodes", "check every configured node exists, find nodes by label");
        cluster(n, "label-zones", "get", "", "nodes", "re-read a node before labelling it");
        cluster(n, "label-zones", "patch", "", "nodes", "set the zone label");
        // switch-to-controller-mode
        ns(n, "switch-to-controller-mode", "get", "rocketmq.apache.org", "brokers", "preflight: the Broker CR and its mode");
        ns(n, "switch-to-controller-mode", "patch", "rocketmq.apache.org", "brokers", "spec.clusterMode: CONTROLLER");
        ns(n, "switch-to-controller-mode", "get", "rocketmq.apache.org", "nameservices", "preflight: the NameService is there");
        ns(n, "switch-to-controller-mode", "get", "rocketmq.apache.org", "controllers", "does the Controller CR exist");
        ns(n, "switch-to-controller-mode", "create", "rocketmq.apache.org", "controllers", "create it from the configuration");
        ns(n, "switch-to-controller-mode", "get", "", "configmaps", "broker-common.conf from spec.volumes[0]");
        ns(n, "switch-to-controller-mode", "patch", "", "configmaps", "merge the controller-mode broker properties");
        ns(n, "switch-to-controller-mode", "create", "", "configmaps", "the backup of what STATIC mode leaves");
        ns(n, "switch-to-controller-mode", "list", "apps", "statefulsets", "the CONTROLLER-mode and STATIC StatefulSets");
        ns(n, "switch-to-controller-mode", "delete", "apps", "statefulsets", "STATIC StatefulSets (--delete-static-data)");
        ns(n, "switch-to-controller-mode", "list", "", "pods", "STATIC pods; new brokers Ready");
        ns(n, "switch-to-controller-mode", "delete", "", "pods", "STATIC pods (--delete-static-data)");
        ns(n, "switch-to-controller-mode", "list", "", "persistentvolumeclaims", "STATIC PVCs to back up");
        ns(n, "switch-to-controller-mode", "delete", "", "persistentvolumeclaims", "STATIC PVCs (--delete-static-data)");
        cluster(n, "switch-to-controller-mode", "get", "", "persistentvolumes", "the backup records the bound PVs and their reclaim policy");
        // apply-affinity
        ns(n, "apply-affinity", "get", "apps", "statefulsets", "re-read after the settle period (reverted by the operator?)");
        ns(n, "apply-affinity", "patch", "apps", "statefulsets", "the pod template's affinity and group label; restart");
        ns(n, "apply-affinity", "patch", "rocketmq.apache.org", "brokers", "hostname anti-affinity into the Broker CR");
        ns(n, "apply-affinity", "patch", "rocketmq.apache.org", "nameservices", "the name server's affinity");
        ns(n, "apply-affinity", "patch", "rocketmq.apache.org", "controllers", "the controller's affinity");
        ns(n, "apply-affinity", "get", "", "pods", "a restarted broker is Ready");
        ns(n, "apply-affinity", "list", "apps", "statefulsets", "the broker StatefulSets (selected by their pod selector)");
        ns(n, "apply-affinity", "list", "", "pods", "broker pods' IPs and nodes; Ready name-server and controller pods' IPs");
        ns(n, "apply-affinity", "get", "rocketmq.apache.org", "brokers", "preflight: the Broker CR, its mode and shape");
        ns(n, "apply-affinity", "get", "rocketmq.apache.org", "nameservices", "the NameService CR's affinity");
        ns(n, "apply-affinity", "get", "rocketmq.apache.org", "controllers", "the Controller CR's affinity");
        cluster(n, "apply-affinity", "list", "", "nodes", "free nodes per zone, to restart a broker when its zone has room");
        cluster(n, "apply-affinity", "get", "", "nodes", "the zone of the node a restarted pod landed on");
        ns(n, "apply-affinity", "get", "", "configmaps", "a controller move a killed run left unfinished (crosszone-controller-move)");
        ns(n, "apply-affinity", "create", "", "configmaps", "--replace-zonal-volumes: the groups before the controller's claim goes");
        n.add(new Need("apply-affinity", new ApiRequest("delete", "", "configmaps", NS, "crosszone-controller-move"),
                "that record, once the moved controller is re-seeded"));
        // verify-distribution
        ns(n, "verify-distribution", "list", "rocketmq.apache.org", "brokers", "the Broker CRs of the namespace");
        ns(n, "verify-distribution", "get", "rocketmq.apache.org", "controllers", "the controller's zone and size");
        ns(n, "verify-distribution", "list", "rocketmq.apache.org", "controllers", "the namespace's Controller CRs, read once");
        cluster(n, "verify-distribution", "list", "", "persistentvolumes", "is the controller's volume pinned to a zone");
        cluster(n, "verify-distribution", "get", "", "namespaces", "the namespace exists (else bad input, exit 2)");
        ns(n, "verify-distribution", "get", "", "persistentvolumeclaims", "the controller's volume");
        ns(n, "verify-distribution", "list", "", "pods", "broker pods -> nodes -> zones");
        cluster(n, "verify-distribution", "list", "", "nodes", "node zones");
        ns(n, "verify-distribution", "delete", "", "pods", "--rebalance-masters: a slave replicating from no master, restarted once");
        // reseed-controller (the common preflight's reads are declared with the other tasks)
        ns(n, "reseed-controller", "list", "", "pods", "Ready controller and broker pods outside the lost zone, their IPs");
        ns(n, "reseed-controller", "delete", "", "pods", "restart each re-seeded master once");
        cluster(n, "reseed-controller", "list", "", "nodes", "the zone of each pod's node");
        // failover-drill
        ns(n, "failover-drill", "get", "coordination.k8s.io", "leases", "is another drill running");
        ns(n, "failover-drill", "create", "coordination.k8s.io", "leases", "take the lock");
        ns(n, "failover-drill", "update", "coordination.k8s.io", "leases", "record what to undo; renew");
        ns(n, "failover-drill", "delete", "coordination.k8s.io", "leases", "release the lock");
        ns(n, "failover-drill", "patch", "", "pods", "label the zone's pods for the partition's NetworkPolicy");
        ns(n, "failover-drill", "create", "networking.k8s.io", "networkpolicies", "partition mode: cut the zone off");
        ns(n, "failover-drill", "get", "networking.k8s.io", "networkpolicies", "restore: is it still there");
        ns(n, "failover-drill", "list", "networking.k8s.io", "networkpolicies", "--recover: leftovers by label");
        ns(n, "failover-drill", "delete", "networking.k8s.io", "networkpolicies", "restore");
        ns(n, "failover-drill", "delete", "", "pods", "kill mode; force-delete the controller");
        cluster(n, "failover-drill", "patch", "", "nodes", "cordon and uncordon the zone's nodes");
        ns(n, "failover-drill", "get", "apps", "deployments", "the console's Deployment (named as its Console CR)");
        ns(n, "failover-drill", "patch", "apps", "deployments", "restart the console");
        ns(n, "failover-drill", "get", "", "configmaps", "read the drill history to append to it");
        ns(n, "failover-drill", "create", "", "configmaps", "the drill history, on the first drill");
        n.add(new Need("failover-drill", new ApiRequest("update", "", "configmaps", NS, "crosszone-drill-history"),
                "append to the drill history (with the resourceVersion read)"));
        ns(n, "drill-history", "get", "", "configmaps", "read the drill history");
        return n;
    }

    /** failover-drill --mode chaos-mesh. */
    public static List<Need> chaosMesh() {
        List<Need> n = new ArrayList<>();
        for (String r : List.of("networkchaos", "podchaos")) {
            ns(n, "failover-drill", "create", "chaos-mesh.org", r, "inject the zone loss");
            ns(n, "failover-drill", "get", "chaos-mesh.org", r, "is it in force");
            ns(n, "failover-drill", "list", "chaos-mesh.org", r, "--recover: leftovers by label");
            ns(n, "failover-drill", "delete", "chaos-mesh.org", r, "restore");
        }
        return n;
    }

    /** verify-distribution --all-namespaces: each kind listed once for the whole cluster. */
    public static List<Need> fleet() {
        List<Need> n = new ArrayList<>();
        for (String r : List.of("brokers", "nameservices", "controllers")) {
            cluster(n, "verify-distribution", "list", "rocketmq.apache.org", r, "every deployment of the cluster");
        }
        cluster(n, "verify-distribution", "list", "apps", "statefulsets", "every deployment of the cluster");
        cluster(n, "verify-distribution", "list", "", "pods", "every deployment of the cluster");
        cluster(n, "verify-distribution", "list", "", "persistentvolumeclaims", "every deployment's controller volume");
        return n;
    }

    /** The scheduled drill's CronJob. */
    public static List<Need> scheduler() {
        List<Need> n = new ArrayList<>();
        ns(n, "scheduled drill", "create", "tekton.dev", "pipelineruns", "start the drill pipeline");
        return n;
    }

    public static List<ApiRequest> requests(List<Need> needs) {
        return needs.stream().map(Need::request).toList();
    }

    private static void ns(List<Need> n, String task, String verb, String group, String resource, String why) {
        n.add(new Need(task, ApiRequest.namespaced(verb, group, resource, NS), why));
    }

    private static void cluster(List<Need> n, String task, String verb, String group, String resource, String why) {
        n.add(new Need(task, ApiRequest.cluster(verb, group, resource), why));
    }
}
