package io.crosszone.tasks.reseed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.crosszone.config.ConfigException;
import io.crosszone.core.Json;
import io.crosszone.rocketmq.Replica;
import io.crosszone.rocketmq.SyncStateSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record a re-seed starts from: what verify-distribution and the drill write reads back; anything else is bad input. */
class KnownStateTest {
    @TempDir
    Path dir;

    @Test
    void whatVerifyWritesReadsBack() throws Exception {
        SyncStateSet s = new SyncStateSet("broker-0", 1L, "10.0.0.100:10911", 6, 18,
                List.of(new Replica(1, "10.0.0.100:10911", true), new Replica(3, "10.0.0.101:10911", true)),
                List.of(new Replica(2, "10.0.0.101:10911", false)));
        Path f = Files.writeString(dir.resolve("controller-metadata.json"), Json.write(Map.of("broker-0", s)));
        assertThat(KnownState.read(f)).containsExactly(Map.entry("broker-0", s));
    }

    @Test
    void anythingElseIsBadInputNamingTheFile() throws Exception {
        Path missing = dir.resolve("none.json");
        Path malformed = Files.writeString(dir.resolve("malformed.json"), "{ \"broker-0\": [1, 2");
        Path empty = Files.writeString(dir.resolve("empty.json"), "{}");
        Path noMembers = Files.writeString(dir.resolve("nomembers.json"),
                "{\"broker-0\": {\"group\": \"broker-0\", \"masterEpoch\": 1, \"syncStateSetEpoch\": 1, \"inSync\": [], \"notInSync\": []}}");
        Path otherGroup = Files.writeString(dir.resolve("other.json"), "{\"broker-0\": {\"group\": \"broker-9\", \"inSync\":"
                + " [{\"brokerId\": 1, \"address\": \"a:1\", \"alive\": true}], \"notInSync\": []}}");
        for (Path p : List.of(missing, malformed, empty, noMembers, otherGroup)) {
            assertThatThrownBy(() -> KnownState.read(p)).as(p.toString()).isInstanceOf(ConfigException.class)
                    .hasMessageContaining("--known-state " + p).hasMessageNotContaining("\tat ");
        }
    }
}
