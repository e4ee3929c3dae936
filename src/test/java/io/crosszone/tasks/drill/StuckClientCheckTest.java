package io.crosszone.tasks.drill;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.tasks.drill.StuckClientCheck.ProbeClient;
import java.util.List;
import org.junit.jupiter.api.Test;

class StuckClientCheckTest {
    private static final ProbeClient ON_CUT_NS = new ProbeClient("pollNameServerInterval=30000ms", 30_000, 3_000,
            "10.0.2.7:9876");

    @Test
    void anOutageWithinRtoPlusOneRefreshIsTheServersDoing() {
        // RTO 4 s + refresh 30 s + send timeout 3 s + 2 s = 39 s
        assertThat(StuckClientCheck.warning(4_000L, 39_000L, ON_CUT_NS, List.of("10.0.2.7:9876"))).isEmpty();
        assertThat(StuckClientCheck.warning(4_000L, null, ON_CUT_NS, List.of())).isEmpty();
        assertThat(StuckClientCheck.warning(4_000L, 90_000L, null, List.of())).isEmpty();
    }

    @Test
    void aLongerOutageOnACutNameServerNamesItAndTheSettingThatFixesIt() {
        String w = StuckClientCheck.warning(4_000L, 120_000L, ON_CUT_NS, List.of("10.0.2.7:9876")).orElseThrow();
        assertThat(w).contains("10.0.2.7:9876", "cut off", "pollNameServerInterval=30000ms", StuckClientCheck.RECOMMENDATION)
                .contains("120.0 s", "4.0 s", "39.0 s");
    }

    @Test
    void aLongerOutageOnALiveNameServerIsReportedWithoutBlamingIt() {
        String w = StuckClientCheck.warning(4_000L, 120_000L, ON_CUT_NS, List.of("10.0.1.5:9876")).orElseThrow();
        assertThat(w).contains("stale routes", StuckClientCheck.RECOMMENDATION).doesNotContain("which the drill cut off");
    }

    @Test
    void noRtoCountsAsZero() {
        assertThat(StuckClientCheck.warning(null, 36_000L, ON_CUT_NS, List.of())).isPresent();
    }
}
