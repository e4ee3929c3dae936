package io.crosszone.cli;

import io.crosszone.core.ExitCodes;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import io.crosszone.lab.StaticDeploymentFixture;
import io.crosszone.core.Json;
import io.crosszone.support.Kubeconfigs;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as a real process (its own JVM, the real main, real HTTP to the mock API server): what
 * stdout and stderr carry. No SLF4J warning and no library log without --verbose; stdout is one
 * JSON document with --output json, also with --verbose; and secrets planted in the kubeconfig and
 * the environment appear nowhere: stdout, stderr (logs and stack traces) and reports.
 */
@EnableKubernetesMockClient(crud = true)
@Tag("process") // child JVMs
class ProcessOutputTest {
    private static final List<String> SECRETS = List.of("planted-token-S1", "planted-password-S2", "planted-key-S3",
            "planted-cert-S4", "planted-env-token-S5", "planted-header-S6", "planted-urlpass-S7");

    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path dir;
    Path kubeconfig;

    @BeforeEach
    void cluster() throws Exception {
        // pods on loopback addresses where nothing listens: RocketMQ calls fail fast (and may log)
        StaticDeploymentFixture.runbook().podIps(i -> "127.77.0." + (i + 1)).apply(client);
        String key = Base64.getEncoder().encodeToString("-----BEGIN RSA PRIVATE KEY-----\nplanted-key-S3\n-----END RSA PRIVATE KEY-----\n"
                .getBytes(StandardCharsets.UTF_8));
        String cert = Base64.getEncoder().encodeToString("-----BEGIN CERTIFICATE-----\nplanted-cert-S4\n-----END CERTIFICATE-----\n"
                .getBytes(StandardCharsets.UTF_8));
        kubeconfig = Kubeconfigs.write(dir, server, """
                token: planted-token-S1
                    username: admin
                    password: planted-password-S2""", """
                # a user of no context, with a client certificate and key
                """);
        String text = Files.readString(kubeconfig).replace("""
                - name: prod-user
                  user:
                    token: prod-token""", """
                - name: prod-user
                  user:
                    client-certificate-data: %s
                    client-key-data: %s""".formatted(cert, key))
                // and the unreachable API server's URL carries a user and password
                .replace("server: https://127.0.0.1:1", "server: https://planted-user:planted-urlpass-S7@127.0.0.1:1");
        Files.writeString(kubeconfig, text);
    }

    record Run(int exitCode, String out, String err) {
    }

    private Run crosszone(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Duser.home=" + dir.resolve("home"),
                "-cp", System.getProperty("java.class.path"), Crosszone.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile());
        pb.environment().put("KUBERNETES_AUTH_TOKEN", "planted-env-token-S5");
        pb.environment().put("HTTP_AUTHORIZATION", "Authorization: Bearer planted-header-S6");
        Process p = pb.start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("the CLI ends").isTrue();
        return new Run(p.exitValue(), Files.readString(dir.resolve("out")), Files.readString(dir.resolve("err")));
    }

    private static JsonNode oneJsonDocument(String out) throws Exception {
        try (JsonParser parser = Json.MAPPER.createParser(out)) {
            JsonNode doc = Json.MAPPER.readTree(parser);
            assertThat(parser.nextToken()).as("nothing after the one JSON document:\n" + out).isNull();
            return doc;
        }
    }

    private void noSecretIn(Run r) throws Exception {
        List<String> everything = new ArrayList<>(List.of(r.out(), r.err()));
        try (Stream<Path> files = Files.walk(dir.resolve("reports"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                everything.add(Files.readString(f));
            }
        } catch (java.nio.file.NoSuchFileException ignored) {
            // no report written
        }
        for (String text : everything) {
            for (String secret : SECRETS) {
                assertThat(text).doesNotContain(secret);
            }
        }
    }

    private static void noLibraryLogs(String err) {
        assertThat(err).doesNotContain("SLF4J").doesNotContain("[rocketmq]").doesNotContain("io.fabric8");
    }

    @Test
    void quietByDefault_oneJsonDocumentAlsoWithVerbose_andNoSecretAnywhere() throws Exception {
        String reports = dir.resolve("reports").toString();
        String[] labelZones = {"label-zones", "--kubeconfig", kubeconfig.toString(), "--context", "lab", "--zones", "az1,az2",
                "--zone-nodes", "az1=k8s-node-01,k8s-node-02,k8s-node-03", "--zone-nodes", "az2=k8s-node-04,k8s-node-05,k8s-node-06",
                "--dry-run", "-o", "json", "--report-dir", reports};
        Run quiet = crosszone(labelZones);
        assertThat(quiet.exitCode()).as(quiet.err()).isZero();
        assertThat(quiet.err()).as("stderr is progress only").isEmpty();
        assertThat(oneJsonDocument(quiet.out()).path("cluster").path("context").asText()).isEqualTo("lab");
        noSecretIn(quiet);

        List<String> verboseArgs = new ArrayList<>(List.of(labelZones));
        verboseArgs.add("--verbose");
        Run verbose = crosszone(verboseArgs.toArray(String[]::new));
        assertThat(verbose.exitCode()).as(verbose.err()).isZero();
        assertThat(verbose.err()).doesNotContain("SLF4J(W)");
        assertThat(oneJsonDocument(verbose.out()).path("verdict").asText()).isEqualTo("passed");
        noSecretIn(verbose);

        // RocketMQ's admin client dials the pods: its logs only with --verbose, never in ~/logs
        String[] verify = {"verify-distribution", "--kubeconfig", kubeconfig.toString(), "--context", "lab",
                "--zones", "az1,az2", "--converge-timeout", "0s", "-o", "json", "--report-dir", reports};
        Run verifyQuiet = crosszone(verify);
        assertThat(verifyQuiet.exitCode()).as(verifyQuiet.err()).isIn(ExitCodes.CHECK_FAILED, ExitCodes.RUNTIME_FAILURE);
        noLibraryLogs(verifyQuiet.err());
        oneJsonDocument(verifyQuiet.out());
        assertThat(dir.resolve("home/logs")).as("RocketMQ's client writes no log files").doesNotExist();
        noSecretIn(verifyQuiet);

        List<String> verifyVerbose = new ArrayList<>(List.of(verify));
        verifyVerbose.add("--verbose");
        Run loud = crosszone(verifyVerbose.toArray(String[]::new));
        oneJsonDocument(loud.out());
        assertThat(loud.err()).doesNotContain("SLF4J(W)");
        noSecretIn(loud);
    }

    @Test
    void errorsAndStackTracesCarryNoSecret() throws Exception {
        // "prod" has the planted client key and an API server where nothing listens
        Run prod = crosszone("label-zones", "--kubeconfig", kubeconfig.toString(), "--context", "prod", "--zones", "az1,az2",
                "--zone-nodes", "az1=n1", "--zone-nodes", "az2=n2", "--verbose", "-o", "json");
        assertThat(prod.exitCode()).as(prod.err()).isIn(ExitCodes.BAD_INPUT, ExitCodes.RUNTIME_FAILURE);
        assertThat(prod.err()).contains("crosszone label-zones: error:");
        oneJsonDocument(prod.out());
        noSecretIn(prod);

        Run unknown = crosszone("apply-affinity", "--kubeconfig", kubeconfig.toString(), "--context", "nope", "--zones", "az1,az2",
                "--verbose");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        noSecretIn(unknown);
    }
}
