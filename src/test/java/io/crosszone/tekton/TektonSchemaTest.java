package io.crosszone.tekton;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosszone.tekton.YamlDocs.Doc;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every YAML under steps/ and tekton/ parses, and every Tekton object in it passes Tekton's own schema. */
class TektonSchemaTest {
    private static TektonSchemas schemas;

    @BeforeAll
    static void load() {
        schemas = new TektonSchemas();
    }

    static Stream<Doc> tektonDocs() {
        return YamlDocs.all("steps", "tekton").stream().filter(d -> d.apiVersion().startsWith("tekton.dev/"));
    }

    @Test
    void everyYamlFileParsesIntoNamedKubernetesObjects() {
        List<Path> files = YamlDocs.files("steps", "tekton");
        assertThat(files).hasSizeGreaterThanOrEqualTo(20);
        for (Path f : files) {
            List<Doc> docs = YamlDocs.read(f);
            assertThat(docs).as(f.toString()).isNotEmpty();
            for (Doc d : docs) {
                assertThat(d.apiVersion()).as(d.toString()).isNotBlank();
                assertThat(d.kind()).as(d.toString()).isNotBlank();
                assertThat(d.name()).as(d + ": metadata.name or generateName").isNotBlank();
            }
        }
    }

    @Test
    void everyKindOfTektonObjectIsPresentAndHasASchema() {
        List<Doc> docs = tektonDocs().toList();
        assertThat(docs).extracting(Doc::kind).contains("StepAction", "Task", "TaskRun", "Pipeline", "PipelineRun");
        for (Doc d : docs) {
            assertThat(schemas.knows(d.apiVersion(), d.kind())).as(d + " has a schema").isTrue();
        }
        assertThat(YamlDocs.ofKind(docs, "StepAction")).allSatisfy(d -> assertThat(d.apiVersion()).isEqualTo("tekton.dev/v1beta1"));
        assertThat(docs).filteredOn(d -> !d.kind().equals("StepAction"))
                .allSatisfy(d -> assertThat(d.apiVersion()).as(d.toString()).isEqualTo("tekton.dev/v1"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tektonDocs")
    void validatesAgainstTektonsSchema(Doc doc) {
        assertThat(schemas.validate(doc.node())).as(doc.toString()).isEmpty();
    }

    // The validator must bite, or the test above proves nothing.

    @Test
    void aMisspeltFieldInAStepActionIsRejected() {
        ObjectNode broken = stepAction("crosszone-label-zones");
        ObjectNode spec = (ObjectNode) broken.get("spec");
        spec.set("argz", spec.remove("args"));
        assertThat(schemas.validate(broken)).anySatisfy(e -> assertThat(e).contains("argz"));
    }

    @Test
    void aScriptThatIsNotAStringIsRejected() {
        ObjectNode broken = stepAction("crosszone-label-zones");
        ObjectNode spec = (ObjectNode) broken.get("spec");
        spec.remove("command");
        spec.put("script", 42);
        assertThat(schemas.validate(broken)).anySatisfy(e -> assertThat(e).contains("script").contains("integer"));
    }

    @Test
    void aMisspeltFieldDeepInATaskOrAPipelineIsRejected() {
        ObjectNode task = copyOf("Task", "crosszone-failover-drill");
        ObjectNode step = (ObjectNode) task.get("spec").get("steps").get(0);
        step.set("parms", step.remove("params"));
        assertThat(schemas.validate(task)).anySatisfy(e -> assertThat(e).contains("parms"));

        ObjectNode pipeline = copyOf("Pipeline", "rocketmq-crosszone-rollout");
        ObjectNode pt = (ObjectNode) pipeline.get("spec").get("tasks").get(1);
        pt.set("runafter", pt.remove("runAfter"));
        assertThat(schemas.validate(pipeline)).anySatisfy(e -> assertThat(e).contains("runafter"));
    }

    @Test
    void aParamWithoutANameOrAWrongTypeIsRejected() {
        ObjectNode sa = stepAction("crosszone-failover-drill");
        ((ObjectNode) sa.get("spec").get("params").get(0)).remove("name");
        assertThat(schemas.validate(sa)).anySatisfy(e -> assertThat(e).contains("name"));

        ObjectNode run = copyOf("PipelineRun", "rocketmq-failover-drill-");
        ((ObjectNode) run.get("spec")).set("params", YamlDocs.YAML.createObjectNode().put("zone", "az1"));
        assertThat(schemas.validate(run)).anySatisfy(e -> assertThat(e).contains("params").contains("array"));
    }

    @Test
    void theRealObjectsBeforeBreakingThemAreValid() {
        // the control for the tests above: the same copies, unbroken, pass
        assertThat(schemas.validate(stepAction("crosszone-label-zones"))).isEmpty();
        assertThat(schemas.validate(copyOf("Task", "crosszone-failover-drill"))).isEmpty();
        assertThat(schemas.validate(copyOf("Pipeline", "rocketmq-crosszone-rollout"))).isEmpty();
        assertThat(schemas.validate(copyOf("PipelineRun", "rocketmq-failover-drill-"))).isEmpty();
    }

    @Test
    void strictModeLeavesPreservedAndMapObjectsOpen() {
        ObjectNode schema = (ObjectNode) YamlDocs.YAML.createObjectNode();
        ObjectNode props = schema.putObject("properties");
        props.putObject("open").put("type", "object").put("x-kubernetes-preserve-unknown-fields", true)
                .putObject("properties").putObject("a");
        props.putObject("map").put("type", "object").putObject("additionalProperties").put("type", "string");
        ObjectNode named = props.putObject("properties"); // a field called "properties" is a schema, not a keyword
        named.putObject("properties").putObject("x");
        TektonSchemas.strict(schema);
        assertThat(schema.get("additionalProperties").asBoolean(true)).isFalse();
        assertThat(props.get("open").has("additionalProperties")).isFalse();
        assertThat(props.get("map").get("additionalProperties").isObject()).isTrue();
        assertThat(named.get("additionalProperties").asBoolean(true)).isFalse();
    }

    private static ObjectNode stepAction(String name) {
        return copyOf("StepAction", name);
    }

    static ObjectNode copyOf(String kind, String name) {
        return (ObjectNode) tektonDocs().filter(d -> d.kind().equals(kind) && d.name().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name)).node().deepCopy();
    }
}
