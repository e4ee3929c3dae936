package io.crosszone.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WaiterTest {
    private final StringWriter lines = new StringWriter();
    private final FakeTime time = new FakeTime(1_000);
    private final Waiter waiter = new Waiter(new Progress("t", new PrintWriter(lines)), Duration.ofSeconds(2), time);

    @Test
    void returnsOnceTheConditionHoldsPrintingEachChangedAccountOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Waiter.Status s = waiter.until("pods: ", Duration.ofMinutes(1), () -> {
            int n = calls.incrementAndGet();
            return n < 3 ? Waiter.Status.waiting("1 of 2 Ready") : Waiter.Status.done("2 of 2 Ready");
        });
        assertThat(s.text()).isEqualTo("2 of 2 Ready");
        assertThat(time.sleeps()).isEqualTo(2);
        assertThat(lines.toString()).isEqualTo("[t] pods: 1 of 2 Ready\n[t] pods: 2 of 2 Ready\n");
    }

    @Test
    void timesOutOnTheInjectedClockWithTheLastAccount() {
        assertThatThrownBy(() -> waiter.until("", Duration.ofMinutes(10), () -> Waiter.Status.waiting("still 1 of 2")))
                .isInstanceOf(Waiter.TimedOut.class)
                .hasMessage("still 1 of 2");
        // 10 minutes (and one more look) at one look every 2 s, in no real time
        assertThat(time.sleeps()).isEqualTo(301);
        assertThat(time.currentMillis()).isEqualTo(1_000 + 602_000);
    }
}
