package io.crosszone.lab.network;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The lab's network: each zone is a Linux network namespace linked to the host by a veth pair;
 * pod IPs are addresses of a private block 10.a.b.0/24 ({@link NetNames}) that the lab puts inside
 * the namespace of the zone a pod runs in, with a /32 route to it on the host. Processes of a zone
 * run in its namespace ({@link #exec(String)}); the tasks, in the host namespace, reach pod IPs
 * through those routes, and zones reach each other through the host (forwarding is on for the
 * lab's veths only, and an iptables chain accepts forwarding between them and nothing else).
 *
 * <p>Safety: nothing may leave the machine. The whole block is an {@code unreachable} route on the
 * host before anything else exists, the /32 routes to namespaces sit on top of it, and a zone
 * namespace has no route but the block's: a missing namespace or route fails locally.
 *
 * <p>A cut ({@link #cut(Collection)}) drops a pod's packets where they are received: on the host
 * (INPUT and FORWARD) for packets it sends, inside its zone's namespace (INPUT from the veth) for
 * packets sent to it. Senders get no FIN, no RST, no error: their packets vanish. Traffic between
 * pods of one namespace goes over its loopback and keeps flowing.
 *
 * <p>A partition ({@link #partition}) drops the packets between two sets of pod IPs that the host
 * forwards from zone to zone (what a Chaos Mesh NetworkChaos partition asks); the host's own
 * traffic with the pods (the tasks') is untouched, and so are pods of one zone, whose packets
 * never reach the host.
 */
public final class LabNetwork implements AutoCloseable, PodPartitions {
    private final NetNames names;
    private final Ownership ownership;
    private final List<String> zones;
    private final Map<String, String> zoneOfAddress = new HashMap<>();
    private final Set<String> cut = new HashSet<>();
    /** partition id -> its rules in the cut chain ("-s A -d B -j DROP") */
    private final Map<String, Set<String>> partitions = new HashMap<>();
    private final Thread shutdownHook;
    private boolean closed;

    private LabNetwork(NetNames names, Ownership ownership, List<String> zones) {
        this.names = names;
        this.ownership = ownership;
        this.zones = List.copyOf(zones);
        this.shutdownHook = new Thread(this::removeAll, "lab-network-cleanup");
    }

    /** Why namespaces cannot be made here (not root, a tool missing), or empty if they can. */
    public static Optional<String> unavailableReason() {
        if (!isRoot()) {
            return Optional.of("not root");
        }
        for (String tool : List.of("ip", "iptables")) {
            if (!Shell.tryRun(tool, "-V").ok() && !Shell.tryRun(tool, "--version").ok()) {
                return Optional.of("no `" + tool + "` (Debian: apt-get install iproute2 iptables)");
            }
        }
        return Optional.empty();
    }

    /**
     * Removes what dead labs left, takes a free block and makes one namespace per zone. Throws
     * (having removed whatever it made) if any step fails.
     */
    public static LabNetwork create(List<String> zones, Consumer<String> log) {
        if (zones.isEmpty() || zones.size() > 9) {
            throw new IllegalArgumentException("1..9 zones: " + zones);
        }
        unavailableReason().ifPresent(r -> {
            throw new IllegalStateException("network namespaces unavailable: " + r);
        });
        Leftovers.removeDead(log);
        Ownership ownership = allocate();
        LabNetwork network = new LabNetwork(new NetNames(ownership.id()), ownership, zones);
        try {
            network.build();
            Runtime.getRuntime().addShutdownHook(network.shutdownHook);
            return network;
        } catch (RuntimeException e) {
            network.removeAll();
            throw e;
        }
    }

    private static Ownership allocate() {
        Set<String> usedPrefixes = routedPrefixes();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int id = random.nextInt(NetNames.MAX_ID + 1);
            Ownership o = Ownership.tryAcquire(id);
            if (o == null) {
                continue;
            }
            NetNames n = new NetNames(id);
            if (usedPrefixes.stream().noneMatch(p -> Cidr.overlap(p, n.block())) && !Leftovers.present().contains(id)) {
                return o;
            }
            o.close();
        }
        throw new IllegalStateException("no free lab network block in 10.192.0.0/10 after 200 attempts");
    }

    /** Every prefix routed on this host (any table) but the default route. */
    private static Set<String> routedPrefixes() {
        Set<String> out = new HashSet<>();
        for (String line : Shell.run("ip", "-4", "route", "show", "table", "all").lines().toList()) {
            for (String token : line.trim().split("\\s+")) {
                if (Cidr.isAddressOrPrefix(token)) {
                    out.add(token);
                    break;
                }
            }
        }
        return out;
    }

    private void build() {
        // first of all: the whole block goes nowhere unless a more specific route says so
        Shell.run("ip", "route", "add", "unreachable", names.block());
        String cutChain = names.cutChain();
        String fwd = names.forwardChain();
        String lab = names.prefix() + "+";
        Shell.run("iptables", "-N", cutChain);
        Shell.run("iptables", "-N", fwd);
        Shell.run("iptables", "-A", fwd, "-i", lab, "-o", lab, "-j", "ACCEPT");
        Shell.run("iptables", "-A", fwd, "-i", lab, "-j", "DROP");
        Shell.run("iptables", "-A", fwd, "-o", lab, "-j", "DROP");
        Shell.run("iptables", "-I", "FORWARD", "1", "-j", fwd);
        Shell.run("iptables", "-I", "FORWARD", "1", "-j", cutChain);
        Shell.run("iptables", "-I", "INPUT", "1", "-j", cutChain);
        for (int i = 0; i < zones.size(); i++) {
            String ns = names.zone(i);
            String host = names.zone(i);
            Shell.run("ip", "netns", "add", ns);
            Shell.run("ip", "link", "add", host, "type", "veth", "peer", "name", names.peer(i));
            Shell.run("ip", "link", "set", names.peer(i), "netns", ns);
            Shell.run("ip", "-n", ns, "link", "set", names.peer(i), "name", "eth0");
            noIpv6(host);
            Shell.run("ip", "-n", ns, "link", "set", "lo", "up");
            Shell.run("ip", "-n", ns, "link", "set", "eth0", "up");
            Shell.run("ip", "-n", ns, "route", "add", names.block(), "dev", "eth0", "scope", "link");
            Shell.run("ip", "addr", "add", names.hostAddress() + "/32", "dev", host);
            // forward what arrives on this veth (global ip_forward stays as it is) and answer ARP
            // for the other zones' addresses
            sysctl("net/ipv4/conf/" + host + "/forwarding", "1");
            sysctl("net/ipv4/conf/" + host + "/proxy_arp", "1");
            Shell.run("ip", "link", "set", host, "up");
        }
    }

    /** The zones, in the order given. */
    public List<String> zones() {
        return zones;
    }

    /** The pod-IP block, 10.a.b.0/24. */
    public String block() {
        return names.block();
    }

    NetNames names() {
        return names;
    }

    /** The name prefix of everything this lab made ({@code czl<id>}). */
    public String prefix() {
        return names.prefix();
    }

    /** Address {@code host} (1..253) of the block. */
    public String address(int host) {
        if (host == NetNames.HOST) {
            throw new IllegalArgumentException("10.x.y." + NetNames.HOST + " is the host's address");
        }
        return names.address(host);
    }

    /** The host's own address in the block (the source of the tasks' connections to pods). */
    public String hostAddress() {
        return names.hostAddress();
    }

    /** The namespace of a zone. */
    public String namespace(String zone) {
        return names.zone(indexOf(zone));
    }

    /** The command prefix that runs a program inside a zone: {@code ip netns exec NS} (it execs: same PID). */
    public List<String> exec(String zone) {
        return List.of("ip", "netns", "exec", namespace(zone));
    }

    /** The zone an address is in now, if it was placed. */
    public synchronized Optional<String> zoneOf(String address) {
        return Optional.ofNullable(zoneOfAddress.get(address));
    }

    /** Puts a pod IP into a zone (out of the one it was in): its address there and the host's route to it. */
    public synchronized void place(String address, String zone) {
        String ns = namespace(zone);
        String old = zoneOfAddress.get(address);
        if (zone.equals(old)) {
            return;
        }
        if (old != null) {
            Shell.tryRun("ip", "-n", namespace(old), "addr", "del", address + "/32", "dev", "eth0");
            if (cut.contains(address)) {
                Shell.tryRun("ip", "netns", "exec", namespace(old), "iptables", "-D", "INPUT", "-i", "eth0", "-d", address, "-j", "DROP");
            }
        }
        Shell.run("ip", "-n", ns, "addr", "add", address + "/32", "dev", "eth0");
        Shell.run("ip", "route", "replace", address + "/32", "dev", ns, "src", names.hostAddress());
        if (cut.contains(address)) {
            Shell.run("ip", "netns", "exec", ns, "iptables", "-I", "INPUT", "-i", "eth0", "-d", address, "-j", "DROP");
        }
        zoneOfAddress.put(address, zone);
    }

    /**
     * Drops every packet from and to these pod IPs that crosses their zone's border. All of them at
     * once: one {@code iptables-restore} per namespace, the receiving side of the zones first.
     * Idempotent.
     */
    public synchronized void cut(Collection<String> addresses) {
        List<String> added = addresses.stream().distinct().filter(cut::add).toList();
        applyRules("-I", added);
    }

    /** Lets these pod IPs' packets through again. Idempotent. */
    public synchronized void restore(Collection<String> addresses) {
        List<String> removed = addresses.stream().distinct().filter(cut::remove).toList();
        applyRules("-D", removed);
    }

    private void applyRules(String op, List<String> addresses) {
        if (addresses.isEmpty()) {
            return;
        }
        Map<String, StringBuilder> byZone = new TreeMap<>();
        StringBuilder host = new StringBuilder("*filter\n");
        for (String address : addresses) {
            String zone = zoneOfAddress.get(address);
            if (zone != null) {
                byZone.computeIfAbsent(zone, z -> new StringBuilder("*filter\n"))
                        .append(op).append(" INPUT -i eth0 -d ").append(address).append(" -j DROP\n");
            }
            host.append(op).append(' ').append(names.cutChain()).append(" -s ").append(address).append(" -j DROP\n");
        }
        byZone.forEach((zone, rules) -> Shell.runWithInput(rules + "COMMIT\n",
                List.of("ip", "netns", "exec", namespace(zone), "iptables-restore", "--noflush")));
        Shell.runWithInput(host + "COMMIT\n", List.of("iptables-restore", "--noflush"));
    }

    /**
     * Drops what is forwarded between these pod IPs in {@code direction}: one DROP rule per pair in
     * the lab's cut chain (hooked into FORWARD), the change from this id's previous rules made in
     * one {@code iptables-restore --noflush}, so all pairs go at once. Addresses outside the lab's
     * block are left out (nothing in the lab has them). Idempotent; {@link #heal} or the lab's
     * clean-up (the chain goes with it) lifts it.
     *
     * <p>Rules match a packet's source address, and a connection a process opens without binding
     * its socket (the lab's RocketMQ clients do not) leaves its zone from the zone namespace's
     * first address, whichever pod that is. So a partition is exact only between whole zones' pods (what
     * a drill asks); one that leaves some of a zone's pods out may miss their connections.
     */
    @Override
    public synchronized void partition(String id, Collection<String> from, Collection<String> to, Direction direction) {
        Set<String> rules = new TreeSet<>(partitionRules(inBlock(from), inBlock(to), direction));
        changePartitions(id, rules);
    }

    /** Lifts a partition; nothing if there is none of that id. */
    @Override
    public synchronized void heal(String id) {
        if (partitions.containsKey(id)) {
            changePartitions(id, null);
        }
    }

    /** The ids of the partitions in force. */
    public synchronized Set<String> partitionIds() {
        return Set.copyOf(partitions.keySet());
    }

    /** The DROP rules (without the chain) a partition of these addresses needs; pure. */
    static List<String> partitionRules(Collection<String> from, Collection<String> to, Direction direction) {
        List<String> rules = new ArrayList<>();
        for (String a : new TreeSet<>(from)) {
            for (String b : new TreeSet<>(to)) {
                if (a.equals(b)) {
                    continue; // a pod in both sets is not cut from itself (Chaos Mesh neither)
                }
                if (direction != Direction.FROM) {
                    rules.add("-s " + a + " -d " + b + " -j DROP");
                }
                if (direction != Direction.TO) {
                    rules.add("-s " + b + " -d " + a + " -j DROP");
                }
            }
        }
        return rules.stream().distinct().toList();
    }

    private List<String> inBlock(Collection<String> addresses) {
        return addresses.stream().filter(Cidr::isAddressOrPrefix).filter(a -> !a.contains("/"))
                .filter(a -> Cidr.overlap(a + "/32", names.block())).toList();
    }

    /** Sets (or with null removes) one id's rules; a rule two partitions share stays until neither has it. */
    private void changePartitions(String id, Set<String> rules) {
        Set<String> before = allPartitionRules();
        Set<String> old = partitions.get(id);
        if (rules == null) {
            partitions.remove(id);
        } else {
            partitions.put(id, Set.copyOf(rules));
        }
        Set<String> after = allPartitionRules();
        StringBuilder script = new StringBuilder("*filter\n");
        before.stream().filter(r -> !after.contains(r))
                .forEach(r -> script.append("-D ").append(names.cutChain()).append(' ').append(r).append('\n'));
        after.stream().filter(r -> !before.contains(r))
                .forEach(r -> script.append("-A ").append(names.cutChain()).append(' ').append(r).append('\n'));
        if (script.length() == "*filter\n".length()) {
            return;
        }
        try {
            Shell.runWithInput(script + "COMMIT\n", List.of("iptables-restore", "--noflush"));
        } catch (RuntimeException e) {
            // iptables-restore commits all or nothing: the rules are still the old ones
            if (old == null) {
                partitions.remove(id);
            } else {
                partitions.put(id, old);
            }
            throw e;
        }
    }

    private Set<String> allPartitionRules() {
        Set<String> all = new HashSet<>();
        partitions.values().forEach(all::addAll);
        return all;
    }

    public synchronized Set<String> cutAddresses() {
        return Set.copyOf(cut);
    }

    /** Removes the namespaces, veths, routes and rules (stop the zones' processes first). */
    @Override
    public void close() {
        removeAll();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException | IllegalArgumentException ignored) {
            // shutting down already, or the hook was never added
        }
    }

    private synchronized void removeAll() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Leftovers.remove(names);
        } finally {
            ownership.close();
        }
    }

    @Override
    public String toString() {
        return "LabNetwork[" + names.prefix() + " " + names.block() + " zones " + zones + "]";
    }

    private int indexOf(String zone) {
        int i = zones.indexOf(zone);
        if (i < 0) {
            throw new IllegalArgumentException("no zone " + zone + " in " + zones);
        }
        return i;
    }

    private static void noIpv6(String ifName) {
        Path p = Paths.get("/proc/sys/net/ipv6/conf", ifName, "disable_ipv6");
        if (Files.exists(p)) {
            sysctl("net/ipv6/conf/" + ifName + "/disable_ipv6", "1");
        }
    }

    private static void sysctl(String key, String value) {
        try {
            Files.writeString(Paths.get("/proc/sys").resolve(key), value);
        } catch (IOException e) {
            throw new IllegalStateException("cannot set " + key + "=" + value + ": " + e.getMessage(), e);
        }
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0"); // effective uid
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }
}
