package io.crosszone.lab.network;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Optional;

/** The gate of the tests that need root and network namespaces: skipped elsewhere, never in CI. */
final class NetnsTests {
    private NetnsTests() {
    }

    /** Skips the test with the reason, unless CI=true, where a missing prerequisite fails it. */
    static void requireNamespaces() {
        Optional<String> reason = LabNetwork.unavailableReason();
        if (reason.isPresent() && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("CI must run the network-namespace tests, but: " + reason.get()
                    + " (.ci/run installs iproute2 and iptables and runs as root)");
        }
        assumeTrue(reason.isEmpty(), () -> "skipped: network namespaces unavailable: " + reason.orElse("")
                + " (run as root with iproute2 and iptables)");
    }
}
