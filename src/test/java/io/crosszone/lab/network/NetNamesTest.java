package io.crosszone.lab.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The names and blocks a lab network takes, and how leftovers are told apart (no root needed). */
class NetNamesTest {

    @Test
    void everyNameAndTheBlockLeadBackToTheirLab() {
        NetNames n = new NetNames(4711);
        assertThat(n.zone(0)).isEqualTo("czl4711z1");
        assertThat(n.peer(1)).isEqualTo("czl4711p2");
        assertThat(n.zone(8).length()).isLessThanOrEqualTo(15); // IFNAMSIZ
        assertThat(new NetNames(NetNames.MAX_ID).zone(8).length()).isLessThanOrEqualTo(15);
        assertThat(n.block()).isEqualTo("10.210.103.0/24");
        assertThat(n.hostAddress()).isEqualTo("10.210.103.254");
        for (String name : new String[] {n.zone(0), n.peer(1), n.cutChain(), n.forwardChain()}) {
            assertThat(NetNames.idOfName(name)).as(name).isEqualTo(4711);
        }
        assertThat(NetNames.idOfBlock(n.block())).isEqualTo(4711);
    }

    @Test
    void namesOfOthersAreNotTakenForALabs() {
        assertThat(NetNames.idOfName("eth0")).isEqualTo(-1);
        assertThat(NetNames.idOfName("czl4711x1")).isEqualTo(-1);
        assertThat(NetNames.idOfName("czl99999z1")).isEqualTo(-1);
        assertThat(NetNames.idOfName("DOCKER")).isEqualTo(-1);
        assertThat(NetNames.idOfBlock("10.88.0.0/16")).isEqualTo(-1);
        assertThat(NetNames.idOfBlock("10.1.2.0/24")).isEqualTo(-1);
        assertThatThrownBy(() -> new NetNames(NetNames.MAX_ID + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> n().address(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aBlockOverlappingARoutedPrefixIsSeenAsTaken() {
        assertThat(Cidr.overlap("10.192.0.0/10", "10.210.103.0/24")).isTrue();
        assertThat(Cidr.overlap("10.210.103.7", "10.210.103.0/24")).isTrue();
        assertThat(Cidr.overlap("10.210.104.0/24", "10.210.103.0/24")).isFalse();
        assertThat(Cidr.overlap("192.0.2.0/24", "10.210.103.0/24")).isFalse();
        assertThat(Cidr.isAddressOrPrefix("unreachable")).isFalse();
        assertThat(Cidr.isAddressOrPrefix("127.0.0.0/8")).isTrue();
    }

    private static NetNames n() {
        return new NetNames(1);
    }
}
