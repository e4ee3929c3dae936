package io.crosszone.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.support.Cli;
import org.junit.jupiter.api.Test;

/** `crosszone lab` and `lab up` refuse a shape they cannot build in one line, before anything starts. */
class LabBadInputTest {

    @Test
    void anUnknownStorageIsBadInput() {
        for (String[] args : new String[][] {{"lab", "--storage", "ssd"}, {"lab", "up", "--storage", "ssd"}}) {
            Cli.Result r = Cli.run(args);
            assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err()).contains("--storage").contains("ssd").doesNotContain("\tat ");
            assertThat(r.err().lines().count()).isBetween(1L, 3L);
            assertThat(r.err()).doesNotContain("starting a lab");
        }
    }

    @Test
    void anUnknownModeIsBadInput() {
        Cli.Result r = Cli.run("lab", "--mode", "flood");
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("--mode must be partition, kill or chaos-mesh, got 'flood'");
    }

    /** The lab plays Chaos Mesh with packet drops: under the freeze model there is nothing to play it with. */
    @Test
    void chaosMeshWithoutThePacketDropModelIsBadInput() {
        String before = System.getProperty(LabEnvironment.NETWORK_PROPERTY);
        System.setProperty(LabEnvironment.NETWORK_PROPERTY, "freeze");
        try {
            Cli.Result r = Cli.run("lab", "--mode", "chaos-mesh");
            assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
            assertThat(r.err()).contains("--mode chaos-mesh needs the lab's packet-drop network model",
                    "-Dcrosszone.lab.network=freeze").doesNotContain("starting a lab");
        } finally {
            if (before == null) {
                System.clearProperty(LabEnvironment.NETWORK_PROPERTY);
            } else {
                System.setProperty(LabEnvironment.NETWORK_PROPERTY, before);
            }
        }
    }
}
