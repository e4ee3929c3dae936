package io.crosszone.tekton;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The project's Kubernetes YAML (steps/, tekton/): every document of every file, parsed. */
public final class YamlDocs {
    public static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** One YAML document and where it came from. */
    public record Doc(Path file, int index, JsonNode node) {
        public String kind() {
            return node.path("kind").asText();
        }

        public String apiVersion() {
            return node.path("apiVersion").asText();
        }

        public String name() {
            JsonNode meta = node.path("metadata");
            return meta.has("name") ? meta.path("name").asText() : meta.path("generateName").asText();
        }

        public JsonNode spec() {
            return node.path("spec");
        }

        @Override
        public String toString() {
            return root().relativize(file) + (index > 0 ? "#" + index : "") + " " + kind() + " " + name();
        }
    }

    private YamlDocs() {
    }

    /** The repository root: Maven runs tests there; found by its pom.xml and steps/ folder. */
    public static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.exists(p.resolve("pom.xml")) && Files.isDirectory(p.resolve("steps")))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the repository root (pom.xml next to steps/)");
        }
        return p;
    }

    /** Every .yaml/.yml file under the given folders of the repository, sorted. */
    public static List<Path> files(String... folders) {
        List<Path> out = new ArrayList<>();
        for (String folder : folders) {
            try (Stream<Path> s = Files.walk(root().resolve(folder))) {
                s.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    /** Every non-empty document of a file. */
    public static List<Doc> read(Path file) {
        try {
            return parse(file, Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }

    public static List<Doc> parse(Path file, String text) throws IOException {
        List<Doc> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
            int i = 0;
            while (it.hasNext()) {
                JsonNode n = it.next();
                if (n != null && !n.isNull() && !n.isMissingNode()) {
                    docs.add(new Doc(file, i++, n));
                }
            }
        }
        return docs;
    }

    /**
     * Every document under the folders, plus the Kubernetes objects that ConfigMaps carry as
     * YAML (the scheduled drill's PipelineRun template), so those are checked too.
     */
    public static List<Doc> all(String... folders) {
        List<Doc> docs = new ArrayList<>();
        for (Path f : files(folders)) {
            for (Doc d : read(f)) {
                docs.add(d);
                docs.addAll(embedded(d));
            }
        }
        return docs;
    }

    static List<Doc> embedded(Doc d) {
        List<Doc> out = new ArrayList<>();
        if (!"ConfigMap".equals(d.kind())) {
            return out;
        }
        d.node().path("data").fields().forEachRemaining(e -> {
            if (e.getKey().endsWith(".yaml") && e.getValue().asText().contains("apiVersion:")) {
                try {
                    for (Doc inner : parse(d.file(), e.getValue().asText())) {
                        out.add(new Doc(d.file(), d.index() * 100 + 100 + inner.index(), inner.node()));
                    }
                } catch (IOException ex) {
                    throw new UncheckedIOException(d + ": data." + e.getKey() + " is not YAML", ex);
                }
            }
        });
        return out;
    }

    public static List<Doc> ofKind(List<Doc> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.kind())).toList();
    }
}
