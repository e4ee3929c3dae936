package io.crosszone.tekton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Tekton's own schemas: the {@code openAPIV3Schema} of each served version in the CRDs copied
 * from tektoncd/pipeline (test resources {@code tekton-crds/}), made strict the way the API
 * server is when it prunes: an object that lists {@code properties} (and does not say
 * {@code x-kubernetes-preserve-unknown-fields}) gets {@code additionalProperties: false}, so a
 * misspelt field is an error here instead of being silently dropped by the cluster.
 */
public final class TektonSchemas {
    private static final List<String> CRDS = List.of("300-stepaction.yaml", "300-task.yaml", "300-taskrun.yaml",
            "300-pipeline.yaml", "300-pipelinerun.yaml");

    /** Structural-schema keywords that say nothing a JSON Schema validator could check. */
    private static final List<String> K8S_KEYWORDS = List.of("x-kubernetes-preserve-unknown-fields",
            "x-kubernetes-int-or-string", "x-kubernetes-list-type", "x-kubernetes-list-map-keys",
            "x-kubernetes-map-type", "x-kubernetes-embedded-resource", "x-kubernetes-validations", "nullable");

    private final Map<String, JsonSchema> byApiVersionAndKind = new HashMap<>();

    public TektonSchemas() {
        JsonMetaSchema.Builder meta = JsonMetaSchema.builder(JsonMetaSchema.getV7().getIri(), JsonMetaSchema.getV7());
        K8S_KEYWORDS.forEach(k -> meta.keyword(new NonValidationKeyword(k)));
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7,
                b -> b.metaSchema(meta.build()).defaultMetaSchemaIri(JsonMetaSchema.getV7().getIri()));
        for (String crd : CRDS) {
            JsonNode doc = load(crd);
            String group = doc.path("spec").path("group").asText();
            String kind = doc.path("spec").path("names").path("kind").asText();
            for (JsonNode version : doc.path("spec").path("versions")) {
                if (!version.path("served").asBoolean()) {
                    continue;
                }
                JsonNode schema = version.path("schema").path("openAPIV3Schema").deepCopy();
                strict(schema);
                byApiVersionAndKind.put(group + "/" + version.path("name").asText() + " " + kind, factory.getSchema(schema));
            }
        }
    }

    private static JsonNode load(String name) {
        try (InputStream in = TektonSchemas.class.getResourceAsStream("/tekton-crds/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource tekton-crds/" + name + " is missing");
            }
            return YamlDocs.YAML.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether a schema exists for this apiVersion and kind. */
    public boolean knows(String apiVersion, String kind) {
        return byApiVersionAndKind.containsKey(apiVersion + " " + kind);
    }

    /** The errors of one Kubernetes object against its CRD schema, sorted; empty when valid. */
    public Set<String> validate(JsonNode object) {
        String key = object.path("apiVersion").asText() + " " + object.path("kind").asText();
        JsonSchema schema = byApiVersionAndKind.get(key);
        if (schema == null) {
            throw new IllegalArgumentException("no Tekton schema for " + key + "; known: " + byApiVersionAndKind.keySet());
        }
        Set<String> errors = new TreeSet<>();
        for (ValidationMessage m : schema.validate(object)) {
            errors.add(m.getMessage());
        }
        return errors;
    }

    /** Walks the schema (not the names under {@code properties}) and closes listed objects. */
    static void strict(JsonNode schema) {
        if (!(schema instanceof ObjectNode node)) {
            return;
        }
        JsonNode props = node.get("properties");
        if (props instanceof ObjectNode p) {
            if (!node.has("additionalProperties") && !node.path("x-kubernetes-preserve-unknown-fields").asBoolean()) {
                node.put("additionalProperties", false);
            }
            for (Iterator<JsonNode> it = p.elements(); it.hasNext(); ) {
                strict(it.next());
            }
        }
        strict(node.get("items"));
        strict(node.get("additionalProperties"));
        strict(node.get("not"));
        for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
            node.path(combinator).forEach(TektonSchemas::strict);
        }
    }
}
