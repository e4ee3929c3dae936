package io.crosszone.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigValidationTest {

    private static CrosszoneConfig yaml(String text) throws IOException {
        return ConfigLoader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "test.yaml");
    }

    private static final String GOOD = """
            namespace: rocketmq
            zones:
              - name: az1
                nodes: [n1, n2, n3]
              - name: az2
                nodes: [n4, n5, n6]
            brokers:
              groups: 3
              replicasPerGroup: 2
            """;

    @Test
    void theExampleFileIsValidAndIsTheRunbook() {
        CrosszoneConfig c = ConfigLoader.load(Path.of("crosszone.example.yaml"));
        assertThat(ConfigValidator.validateForPlanning(c)).isEmpty();
        assertThat(c.getNamespace()).isEqualTo("mcamel-name-work6");
        assertThat(c.getBrokers().getGroups()).isEqualTo(3);
        assertThat(c.getBrokers().getReplicasPerGroup()).isEqualTo(2);
        assertThat(c.getZones()).extracting(ZoneSpec::getName).containsExactly("az1", "az2");
        assertThat(c.getZones().get(0).getNodes()).containsExactly("k8s-node-01", "k8s-node-02", "k8s-node-03");
        assertThat(c.getZones().get(1).getNodes()).containsExactly("k8s-node-04", "k8s-node-05", "k8s-node-06");
        assertThat(c.controllerZone()).isEqualTo("az2");
    }

    @Test
    void defaultsAreTheRunbookPropertiesPlusAllAck() throws IOException {
        CrosszoneConfig c = yaml(GOOD);
        assertThat(ConfigValidator.validate(c)).isEmpty();
        assertThat(c.getBrokers().getProperties()).containsExactly(
                java.util.Map.entry("inSyncReplicas", "2"), java.util.Map.entry("totalReplicas", "2"),
                java.util.Map.entry("minInSyncReplicas", "1"), java.util.Map.entry("enableAutoInSyncReplicas", "true"),
                java.util.Map.entry("allAckInSyncStateSet", "true"), java.util.Map.entry("registerBrokerTimeoutMills", "6000"));
        assertThat(c.getBrokers().getZoneSeparation()).isEqualTo(ZoneSeparation.REQUIRED);
        assertThat(c.getZoneLabelKey()).isEqualTo("az");
    }

    @Test
    void overridingAllAckWarns() throws IOException {
        CrosszoneConfig c = yaml(GOOD + "  properties: {allAckInSyncStateSet: false}\n");
        List<String> warnings = ConfigValidator.validate(c);
        assertThat(warnings).singleElement().asString().contains("FLUSH_SLAVE_TIMEOUT");
        // the other defaults are kept when a file overrides one property
        assertThat(c.getBrokers().getProperties()).containsEntry("inSyncReplicas", "2");
    }

    @Test
    void aRegistrationTimeoutAboveTheBoundWarns() throws IOException {
        assertThat(ConfigValidator.validate(yaml(GOOD + "  properties: {registerBrokerTimeoutMills: 6000}\n"))).isEmpty();
        assertThat(ConfigValidator.validate(yaml(GOOD + "  properties: {registerBrokerTimeoutMills: 24000}\n")))
                .singleElement().asString().contains("registerBrokerTimeoutMills=24000", "above 6000");
        rejected(GOOD + "  properties: {registerBrokerTimeoutMills: 6s}\n", "registerBrokerTimeoutMills=6s", "whole number");
    }

    private static void rejected(String yamlText, String... fragments) throws IOException {
        assertThatThrownBy(() -> ConfigValidator.validate(yaml(yamlText)))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains(fragments));
    }

    @Test
    void fewerThanTwoZones() throws IOException {
        rejected("zones: [{name: az1, nodes: [n1]}]", "at least two zones, got 1");
    }

    @Test
    void aNodeInTwoZones() throws IOException {
        rejected("zones: [{name: az1, nodes: [n1, n2]}, {name: az2, nodes: [n2, n3]}]",
                "node 'n2' is in two zones, 'az1' and 'az2'");
    }

    @Test
    void anEmptyZone() throws IOException {
        rejected("zones: [{name: az1, nodes: [n1]}, {name: az2}]", "zone 'az2' is empty");
    }

    @Test
    void anEmptyZoneIsFineForOfflinePlanning() throws IOException {
        CrosszoneConfig c = yaml("zones: [{name: az1}, {name: az2}]\nbrokers: {groups: 2, replicasPerGroup: 2}");
        assertThat(ConfigValidator.validateForPlanning(c)).isEmpty();
    }

    @Test
    void duplicateZoneAndNodeNames() throws IOException {
        rejected("zones: [{name: az1, nodes: [n1]}, {name: az1, nodes: [n2]}]", "zone 'az1' is listed twice");
        rejected("zones: [{name: az1, nodes: [n1, n1]}, {name: az2, nodes: [n2]}]", "node 'n1' is listed twice");
    }

    @Test
    void moreReplicasThanZonesWithStrictSeparation() throws IOException {
        rejected(GOOD.replace("replicasPerGroup: 2", "replicasPerGroup: 3"),
                "3 replicas per group cannot be kept in different zones with 2 zones");
        CrosszoneConfig preferred = yaml(GOOD.replace("replicasPerGroup: 2", "replicasPerGroup: 3\n  zoneSeparation: preferred"));
        assertThat(ConfigValidator.validate(preferred)).isEmpty();
    }

    @Test
    void unknownKeysAreErrors() {
        assertThatThrownBy(() -> yaml(GOOD + "zoneLabel: az\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key 'zoneLabel'");
        assertThatThrownBy(() -> yaml(GOOD.replace("groups: 3", "groupz: 3")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key 'brokers.groupz'");
    }

    @Test
    void badValues() throws IOException {
        rejected(GOOD + "controller: {size: 2}\n", "controller size 2 is even");
        rejected(GOOD + "controller: {zone: az3}\n", "controller zone 'az3' is not one of the zones");
        rejected(GOOD.replace("namespace: rocketmq", "namespace: Rocket_MQ"), "namespace 'Rocket_MQ' is not a valid");
        rejected(GOOD + "zoneLabelKey: 'bad key'\n", "zone label key 'bad key'");
        rejected(GOOD + "  properties: {inSyncReplicas: two}\n", "inSyncReplicas=two must be a whole number");
        rejected(GOOD.replace("groups: 3", "groups: 0"), "broker groups must be at least 1");
        assertThatThrownBy(() -> yaml(GOOD.replace("groups: 3", "groups: three")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("test.yaml, line 8: 'brokers.groups' must be a whole number, got 'three'");
    }

    @Test
    void everyErrorIsNamedAtOnce() throws IOException {
        rejected("namespace: Bad\nzones: [{name: az1, nodes: [n1]}]\ncontroller: {size: 4}\n",
                "namespace 'Bad'", "at least two zones", "controller size 4 is even");
    }

    @Test
    void aFileThatCannotBeReadSaysFileLineKeyAndWhatWasExpected() {
        assertThatThrownBy(() -> yaml(GOOD.replace("namespace: rocketmq", "namespace: [a, b]")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("test.yaml, line 1: 'namespace' must be a single text value, got a list");
        assertThatThrownBy(() -> yaml(GOOD + "controller:\n  size: [3]\n"))
                .hasMessageStartingWith("test.yaml, line 11: 'controller.size' must be a whole number");
        assertThatThrownBy(() -> yaml("zones: az1\n")).hasMessageStartingWith("test.yaml, line 1: 'zones' must be a list");
        assertThatThrownBy(() -> yaml("- az1\n")).hasMessageStartingWith("test.yaml, line 1: the file must be a mapping");
        assertThatThrownBy(() -> yaml("zones: [ {name: az1\n")).hasMessageStartingWith("test.yaml, line 2: not valid YAML");
        assertThatThrownBy(() -> yaml("# only a comment\n")).hasMessageStartingWith("test.yaml is empty");
        for (String bad : new String[] {"namespace: [a, b]\n", "zones: az1\n", "- az1\n", "brokers: {groups: [1]}\n"}) {
            assertThatThrownBy(() -> yaml(bad)).message().doesNotContain("Cannot deserialize").doesNotContain("java.")
                    .doesNotContain("JsonToken").doesNotContain("START_ARRAY");
        }
    }
}
