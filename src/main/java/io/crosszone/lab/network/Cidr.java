package io.crosszone.lab.network;

/** IPv4 prefixes ("a.b.c.d/n" or a bare address) and whether two overlap. */
final class Cidr {
    private Cidr() {
    }

    static boolean isAddressOrPrefix(String s) {
        return s.matches("\\d{1,3}(\\.\\d{1,3}){3}(/\\d{1,2})?");
    }

    static boolean overlap(String a, String b) {
        long[] x = parse(a);
        long[] y = parse(b);
        int bits = (int) Math.min(x[1], y[1]);
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        return (x[0] & mask) == (y[0] & mask);
    }

    private static long[] parse(String s) {
        String[] parts = s.split("/");
        long addr = 0;
        for (String octet : parts[0].split("\\.")) {
            addr = (addr << 8) | Integer.parseInt(octet);
        }
        return new long[] {addr, parts.length > 1 ? Integer.parseInt(parts[1]) : 32};
    }
}
