package io.crosszone.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.crosszone.core.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Benchmark (mvn -B -Pbench verify, after package), not a test: start-up of the CLI as whole
 * processes against `crosszone lab up --rolled-out`, beside the runbook's check a user would
 * otherwise run (mqadmin clusterList + getSyncStateSet per group, each its own JVM, as
 * MQAdminStartup on the lab's RocketMQ classpath; only a benchmark runs mqadmin, never the product).
 * Every case runs once per round, rounds interleaved (A B A B), so load from elsewhere falls on all
 * alike; medians and min..max per case and the median of the per-round ratios go to
 * target/bench-results/startup.json (and .md), the lab's time to ready and peak RSS to lab.json.
 * -Dbench.runs=N (default 5); -Dbench.image=NAME (default localhost/crosszone:latest) is measured
 * with podman when podman has it.
 */
class StartupBench {
    private static final Path JAR = Path.of("target/crosszone.jar");
    private static final Path LAUNCHER = Path.of("target/crosszone");
    private static final Path RESULTS = Path.of("target/bench-results");
    private static final String MQADMIN = "the runbook's check (mqadmin clusterList + getSyncStateSet x groups)";

    record Stats(double median, double min, double max) {
        static Stats of(List<Double> values) {
            List<Double> v = values.stream().sorted().toList();
            int n = v.size();
            double median = n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
            return new Stats(round(median), round(v.get(0)), round(v.get(n - 1)));
        }
    }

    record Case(String name, String command, Stats wallSeconds, Stats cpuSeconds, Stats peakRssMib, List<Double> walls) {
    }

    @Test
    void startupBesideTheRunbooksCheck() throws Exception {
        assertThat(JAR).as("run after package: mvn -B -Pbench verify").exists();
        assertThat(LAUNCHER).as("the launcher made at package (image/crosszone.sh)").exists();
        assertThat(Measured.available()).as(Measured.TIME + " (Debian's `time`)").isTrue();
        int runs = Integer.getInteger("bench.runs", 5);
        String image = System.getProperty("bench.image", "localhost/crosszone:latest");
        Path labDir = Path.of("target/bench-lab").toAbsolutePath();
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).strip();

        Map<String, List<List<String>>> cases = new LinkedHashMap<>();
        Map<String, List<Measured>> samples = new LinkedHashMap<>();
        LabProcess lab = new LabProcess(JAR, labDir, Path.of("target/bench-lab-work"));
        if (!lab.awaitReady()) {
            // once more: under heavy load the lab's own start can trip (a retried create answered 409)
            System.out.println("[bench startup] the lab did not get ready, starting it again:\n" + String.join("\n", lab.errLines()));
            lab.close();
            lab = new LabProcess(JAR, labDir, Path.of("target/bench-lab-work"));
            assertThat(lab.awaitReady()).as("the lab did not get ready:\n" + String.join("\n", lab.errLines())).isTrue();
        }
        try {
            String config = labDir.resolve("crosszone.yaml").toString();
            String kubeconfig = labDir.resolve("kubeconfig").toString();
            List<String> verify = List.of("verify-distribution", "--config", config, "--kubeconfig", kubeconfig);
            Map<String, List<String>> tasks = new LinkedHashMap<>();
            tasks.put("--help", List.of("--help"));
            tasks.put("plan", List.of("plan", "--config", Path.of("crosszone.example.yaml").toAbsolutePath().toString()));
            tasks.put("label-zones --dry-run", List.of("label-zones", "--dry-run", "--config", config, "--kubeconfig", kubeconfig));
            tasks.put("verify-distribution", verify);

            Measured first = Measured.run(cli(List.of(LAUNCHER.toString()), verify));
            assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
            cases.put(MQADMIN, mqadmin(lab, first.out(), Files.readString(Path.of(config))));
            boolean withImage = podmanHas(image);
            tasks.forEach((name, args) -> {
                cases.put("jar: java -jar crosszone.jar " + name, List.of(cli(List.of("java", "-jar", JAR.toString()), args)));
                cases.put("jar: target/crosszone " + name, List.of(cli(List.of(LAUNCHER.toString()), args)));
                if (withImage) {
                    cases.put("image: podman run " + name, List.of(cli(List.of("podman", "run", "--rm", "--network", "host",
                            "-v", labDir + ":" + labDir + ":ro", "-v", Path.of("crosszone.example.yaml").toAbsolutePath() + ":"
                                    + Path.of("crosszone.example.yaml").toAbsolutePath() + ":ro", image), args)));
                }
            });
            for (int round = 0; round < runs; round++) {
                for (var c : cases.entrySet()) {
                    Measured m = Measured.sequence(c.getValue());
                    assertThat(m.exitCode()).as(c.getKey() + ": " + m.out() + m.err()).isZero();
                    samples.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(m);
                }
            }
        } finally {
            lab.close();
        }
        String loadAfter = Files.readString(Path.of("/proc/loadavg")).strip();

        List<Case> results = new ArrayList<>();
        samples.forEach((name, ms) -> results.add(new Case(name, String.join(" ; ", cases.get(name).stream()
                .map(c -> String.join(" ", c)).toList()),
                Stats.of(ms.stream().map(Measured::wallSeconds).toList()),
                Stats.of(ms.stream().map(Measured::cpuSeconds).toList()),
                Stats.of(ms.stream().map(m -> m.peakRssKib() / 1024.0).toList()),
                ms.stream().map(Measured::wallSeconds).toList())));
        Map<String, Object> ratios = new LinkedHashMap<>();
        for (String cli : List.of("jar: java -jar crosszone.jar verify-distribution", "jar: target/crosszone verify-distribution",
                "image: podman run verify-distribution")) {
            if (samples.containsKey(cli)) {
                List<Double> perRound = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    perRound.add(samples.get(MQADMIN).get(i).wallSeconds() / samples.get(cli).get(i).wallSeconds());
                }
                ratios.put(MQADMIN + " / " + cli, Stats.of(perRound));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("machine", BenchMachine.describe(loadBefore, loadAfter));
        out.put("runs", runs);
        out.put("cases", results);
        out.put("wallRatios", ratios);
        Map<String, Object> labOut = new LinkedHashMap<>();
        labOut.put("command", "java -jar target/crosszone.jar lab up --rolled-out");
        labOut.put("readySeconds", round(lab.readySeconds));
        labOut.put("peakRssMibAllProcesses", round(lab.peakRssMib()));
        labOut.put("peakProcesses", lab.peakProcesses());
        labOut.put("machine", BenchMachine.describe(loadBefore, loadAfter));
        Files.createDirectories(RESULTS);
        Files.writeString(RESULTS.resolve("startup.json"), Json.write(out));
        Files.writeString(RESULTS.resolve("lab.json"), Json.write(labOut));
        Files.writeString(RESULTS.resolve("startup.md"), markdown(results, ratios, runs, loadBefore, loadAfter));
        System.out.println("[bench startup] " + Json.write(out));
        System.out.println("[bench lab] " + Json.write(labOut));
    }

    private static List<String> cli(List<String> launcher, List<String> args) {
        List<String> c = new ArrayList<>(launcher);
        c.addAll(args);
        return c;
    }

    /** The four JVMs of the runbook's check, addressed as a user would read them off the lab. */
    private static List<List<String>> mqadmin(LabProcess lab, String verifyOut, String config) throws IOException {
        String classpath = Files.readString(Path.of("target/rocketmq-servers.classpath")).strip();
        String nameServers = lab.errLines().stream().map(l -> find(l, "name servers (\\S+)")).filter(s -> s != null)
                .findFirst().orElseThrow(() -> new AssertionError("the lab named no name servers: " + lab.errLines()));
        String controller = find(verifyOut, "controller leader (\\S+)");
        assertThat(controller).as("verify-distribution names the controller leader: " + verifyOut).isNotNull();
        int groups = Integer.parseInt(find(config, "groups: (\\d+)"));
        List<String> java = List.of("java", "-cp", classpath, "org.apache.rocketmq.tools.command.MQAdminStartup");
        List<List<String>> out = new ArrayList<>();
        out.add(cli(java, List.of("clusterList", "-n", nameServers)));
        for (int g = 0; g < groups; g++) {
            out.add(cli(java, List.of("getSyncStateSet", "-a", controller, "-b", "broker-" + g)));
        }
        return out;
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? m.group(1) : null;
    }

    private static boolean podmanHas(String image) {
        try {
            Process p = new ProcessBuilder("podman", "image", "exists", image).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String markdown(List<Case> cases, Map<String, Object> ratios, int runs, String loadBefore, String loadAfter) {
        StringBuilder b = new StringBuilder("| case (" + runs + " interleaved runs) | wall s, median (min..max) | CPU s, median (min..max) | peak RSS MiB, median (min..max) |\n|---|---|---|---|\n");
        for (Case c : cases) {
            b.append("| ").append(c.name()).append(" | ").append(fmt(c.wallSeconds())).append(" | ").append(fmt(c.cpuSeconds()))
                    .append(" | ").append(fmt(c.peakRssMib())).append(" |\n");
        }
        b.append("\n| ratio of wall times, per round | median (min..max) |\n|---|---|\n");
        ratios.forEach((k, v) -> b.append("| ").append(k).append(" | ").append(fmt((Stats) v)).append(" |\n"));
        b.append("\nload average before: ").append(loadBefore).append("; after: ").append(loadAfter).append('\n');
        return b.toString();
    }

    private static String fmt(Stats s) {
        return String.format("%.2f (%.2f..%.2f)", s.median(), s.min(), s.max());
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
