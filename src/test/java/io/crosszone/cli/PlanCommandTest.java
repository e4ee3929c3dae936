package io.crosszone.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.crosszone.support.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void plansOfflineAsJsonInTheDocumentedShape() throws Exception {
        Cli.Result run = Cli.run("plan", "--broker-cr", "broker", "--groups", "3", "--replicas-per-group", "2",
                "--zones", "az1,az2", "--output", "json");
        assertThat(run.exitCode()).as(run.err()).isZero();
        JsonNode doc = JSON.readTree(run.out());
        assertThat(doc.get("verdict").asText()).isEqualTo("passed");
        JsonNode b00 = doc.get("brokers").get(0);
        assertThat(b00.get("statefulSet").asText()).isEqualTo("broker-0-0");
        assertThat(b00.get("group").asInt()).isZero();
        assertThat(b00.get("replica").asInt()).isZero();
        assertThat(b00.get("zones").toString()).isEqualTo("[{\"zone\":\"az2\",\"weight\":100},{\"zone\":\"az1\",\"weight\":90}]");
        JsonNode az1 = doc.get("zoneLoss").get(0);
        assertThat(az1.toString()).isEqualTo("{\"zone\":\"az1\",\"groupsLosingMaster\":[2],\"groupsWithoutReplica\":[],"
                + "\"nameServerSurvives\":true,\"controllerSurvives\":true,\"automaticRecovery\":true,\"actions\":[]}");
        JsonNode az2 = doc.get("zoneLoss").get(1);
        assertThat(az2.get("automaticRecovery").asBoolean()).isFalse();
        assertThat(az2.get("groupsLosingMaster").toString()).isEqualTo("[0,1]");
    }

    @Test
    void plansTheExampleConfigAsAReadableTable(@TempDir Path reports) throws Exception {
        Cli.Result run = Cli.run("plan", "--config", "crosszone.example.yaml", "--report-dir", reports.toString());
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("broker-2-1   2      1        slave         az2=100 az1=90")
                .contains("Masters per zone: az1=1 az2=2")
                .contains("NEEDS ACTION");
        assertThat(JSON.readTree(Files.readString(reports.resolve("plan.json"))).get("verdict").asText()).isEqualTo("passed");
    }

    @Test
    void flagsOverrideTheFile() throws Exception {
        Cli.Result run = Cli.run("plan", "--config", "crosszone.example.yaml", "--groups", "4",
                "--zone-separation", "preferred", "-o", "json");
        assertThat(run.exitCode()).isZero();
        JsonNode doc = JSON.readTree(run.out());
        assertThat(doc.get("brokers")).hasSize(8);
        assertThat(doc.get("brokers").get(0).get("podLabels").size()).isZero();
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws Exception {
        Cli.Result noShape = Cli.run("plan", "--zones", "az1,az2");
        assertThat(noShape.exitCode()).isEqualTo(2);
        assertThat(noShape.err().strip()).doesNotContain("\n").contains("give --groups and --replicas-per-group");
        assertThat(noShape.err()).doesNotContain("Exception");

        Cli.Result oneZone = Cli.run("plan", "--groups", "3", "--replicas-per-group", "2", "--zones", "az1", "-o", "json");
        assertThat(oneZone.exitCode()).isEqualTo(2);
        JsonNode doc = JSON.readTree(oneZone.out());
        assertThat(doc.get("verdict").asText()).isEqualTo("error");
        assertThat(doc.get("error").asText()).contains("at least two zones");

        Cli.Result missingFile = Cli.run("plan", "--config", "no-such.yaml");
        assertThat(missingFile.exitCode()).isEqualTo(2);
        assertThat(missingFile.err()).contains("no-such.yaml does not exist");

        Cli.Result unknownFlag = Cli.run("plan", "--groupz", "3");
        assertThat(unknownFlag.exitCode()).isEqualTo(2);
        assertThat(unknownFlag.err().strip()).contains("'--groupz'").doesNotContain("\n");

        Cli.Result badSeparation = Cli.run("plan", "--groups", "1", "--replicas-per-group", "1", "--zones", "a,b",
                "--zone-separation", "sometimes");
        assertThat(badSeparation.exitCode()).isEqualTo(2);
        assertThat(badSeparation.err()).contains("'required' or 'preferred'");
    }

    @Test
    void everyTaskHasHelp() {
        for (String task : new String[] {"plan", "label-zones", "switch-to-controller-mode", "apply-affinity",
                "verify-distribution", "failover-drill", "lab"}) {
            Cli.Result run = Cli.run(task, "--help");
            assertThat(run.exitCode()).as(task).isZero();
            assertThat(run.out()).as(task).contains("Usage: crosszone " + task).contains("--config").contains("--output");
        }
    }

    @Test
    void writesPipelineResults(@TempDir Path results) throws Exception {
        Cli.Result ok = Cli.run("plan", "--config", "crosszone.example.yaml", "--results-dir", results.toString());
        assertThat(ok.exitCode()).isZero();
        assertThat(Files.readString(results.resolve("verdict"))).isEqualTo("passed");
        Cli.Result bad = Cli.run("plan", "--zones", "az1", "--results-dir", results.toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(Files.readString(results.resolve("verdict"))).isEqualTo("error");

        Path verdict = results.resolve("step/verdict");
        Path none = results.resolve("step/rto-millis");
        Cli.Result tekton = Cli.run("plan", "--config", "crosszone.example.yaml",
                "--result-file", "verdict=" + verdict, "--result-file", "rto-millis=" + none);
        assertThat(tekton.exitCode()).isZero();
        assertThat(Files.readString(verdict)).isEqualTo("passed");
        assertThat(Files.readString(none)).isEmpty();
    }
}
