package io.crosszone.lab.network;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The names and addresses of lab network {@code id} (0..16383). Everything a lab makes carries its
 * prefix {@code czl<id>}, so that a later lab can find and remove what a killed one left, and
 * only that: namespaces and host-side veths {@code czl<id>z<n>} (zone n, from 1), the veths'
 * temporary peer names {@code czl<id>p<n>}, iptables chains {@code czl<id>} (the cuts) and
 * {@code czl<id>-fwd} (forwarding only between the lab's own veths). Its addresses are the block
 * 10.a.b.0/24 with a = 192 + id / 256, b = id % 256 (inside 10.192.0.0/10); .254 is the host's.
 */
record NetNames(int id) {
    static final int MAX_ID = 64 * 256 - 1;
    static final int HOST = 254;
    private static final Pattern NAME = Pattern.compile("czl(\\d{1,5})(?:[zp]\\d+|-fwd)?");
    private static final Pattern BLOCK = Pattern.compile("10\\.(\\d+)\\.(\\d+)\\.0/24");

    NetNames {
        if (id < 0 || id > MAX_ID) {
            throw new IllegalArgumentException("lab network id out of range: " + id);
        }
    }

    String prefix() {
        return "czl" + id;
    }

    /** Namespace of zone index i (0-based); the host side of its veth has the same name. */
    String zone(int i) {
        return prefix() + "z" + (i + 1);
    }

    String peer(int i) {
        return prefix() + "p" + (i + 1);
    }

    String cutChain() {
        return prefix();
    }

    String forwardChain() {
        return prefix() + "-fwd";
    }

    String block() {
        return "10." + (192 + id / 256) + "." + (id % 256) + ".0/24";
    }

    String address(int host) {
        if (host < 1 || host > 254) {
            throw new IllegalArgumentException("host must be in 1..254: " + host);
        }
        return "10." + (192 + id / 256) + "." + (id % 256) + "." + host;
    }

    String hostAddress() {
        return address(HOST);
    }

    /** The lab id in a name this class makes (namespace, interface, chain), or -1. */
    static int idOfName(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches() || m.group(1).length() > 5) {
            return -1;
        }
        int id = Integer.parseInt(m.group(1));
        return id <= MAX_ID ? id : -1;
    }

    /** The lab id of a block {@code 10.a.b.0/24} this class makes, or -1. */
    static int idOfBlock(String block) {
        Matcher m = BLOCK.matcher(block);
        if (!m.matches()) {
            return -1;
        }
        int a = Integer.parseInt(m.group(1));
        int b = Integer.parseInt(m.group(2));
        return a >= 192 && a <= 255 && b <= 255 ? (a - 192) * 256 + b : -1;
    }
}
