package io.crosszone.tasks.drill;

import io.crosszone.core.Progress;
import io.crosszone.core.TimeSource;
import io.crosszone.report.TaskReport;
import io.crosszone.rocketmq.RocketMqGateway;
import io.crosszone.rocketmq.probe.MessageProbe;
import io.crosszone.rocketmq.probe.ProbeSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The drill's observation after the cut: a fixed poll of the name server's and the controller's
 * views and of the probe into the {@link TimelineTracker}, with the {@link RunbookRepairs} done
 * as their moment comes, until every group is served again, the max duration, or an abort.
 */
final class Observer {
    private final RocketMqLink link;
    private final TimelineTracker tracker;
    private final RunbookRepairs repairs;
    private final DrillOptions o;
    private final TaskReport report;
    private final Progress progress;
    private final TimeSource time;
    private final Supplier<String> abort;
    private final BooleanSupplier cutConfirmed;
    private final List<String> groups;

    /**
     * @param abort        why to stop now (SIGTERM, a cut that did not hold), or null
     * @param cutConfirmed whether the cut has been confirmed in effect: until then the observation
     *                     records but neither repairs nor ends
     */
    Observer(RocketMqLink link, TimelineTracker tracker, RunbookRepairs repairs, DrillOptions o, TaskReport report,
             Progress progress, TimeSource time, Supplier<String> abort, BooleanSupplier cutConfirmed, List<String> groups) {
        this.link = link;
        this.tracker = tracker;
        this.repairs = repairs;
        this.o = o;
        this.report = report;
        this.progress = progress;
        this.time = time;
        this.abort = abort;
        this.cutConfirmed = cutConfirmed;
        this.groups = groups;
    }

    /**
     * Polls until every group is served again (both views and the probe), the max duration
     * (added to {@code failures}), or an abort. Returns why it was aborted, or null.
     */
    String observe(MessageProbe probe, long t0, List<String> failures) throws InterruptedException {
        long deadline = t0 + o.maxDuration().toMillis();
        long settle = ProbeSpec.of("x", "x").sendTimeout().toMillis() + 1000;
        long clientGrace = o.probeRouteRefresh().toMillis() + settle + 2000;
        long serversAt = -1;
        String last = null;
        while (true) {
            long now = time.currentMillis();
            long t = now - t0;
            String reason = abort.get();
            if (reason != null) {
                return reason;
            }
            Optional<RocketMqGateway> g = link.gateway();
            if (g.isPresent()) {
                try {
                    tracker.nameServer(time.currentMillis() - t0, g.get().clusterView(false));
                } catch (RuntimeException e) {
                    // every name server silent for this poll: the next one tries again
                }
                try {
                    tracker.controller(time.currentMillis() - t0, g.get().syncStateSets(groups));
                } catch (RuntimeException e) {
                    // no controller leader answered: that is what the stuck-promotion repair watches for
                }
            }
            tracker.probe(probe.sendsSoFar(), t0);
            boolean confirmed = cutConfirmed.getAsBoolean();
            if (confirmed) {
                repairs.tick(t, tracker.withoutMaster());
            }
            String status = "without master: " + tracker.withoutMaster() + ", servers recovered: "
                    + tracker.serversRecovered() + ", clients recovered: " + tracker.clientsRecovered();
            if (!status.equals(last)) {
                progress.info("+" + t + " ms " + status);
                last = status;
            }
            if (tracker.serversRecovered() && serversAt < 0) {
                serversAt = t;
            }
            if (!confirmed) {
                // not ended before the cut holds; the abort above ends a cut that never does (CutCheck.WAIT)
            } else if (serversAt >= 0 && tracker.clientsRecovered() && t >= settle) {
                return null;
            } else if (serversAt >= 0 && t - serversAt >= clientGrace) {
                // the new masters are known; a client that can refresh its routes has done so by now
                String w = "the probe (a client refreshing its routes every " + o.probeRouteRefresh().toSeconds()
                        + " s) had not written to groups " + tracker.notWrittenAgain() + " again " + clientGrace / 1000
                        + " s after the controller and the name server showed every new master";
                report.warn(w);
                progress.warn(w);
                return null;
            }
            if (now >= deadline) {
                failures.add("--max-duration " + o.maxDuration() + " reached before every group was served again");
                return null;
            }
            long sleep = o.pollInterval().toMillis() - (time.currentMillis() - now);
            time.sleep(Duration.ofMillis(Math.max(0, sleep)));
        }
    }
}
