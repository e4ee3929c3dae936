package io.crosszone.rocketmq;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.rocketmq.probe.OutageWindow;
import io.crosszone.rocketmq.probe.ProbeOutages;
import io.crosszone.rocketmq.probe.SendRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageProbeOutageTest {
    private static SendRecord ok(String group, long start, long end) {
        return new SendRecord(group + start, group, start, end, true, null, group);
    }

    private static SendRecord failed(String group, long start, long end) {
        return new SendRecord(group + start, group, start, end, false, "RemotingConnectException", null);
    }

    @Test
    void anOutageRunsFromTheFirstFailureToTheNextAcknowledgementPerGroup() {
        List<OutageWindow> windows = ProbeOutages.of(List.of(
                ok("g0", 0, 5), failed("g0", 100, 101), failed("g0", 200, 3200), ok("g0", 3300, 3310),
                ok("g1", 0, 5), ok("g1", 100, 105), failed("g1", 200, 210)));
        assertThat(windows).containsExactly(
                new OutageWindow("g0", 100, 3310, 2, true),
                new OutageWindow("g1", 200, 210, 1, false));
        assertThat(windows.get(0).duration().toMillis()).isEqualTo(3210);
    }

    @Test
    void noFailureNoOutage() {
        assertThat(ProbeOutages.of(List.of(ok("g0", 0, 1), ok("g0", 10, 11)))).isEmpty();
    }
}
