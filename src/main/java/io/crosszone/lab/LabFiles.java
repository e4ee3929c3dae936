package io.crosszone.lab;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a person needs to run the tasks by hand against a lab: its kubeconfig and a matching crosszone.yaml. */
public final class LabFiles {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private LabFiles() {
    }

    public record Written(Path dir, Path kubeconfig, Path config) {
    }

    public static Written write(LabEnvironment lab, Path dir) {
        try {
            Files.createDirectories(dir);
            Path kubeconfig = lab.writeKubeconfig(dir.resolve("kubeconfig"));
            Path config = dir.resolve("crosszone.yaml");
            Files.writeString(config, "# crosszone.yaml of the lab (" + lab.apiUrl() + ")\n" + YAML.writeValueAsString(config(lab)));
            return new Written(dir, kubeconfig, config);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the lab's files into " + dir, e);
        }
    }

    /** The configuration of the lab's deployment, in the shape of crosszone.example.yaml. */
    static Map<String, Object> config(LabEnvironment lab) {
        LabShape s = lab.shape();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("namespace", s.namespace());
        c.put("resources", Map.of("broker", s.brokerCr(), "nameService", s.nameServiceCr(),
                "controller", s.controllerCr(), "console", s.consoleCr()));
        c.put("zoneLabelKey", "az");
        List<Map<String, Object>> zones = new ArrayList<>();
        s.fixture().nodesByZone().forEach((zone, nodes) -> zones.add(Map.of("name", zone, "nodes", nodes)));
        c.put("zones", zones);
        c.put("brokers", Map.of("groups", s.groups(), "replicasPerGroup", s.replicasPerGroup()));
        // the lab's controller keeps its data on a claim that can follow it (network storage):
        // a controller restarted with empty data cannot elect masters (measured on 5.1.4)
        c.put("controller", Map.of("size", 1, "storageMode", "StorageClass", "zone", s.zones().get(s.zones().size() - 1)));
        return c;
    }
}
