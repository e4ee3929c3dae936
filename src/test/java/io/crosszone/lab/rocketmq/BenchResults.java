package io.crosszone.lab.rocketmq;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;

/** Measured numbers of the real-cluster tests: printed and written to target/bench-results/NAME.json (never asserted). */
final class BenchResults {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final String name;
    private final Map<String, Object> values = new LinkedHashMap<>();

    BenchResults(String name) {
        this.name = name;
    }

    synchronized BenchResults put(String key, Object value) {
        values.put(key, value);
        System.out.printf("[bench %s] %s = %s%n", name, key, value);
        write();
        return this;
    }

    private void write() {
        try {
            Path dir = Files.createDirectories(Paths.get("target", "bench-results"));
            JSON.writeValue(dir.resolve(name + ".json").toFile(), values);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
