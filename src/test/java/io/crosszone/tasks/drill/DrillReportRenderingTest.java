package io.crosszone.tasks.drill;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.tasks.drill.DrillEvent.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

class DrillReportRenderingTest {

    static List<DrillEvent> timeline() {
        return List.of(
                new DrillEvent(0, Kind.INJECTED, null, "kill: cordoned k8s-node-04..06, deleted 4 pods"),
                new DrillEvent(40, Kind.MASTER_LOST, 0, "controller: 127.0.1.2:10911 gone"),
                new DrillEvent(95, Kind.MASTER_ELECTED, 0, "127.0.1.3:10911 epoch 2"),
                new DrillEvent(260, Kind.NAMESRV_MASTER, 0, "BID 0 = 127.0.1.3:10911"),
                new DrillEvent(120, Kind.MASTER_LOST, 1, null),
                new DrillEvent(900, Kind.MASTER_ELECTED, 1, null),
                new DrillEvent(700, Kind.NAMESRV_MASTER, 1, null),
                new DrillEvent(4200, Kind.FIRST_WRITE, 1, null),
                new DrillEvent(5000, Kind.RESTORE_STARTED, null, null),
                new DrillEvent(9000, Kind.RESTORED, null, null));
    }

    @Test
    void rtoIsWhenBothControllerAndNameServerShowTheNewMaster() {
        List<GroupOutcome> groups = DrillMeasurements.groups(timeline(), "broker", 3, List.of(0, 1),
                Map.of(0, "127.0.1.3:10911"), Map.of(1, 4100L));
        assertThat(groups.get(0).rtoMillis()).isEqualTo(260L);
        assertThat(groups.get(1).rtoMillis()).isEqualTo(900L);
        assertThat(groups.get(2).rtoMillis()).isZero();
        assertThat(groups.get(2).lostMaster()).isFalse();
        assertThat(DrillMeasurements.overallRto(groups)).isEqualTo(900L);
    }

    @Test
    void aGroupThatNeverRecoversHasNoRto() {
        List<DrillEvent> t = List.of(new DrillEvent(0, Kind.INJECTED, null, null), new DrillEvent(10, Kind.MASTER_ELECTED, 2, null));
        List<GroupOutcome> groups = DrillMeasurements.groups(t, "broker", 3, List.of(2), Map.of(), Map.of());
        assertThat(groups.get(2).rtoMillis()).isNull();
        assertThat(DrillMeasurements.overallRto(groups)).isNull();
    }

    static DrillReport report() {
        List<GroupOutcome> groups = DrillMeasurements.groups(timeline(), "broker", 3, List.of(0, 1),
                Map.of(0, "127.0.1.3:10911"), Map.of(1, 4100L));
        return new DrillReport("az2", "kill", "passed", 900L, 4100L, groups, 1200, 3, 0, List.of(), 2,
                List.of("moved the controller <pod> out of az2"), timeline(), List.of(), 9100,
                "pollNameServerInterval=30000ms, mqClientApiTimeout=3000ms", List.of(),
                new DrillReport.Restore(true, true, List.of()),
                new DrillReport.Cut(DrillMode.KILL.models(), "packet-drop", 412L, List.of("controller 10.192.1.7:9878"), List.of(),
                        "2026-12-05T10:00:00Z", "2026-12-05T10:00:00.412Z"),
                List.of(new DrillReport.Probe("ordinary", "pollNameServerInterval=30000ms", 700, 2, 0, 1, 4100L),
                        new DrillReport.Probe("tuned", "pollNameServerInterval=2000ms", 500, 1, 0, 1, null)));
    }

    @Test
    void htmlIsOneWellFormedPageWithALanePerGroup(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        String html = DrillHtml.render(report());
        // well-formed as XML (self-contained, no external references)
        Path f = dir.resolve("drill.xhtml");
        Files.writeString(f, html.replace("<!DOCTYPE html>\n", ""));
        var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(f.toFile());
        assertThat(doc.getElementsByTagName("svg").getLength()).isEqualTo(1);
        assertThat(html).doesNotContain("src=", "href=").contains("broker-0", "broker-1", "broker-2")
                .contains("RTO 900 ms").contains("&lt;pod&gt;").doesNotContain("<pod>");
        assertThat(doc.getElementsByTagName("circle").getLength()).isEqualTo(7);
    }

    @Test
    void markdownSummarisesTheMeasures() {
        String md = DrillMarkdown.render(report());
        assertThat(md).contains("**Verdict: passed**", "| RTO (server view: every group has a master again) | 900 ms |",
                "| longest write outage (client view, probe) | 4.1 s |", "| lost (RPO) | 0 |", "| broker-1 | yes | 900 ms |",
                "| probe client | pollNameServerInterval=30000ms, mqClientApiTimeout=3000ms |",
                "Restore: whole again (every pod Ready, every SyncStateSet full); masters failed back to their planned replicas",
                "Cut: the zone's broker pods crash", "enforced by packet-drop; in effect 412 ms after it was made: silent [controller 10.192.1.7:9878]");
        assertThat(DrillHtml.render(report())).contains("<th>Cut</th>", "enforced by packet-drop",
                "<th>Probe client: tuned</th><td>500 acknowledged, 1 failed, 0 lost, longest write outage not counted");
        assertThat(md).doesNotContain("Client warnings");
        assertThat(md).contains("## Probe clients", "| ordinary | 700 | 2 | 0 | 1 | 4.1 s | pollNameServerInterval=30000ms |",
                "| tuned | 500 | 1 | 0 | 1 | - | pollNameServerInterval=2000ms |");
    }

    @Test
    void clientWarningsAreListedInBothRenderings() {
        DrillReport r = report();
        DrillReport warned = new DrillReport(r.zone(), r.mode(), r.verdict(), r.rtoMillis(), 120_000L, r.groups(), r.acked(),
                r.failedSends(), r.lost(), r.lostKeys(), r.duplicates(), r.actions(), r.timeline(), r.problems(),
                r.durationMillis(), r.probeClient(), List.of("stuck on name server <10.0.2.7:9876>"),
                new DrillReport.Restore(false, true, List.of("after restore: masters-balanced <az1=2>")), r.cut(), r.probes());
        assertThat(DrillMarkdown.render(warned)).contains("## Client warnings", "- stuck on name server <10.0.2.7:9876>");
        assertThat(DrillHtml.render(warned)).contains("<h2>Client warnings</h2>", "stuck on name server &lt;10.0.2.7:9876&gt;");
        // --no-fail-back: the restore says the masters were left, and its warning is listed
        assertThat(DrillMarkdown.render(warned)).contains("masters left where failover put them (--no-fail-back)",
                "## Warnings", "- after restore: masters-balanced <az1=2>");
        assertThat(DrillHtml.render(warned)).contains("<h2>Warnings</h2>", "masters-balanced &lt;az1=2&gt;");
    }
}
