package io.crosszone.tasks.drill;

import io.crosszone.rocketmq.probe.ProbeSpec;
import java.util.List;
import java.util.Optional;

/**
 * Whether the probe's write outage shows a client stuck on stale routes rather than waiting for the
 * servers, and what an SRE should tell application teams. Pure.
 *
 * <p>Why a client gets stuck (RocketMQ 5.1.4 source, measured with FrozenNameServerBench on real
 * processes): the client sends every route lookup to one chosen name server. When that one is cut
 * off (frozen or partitioned: TCP still accepted, no answer), the lookup times out after
 * {@code mqClientApiTimeout} and the channel is closed, but the timeout aborts the whole refresh
 * round, and the client's name-server scan (every 3 s) opens a new connection to the same cut name
 * server, which still accepts TCP. The next round, {@code pollNameServerInterval} later, finds that
 * connection "active" and asks the cut name server again. With the defaults (30 s / 3 s) it never
 * moves on: the client keeps writing to the old master until the cut name server refuses
 * connections or answers again. A route refresh shorter than the API timeout lets the next round
 * start right after the timeout, before the scan reconnects, and the client moves to a live name
 * server.
 */
public final class StuckClientCheck {
    /** The client settings recommended for applications on 5.1.x clients (see the README). */
    public static final String RECOMMENDATION = "pollNameServerInterval="
            + ProbeSpec.RECOMMENDED_ROUTE_REFRESH.toMillis() + " (shorter than mqClientApiTimeout, default 3000; a shorter"
            + " mqClientApiTimeout alone makes it worse), or a RocketMQ client >= 5.3.0, which by its source no longer"
            + " reconnects to every name server on its own";

    private StuckClientCheck() {
    }

    /**
     * What the probe's client was and saw.
     *
     * @param settings        its settings, by RocketMQ name, as rendered in the report
     * @param routeRefreshMillis {@code pollNameServerInterval}
     * @param sendTimeoutMillis  timeout of one send
     * @param nameServerInUse the name server it used for route lookups when the zone went (null if unknown)
     */
    public record ProbeClient(String settings, long routeRefreshMillis, long sendTimeoutMillis, String nameServerInUse) {
    }

    /**
     * A warning when the client's outage is longer than a client refreshing its routes on time can
     * explain (RTO + one route refresh + one send timeout + 2 s), naming the likely cause.
     *
     * @param cutNameServers name servers (host:port) the drill cut off or stopped
     */
    public static Optional<String> warning(Long rtoMillis, Long writeOutageMillis, ProbeClient client,
                                           List<String> cutNameServers) {
        if (writeOutageMillis == null || client == null) {
            return Optional.empty();
        }
        long expected = (rtoMillis == null ? 0 : rtoMillis) + client.routeRefreshMillis() + client.sendTimeoutMillis() + 2000;
        if (writeOutageMillis <= expected) {
            return Optional.empty();
        }
        String head = "the probe's write outage (" + DrillMarkdown.ms(writeOutageMillis) + ") is longer than the RTO ("
                + DrillMarkdown.ms(rtoMillis) + ") plus one route refresh and one send timeout (" + DrillMarkdown.ms(expected)
                + "): the client, not the servers, kept writes down. Probe client: " + client.settings() + ".";
        if (client.nameServerInUse() != null && cutNameServers.contains(client.nameServerInUse())) {
            return Optional.of(head + " Likely cause: it was using name server " + client.nameServerInUse()
                    + ", which the drill cut off; a RocketMQ 5.1.x client keeps asking its chosen name server and"
                    + " reconnects to it while it still accepts TCP, so it keeps stale routes (measured on 5.1.4"
                    + " processes, in-use name server and master frozen: no recovery within 150 s with the defaults,"
                    + " writes back after ~6 s with pollNameServerInterval=2000). Fix for applications: "
                    + RECOMMENDATION + ".");
        }
        return Optional.of(head + " Likely cause: stale routes; if the client was on a cut-off name server, see the"
                + " README (failover-drill, client settings). Fix for applications: " + RECOMMENDATION + ".");
    }
}
