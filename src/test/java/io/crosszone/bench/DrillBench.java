package io.crosszone.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosszone.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Benchmark (mvn -B -Pbench verify, after package), not a test: failover drills, as whole processes,
 * against one `crosszone lab up --rolled-out`, so that RTO is given over many drills per mode and
 * zone rather than one, and the drill's own timing is checked against the controller's.
 * <p>
 * Accuracy: the drill dates an election by its poll of the controller (MASTER_ELECTED, relative to
 * t=0; the report gives t=0 as an instant); the controller itself logs each election it runs ("Event
 * queue run event electMaster ... masterEpoch=N", RocketMQ 5.1.4's DLedgerController, in the lab's
 * INFO log). Matched by group and epoch, the difference is how late the timeline saw it: the goal is
 * under one poll (250 ms). Reading a server log is a benchmark's business only; the product never
 * parses RocketMQ's text.
 * <p>
 * -Dbench.drills=N rounds (default 5), -Dbench.modes=partition,kill, -Dbench.zones=az1,az2; every
 * round runs each mode and zone once, interleaved. Results: target/bench-results/drill.json (every
 * drill, per mode and zone the RTO of each group that lost its master, write outages per probe
 * client, lost, verdicts; the accuracy samples) and drill.md.
 */
class DrillBench {
    private static final Path JAR = Path.of("target/crosszone.jar");
    private static final Path RESULTS = Path.of("target/bench-results");
    private static final Pattern LOGGED_ELECTION = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*Event queue run event"
            + " electMaster, get the result ControllerResult\\{events=\\[ElectMasterEvent\\{newMasterElected=true,"
            + " brokerName='([^']+)'.*masterEpoch=(\\d+)");
    private static final Pattern TIMELINE_EPOCH = Pattern.compile("epoch (\\d+)\\)");

    /** One election: as the controller logged it and as the drill's timeline dated it. */
    record Election(String mode, String zone, int round, String group, int epoch, String loggedAt, String timelineAt,
                    long timelineLateMillis, long loggedAfterT0Millis) {
    }

    @Test
    void rtoPerModeAndTimelineAccuracy() throws Exception {
        assertThat(JAR).as("run after package: mvn -B -Pbench verify").exists();
        int rounds = Integer.getInteger("bench.drills", 5);
        List<String> modes = list(System.getProperty("bench.modes", "partition,kill"));
        List<String> zones = list(System.getProperty("bench.zones", "az1,az2"));
        Path labDir = Path.of("target/bench-drill-lab").toAbsolutePath();
        Path workDir = Path.of("target/bench-drill-work").toAbsolutePath();
        Path drillsDir = RESULTS.resolve("drills").toAbsolutePath();
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();

        List<Map<String, Object>> drills = new ArrayList<>();
        List<Election> elections = new ArrayList<>();
        try (LabProcess lab = new LabProcess(JAR, labDir, workDir)) {
            assertThat(lab.awaitReady()).as("the lab did not get ready:\n" + String.join("\n", lab.errLines())).isTrue();
            List<String> target = List.of("--config", labDir.resolve("crosszone.yaml").toString(),
                    "--kubeconfig", labDir.resolve("kubeconfig").toString());
            for (int round = 1; round <= rounds; round++) {
                for (String mode : modes) {
                    for (String zone : zones) {
                        Path dir = drillsDir.resolve(round + "-" + mode + "-" + zone);
                        List<String> drill = new ArrayList<>(List.of("java", "-jar", JAR.toString(), "failover-drill"));
                        drill.addAll(target);
                        // as `crosszone lab` drills: the lab's volumes are zonal, so the controller's zone needs the repair
                        drill.addAll(List.of("--zone", zone, "--mode", mode, "--max-duration", "5m",
                                "--replace-controller-volume", "--report-dir", dir.toString()));
                        Measured m = Measured.run(drill, 20);
                        Map<String, Object> row = summary(mode, zone, round, m, dir.resolve("drill-" + zone + ".json"));
                        drills.add(row);
                        System.out.println("[bench drill] " + Json.write(row));
                        elections.addAll(accuracy(mode, zone, round, dir.resolve("drill-" + zone + ".json"), workDir));
                        if (m.exitCode() != 0 && m.exitCode() != 1) {
                            // a drill that could not finish keeps its lock: undo it, or every later drill refuses
                            List<String> recover = new ArrayList<>(List.of("java", "-jar", JAR.toString(), "failover-drill"));
                            recover.addAll(target);
                            recover.add("--recover");
                            Measured r = Measured.run(recover, 20);
                            System.out.println("[bench drill] recover exit " + r.exitCode() + ": " + r.err());
                        }
                    }
                }
            }
        }
        String loadAfter = Files.readString(Path.of("/proc/loadavg")).strip();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("machine", BenchMachine.describe(loadBefore, loadAfter));
        out.put("command", "mvn -B -o -Pbench test -Dtest=DrillBench -Dbench.drills=" + rounds);
        out.put("lab", "java -jar target/crosszone.jar lab up --rolled-out (3 groups x 2 replicas, zonal volumes, 1 controller in az2)");
        out.put("perModeAndZone", perModeAndZone(drills, modes, zones));
        out.put("timelineAccuracy", accuracySummary(elections));
        out.put("drills", drills);
        out.put("elections", elections);
        Files.createDirectories(RESULTS);
        Files.writeString(RESULTS.resolve("drill.json"), Json.write(out));
        Files.writeString(RESULTS.resolve("drill.md"), markdown(out, rounds));
        System.out.println("[bench drill] " + Json.write(out.get("perModeAndZone")) + " " + Json.write(out.get("timelineAccuracy")));
        assertThat(drills).hasSize(rounds * modes.size() * zones.size());
    }

    private static Map<String, Object> summary(String mode, String zone, int round, Measured m, Path report) throws IOException {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("round", round);
        row.put("mode", mode);
        row.put("zone", zone);
        row.put("exitCode", m.exitCode());
        row.put("wallSeconds", m.wallSeconds());
        if (!Files.exists(report)) {
            row.put("verdict", "no report");
            row.put("stderrTail", tail(m.err()));
            return row;
        }
        JsonNode r = Json.MAPPER.readTree(report.toFile());
        row.put("verdict", r.path("verdict").asText());
        Map<String, Long> rto = new LinkedHashMap<>();
        for (JsonNode g : r.path("groups")) {
            if (g.path("lostMaster").asBoolean()) {
                rto.put(g.path("brokerName").asText(), g.path("rtoMillis").isNumber() ? g.path("rtoMillis").asLong() : null);
            }
        }
        row.put("rtoMillisOfGroupsThatLostTheirMaster", rto);
        row.put("cutInEffectMillis", r.path("cut").path("inEffectMillis").isNumber() ? r.path("cut").path("inEffectMillis").asLong() : null);
        Map<String, Object> outage = new LinkedHashMap<>();
        for (JsonNode p : r.path("probes")) {
            outage.put(p.path("client").asText(), p.path("longestWriteOutageMillis").isNumber()
                    ? p.path("longestWriteOutageMillis").asLong() : null);
        }
        row.put("longestWriteOutageMillis", outage);
        row.put("acknowledged", r.path("acked").asLong());
        row.put("lost", r.path("lost").asLong());
        row.put("actions", r.path("actions").size());
        row.put("durationMillis", r.path("durationMillis").asLong());
        if (!"passed".equals(r.path("verdict").asText())) {
            List<String> problems = new ArrayList<>();
            r.path("problems").forEach(p -> problems.add(p.asText()));
            row.put("problems", problems);
        }
        return row;
    }

    /** Each MASTER_ELECTED of the timeline beside the controller's own log line for that group and epoch. */
    private static List<Election> accuracy(String mode, String zone, int round, Path report, Path workDir) throws IOException {
        if (!Files.exists(report)) {
            return List.of();
        }
        JsonNode r = Json.MAPPER.readTree(report.toFile());
        String t0At = r.path("cut").path("t0At").asText(null);
        if (t0At == null) {
            return List.of();
        }
        Instant t0 = Instant.parse(t0At);
        Map<String, Instant> logged = loggedElections(workDir, t0);
        List<Election> out = new ArrayList<>();
        for (JsonNode e : r.path("timeline")) {
            Matcher epoch = TIMELINE_EPOCH.matcher(e.path("detail").asText());
            if (!"MASTER_ELECTED".equals(e.path("kind").asText()) || !epoch.find()) {
                continue;
            }
            String group = "broker-" + e.path("group").asInt();
            Instant seen = t0.plusMillis(e.path("atMillis").asLong());
            Instant at = logged.get(group + "@" + epoch.group(1));
            if (at != null) {
                out.add(new Election(mode, zone, round, group, Integer.parseInt(epoch.group(1)), at.toString(), seen.toString(),
                        seen.toEpochMilli() - at.toEpochMilli(), at.toEpochMilli() - t0.toEpochMilli()));
            }
        }
        return out;
    }

    /**
     * group@epoch to when a controller ran that election, from every controller's log of the lab
     * (a replaced controller writes a log of its own). Log lines carry the time of day only: dated
     * on t=0's day, in this machine's time zone (the lab's JVMs share it).
     */
    private static Map<String, Instant> loggedElections(Path workDir, Instant t0) throws IOException {
        Map<String, Instant> out = new LinkedHashMap<>();
        LocalDate day = t0.atZone(ZoneId.systemDefault()).toLocalDate();
        List<Path> logs;
        try (Stream<Path> walk = Files.walk(workDir)) {
            logs = walk.filter(p -> p.getFileName().toString().equals("rocketmq.log") && p.toString().contains("controller")).toList();
        }
        for (Path log : logs) {
            for (String line : Files.readAllLines(log)) {
                Matcher m = LOGGED_ELECTION.matcher(line);
                if (m.find()) {
                    Instant at = LocalTime.parse(m.group(1)).atDate(day).atZone(ZoneId.systemDefault()).toInstant();
                    out.merge(m.group(2) + "@" + m.group(3), at, (a, b) -> a.isBefore(b) ? a : b);
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> perModeAndZone(List<Map<String, Object>> drills, List<String> modes, List<String> zones) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String mode : modes) {
            for (String zone : zones) {
                List<Map<String, Object>> these = drills.stream().filter(d -> d.get("mode").equals(mode) && d.get("zone").equals(zone)).toList();
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("drills", these.size());
                s.put("passed", these.stream().filter(d -> "passed".equals(d.get("verdict"))).count());
                Map<String, List<Double>> rtoPerGroup = new LinkedHashMap<>();
                List<Double> ordinary = new ArrayList<>();
                List<Double> tuned = new ArrayList<>();
                List<Double> wall = new ArrayList<>();
                long lost = 0;
                for (Map<String, Object> d : these) {
                    wall.add((Double) d.get("wallSeconds"));
                    lost += d.get("lost") == null ? 0 : (Long) d.get("lost");
                    Map<String, Long> rto = (Map<String, Long>) d.getOrDefault("rtoMillisOfGroupsThatLostTheirMaster", Map.of());
                    rto.forEach((g, v) -> {
                        if (v != null) {
                            rtoPerGroup.computeIfAbsent(g, k -> new ArrayList<>()).add(v / 1000.0);
                        }
                    });
                    Map<String, Long> outage = (Map<String, Long>) d.getOrDefault("longestWriteOutageMillis", Map.of());
                    if (outage.get("ordinary") != null) {
                        ordinary.add(outage.get("ordinary") / 1000.0);
                    }
                    if (outage.get("tuned") != null) {
                        tuned.add(outage.get("tuned") / 1000.0);
                    }
                }
                Map<String, Object> rto = new LinkedHashMap<>();
                rtoPerGroup.forEach((g, v) -> rto.put(g, StartupBench.Stats.of(v)));
                s.put("rtoSecondsPerGroup", rto);
                s.put("longestWriteOutageSecondsOrdinaryClient", ordinary.isEmpty() ? null : StartupBench.Stats.of(ordinary));
                s.put("longestWriteOutageSecondsTunedClient", tuned.isEmpty() ? null : StartupBench.Stats.of(tuned));
                s.put("lostAcknowledged", lost);
                s.put("drillWallSeconds", wall.isEmpty() ? null : StartupBench.Stats.of(wall));
                out.put(mode + " " + zone, s);
            }
        }
        return out;
    }

    private static Map<String, Object> accuracySummary(List<Election> elections) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("pollMillis", 250);
        s.put("matched", elections.size());
        if (!elections.isEmpty()) {
            s.put("timelineLateMillis", StartupBench.Stats.of(elections.stream().map(e -> (double) e.timelineLateMillis()).toList()));
            s.put("withinOnePoll", elections.stream().filter(e -> e.timelineLateMillis() >= 0 && e.timelineLateMillis() <= 250).count());
            // an election the controller ran before t=0: the zone's loss was noticed while the drill still confirmed the cut
            s.put("electedBeforeT0", elections.stream().filter(e -> e.loggedAfterT0Millis() < 0).count());
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private static String markdown(Map<String, Object> out, int rounds) {
        StringBuilder b = new StringBuilder("| mode, zone lost | drills passed | RTO s per group that lost its master, median (min..max)"
                + " | longest write outage s, ordinary client | tuned client | acknowledged then lost |\n|---|---|---|---|---|---|\n");
        ((Map<String, Object>) out.get("perModeAndZone")).forEach((k, v) -> {
            Map<String, Object> s = (Map<String, Object>) v;
            StringBuilder rto = new StringBuilder();
            ((Map<String, Object>) s.get("rtoSecondsPerGroup")).forEach((g, st) -> rto.append(rto.length() == 0 ? "" : "; ")
                    .append(g).append(' ').append(fmt((StartupBench.Stats) st)));
            b.append("| ").append(k).append(" | ").append(s.get("passed")).append(" of ").append(s.get("drills")).append(" | ")
                    .append(rto.length() == 0 ? "none lost its master" : rto).append(" | ")
                    .append(fmt((StartupBench.Stats) s.get("longestWriteOutageSecondsOrdinaryClient"))).append(" | ")
                    .append(fmt((StartupBench.Stats) s.get("longestWriteOutageSecondsTunedClient"))).append(" | ")
                    .append(s.get("lostAcknowledged")).append(" |\n");
        });
        Map<String, Object> a = (Map<String, Object>) out.get("timelineAccuracy");
        b.append("\nTimeline accuracy (the drill's MASTER_ELECTED minus the controller's logged election, same group and epoch): ")
                .append(a.get("matched")).append(" elections matched");
        if (a.containsKey("timelineLateMillis")) {
            StartupBench.Stats s = (StartupBench.Stats) a.get("timelineLateMillis");
            b.append(", late by ").append(String.format("%.0f ms median (%.0f..%.0f)", s.median(), s.min(), s.max()))
                    .append(", ").append(a.get("withinOnePoll")).append(" within one poll (").append(a.get("pollMillis")).append(" ms)");
        }
        b.append(".\n\n").append(rounds).append(" rounds; load average before: ")
                .append(((Map<String, Object>) out.get("machine")).get("loadavgBefore")).append("; after: ")
                .append(((Map<String, Object>) out.get("machine")).get("loadavgAfter")).append('\n');
        return b.toString();
    }

    private static String fmt(StartupBench.Stats s) {
        return s == null ? "-" : String.format("%.2f (%.2f..%.2f)", s.median(), s.min(), s.max());
    }

    private static String tail(String text) {
        List<String> lines = Arrays.asList(text.split("\n"));
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    }

    private static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
