package io.crosszone.tekton;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosszone.config.ConfigLoader;
import io.crosszone.config.ConfigValidator;
import io.crosszone.config.CrosszoneConfig;
import io.crosszone.rbac.ApiRequest;
import io.crosszone.rbac.RbacPolicy;
import io.crosszone.tekton.YamlDocs.Doc;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The scheduled drill creates the drill PipelineRun with just enough access; the sample configuration is one the CLI accepts. */
class ScheduledDrillAndSamplesTest {
    private final List<Doc> docs = YamlDocs.all("tekton");

    @Test
    void theCronJobCreatesTheDrillPipelineRunFromItsConfigMap() throws Exception {
        Doc cronDoc = Tekton.find(docs, "CronJob", "rocketmq-failover-drill").orElseThrow();
        CronJob cron = Serialization.unmarshal(cronDoc.node().toString(), CronJob.class);
        assertThat(cron.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
        PodSpec pod = cron.getSpec().getJobTemplate().getSpec().getTemplate().getSpec();
        assertThat(pod.getServiceAccountName()).isEqualTo("crosszone-drill-scheduler");
        assertThat(pod.getContainers()).hasSize(1);
        Container c = pod.getContainers().get(0);
        assertThat(c.getCommand()).containsExactly("/bin/kubectl");
        assertThat(c.getArgs()).hasSize(3).startsWith("create", "-f");
        String file = c.getArgs().get(2);

        VolumeMount mount = c.getVolumeMounts().stream().filter(m -> file.startsWith(m.getMountPath() + "/")).findFirst().orElseThrow();
        Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
        String key = file.substring(mount.getMountPath().length() + 1);
        Doc configMap = Tekton.find(docs, "ConfigMap", volume.getConfigMap().getName()).orElseThrow();
        assertThat(configMap.node().path("metadata").path("namespace").asText()).isEqualTo(cronDoc.node().path("metadata").path("namespace").asText());

        JsonNode run = YamlDocs.parse(configMap.file(), configMap.node().path("data").path(key).asText()).get(0).node();
        assertThat(run.path("kind").asText()).isEqualTo("PipelineRun");
        assertThat(run.path("metadata").has("generateName")).as("kubectl create needs a fresh name each time").isTrue();
        assertThat(run.path("spec").path("pipelineRef").path("name").asText()).isEqualTo("rocketmq-failover-drill");
        assertThat(new TektonSchemas().validate(run)).isEmpty();

        RbacPolicy scheduler = RbacPolicy.forServiceAccount("rocketmq", pod.getServiceAccountName(),
                List.of(YamlDocs.root().resolve("tekton/rbac/drill-scheduler.yaml")));
        assertThat(scheduler.allows(ApiRequest.namespaced("create", "tekton.dev", "pipelineruns",
                run.path("metadata").path("namespace").asText()))).isTrue();
    }

    @Test
    void theSampleConfigurationIsOneTheCliAccepts() throws Exception {
        Doc cm = Tekton.find(docs, "ConfigMap", "crosszone-config").orElseThrow();
        String yaml = cm.node().path("data").path("crosszone.yaml").asText();
        CrosszoneConfig config = ConfigLoader.read(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)), "crosszone-config");
        ConfigValidator.validate(config);
        assertThat(config.getNamespace()).isEqualTo(cm.node().path("metadata").path("namespace").asText());
        // the runs' default zone is one the configuration has
        String zone = Tekton.named(Tekton.find(docs, "Pipeline", "rocketmq-failover-drill").orElseThrow().spec().path("params"), "zone")
                .orElseThrow().path("default").asText();
        assertThat(config.zone(zone)).isPresent();
    }
}
