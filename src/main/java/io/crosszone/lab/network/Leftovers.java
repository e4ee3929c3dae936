package io.crosszone.lab.network;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Finds and removes what lab networks made: their namespaces, veths, iptables chains and the
 * unreachable route of their block. A lab removes its own on close; at start it removes those of
 * labs whose owner process is dead ({@link Ownership}), never a live lab's.
 */
final class Leftovers {
    private Leftovers() {
    }

    /** Removes the leftovers of every lab network whose owner is dead; returns the ids removed. */
    static List<Integer> removeDead(Consumer<String> log) {
        List<Integer> removed = new ArrayList<>();
        for (int id : present()) {
            Ownership taken = Ownership.tryAcquire(id);
            if (taken == null) {
                continue; // a live lab
            }
            try {
                remove(new NetNames(id));
                removed.add(id);
                log.accept("lab network: removed what a dead lab (pid " + taken.previousOwner() + ") left: czl" + id + "*");
            } finally {
                taken.close();
            }
        }
        return removed;
    }

    /** Ids that have anything on this machine: a namespace, an interface, a chain or a route. */
    static Set<Integer> present() {
        Set<Integer> ids = new TreeSet<>();
        for (String line : lines(Shell.tryRun("ip", "netns", "list"))) {
            addId(ids, line.split("\\s+")[0]);
        }
        for (String line : lines(Shell.tryRun("ip", "-o", "link", "show"))) {
            String[] f = line.split(":\\s+", 3);
            if (f.length > 1) {
                addId(ids, f[1].split("@")[0]);
            }
        }
        for (String line : lines(Shell.tryRun("iptables", "-S"))) {
            if (line.startsWith("-N ")) {
                addId(ids, line.substring(3).trim());
            }
        }
        for (String line : lines(Shell.tryRun("ip", "-4", "route", "show", "type", "unreachable"))) {
            String[] f = line.trim().split("\\s+");
            int id = f.length > 1 ? NetNames.idOfBlock(f[1]) : -1;
            if (id >= 0) {
                ids.add(id);
            }
        }
        return ids;
    }

    /**
     * Removes everything lab network {@code names} made, whatever exists of it (idempotent): first the
     * iptables jumps and chains, then the veths (their routes go with them) and namespaces, and the
     * unreachable route last, so that the block is never routable off the machine meanwhile.
     */
    static void remove(NetNames names) {
        for (String chain : List.of(names.cutChain(), names.forwardChain())) {
            for (String builtin : List.of("INPUT", "FORWARD")) {
                while (Shell.tryRun("iptables", "-D", builtin, "-j", chain).ok()) {
                    // a jump may have been inserted more than once
                }
            }
            Shell.tryRun("iptables", "-F", chain);
            Shell.tryRun("iptables", "-X", chain);
        }
        for (String line : lines(Shell.tryRun("ip", "-o", "link", "show"))) {
            String[] f = line.split(":\\s+", 3);
            String ifName = f.length > 1 ? f[1].split("@")[0] : "";
            if (NetNames.idOfName(ifName) == names.id()) {
                Shell.tryRun("ip", "link", "del", ifName);
            }
        }
        for (String line : lines(Shell.tryRun("ip", "netns", "list"))) {
            String ns = line.split("\\s+")[0];
            if (NetNames.idOfName(ns) == names.id()) {
                Shell.tryRun("ip", "netns", "del", ns);
            }
        }
        Shell.tryRun("ip", "route", "del", "unreachable", names.block());
    }

    private static void addId(Set<Integer> ids, String name) {
        int id = NetNames.idOfName(name);
        if (id >= 0) {
            ids.add(id);
        }
    }

    private static List<String> lines(Shell.Result r) {
        return r.ok() ? r.output().lines().filter(l -> !l.isBlank()).toList() : List.of();
    }
}
