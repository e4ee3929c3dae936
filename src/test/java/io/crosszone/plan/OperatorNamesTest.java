package io.crosszone.plan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The operator's names read back: a brokerName's group. */
class OperatorNamesTest {

    @Test
    void aBrokerNameOfTheCrGivesItsGroupAnythingElseNull() {
        assertThat(OperatorNames.parseBrokerName("broker", OperatorNames.brokerName("broker", 0))).isEqualTo(0);
        assertThat(OperatorNames.parseBrokerName("broker", "broker-12")).isEqualTo(12);
        assertThat(OperatorNames.parseBrokerName("my-broker", "my-broker-2")).isEqualTo(2);
        assertThat(OperatorNames.parseBrokerName("broker", "other-1")).isNull();
        assertThat(OperatorNames.parseBrokerName("broker", "broker-x")).isNull();
        assertThat(OperatorNames.parseBrokerName("broker", "broker--1")).isNull();
        assertThat(OperatorNames.parseBrokerName("broker", "broker-1-0")).isNull();
        assertThat(OperatorNames.parseBrokerName("broker", "broker-99999999999")).isNull();
        assertThat(OperatorNames.parseBrokerName("broker", null)).isNull();
    }

    @Test
    void brokerNamesAreTheGroupsInOrder() {
        assertThat(OperatorNames.brokerNames("rmq-ha-i", 3))
                .containsExactly("rmq-ha-i-0", "rmq-ha-i-1", "rmq-ha-i-2");
        assertThat(OperatorNames.brokerNames("broker", 0)).isEmpty();
    }
}
