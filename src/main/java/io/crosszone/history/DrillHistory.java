package io.crosszone.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.crosszone.report.metrics.DrillSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The drills of a namespace, oldest first, as kept in the ConfigMap {@value #CONFIG_MAP} (key
 * {@value #KEY}: a JSON array of {@link DrillSummary}): bounded to the last N, and judged as a team
 * that reviews its drills weekly would: the last drill of each zone must have passed and the newest
 * must not be older than the allowed age. Pure.
 */
public final class DrillHistory {
    public static final String CONFIG_MAP = "crosszone-drill-history";
    public static final String KEY = "drills.json";
    public static final int DEFAULT_SIZE = 50;

    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // entries written by a newer version
            .build();

    private DrillHistory() {
    }

    /** {@code history} plus {@code drill}, in time order, keeping only the newest {@code size}. */
    public static List<DrillSummary> append(List<DrillSummary> history, DrillSummary drill, int size) {
        List<DrillSummary> all = new ArrayList<>(history);
        all.add(drill);
        all.sort(Comparator.comparing(DrillSummary::finishedAt));
        return List.copyOf(all.subList(Math.max(0, all.size() - size), all.size()));
    }

    /** The newest drill of each zone, zones in the order they first appear. */
    public static Map<String, DrillSummary> lastPerZone(List<DrillSummary> history) {
        Map<String, DrillSummary> last = new LinkedHashMap<>();
        history.stream().sorted(Comparator.comparing(DrillSummary::finishedAt)).forEach(d -> last.put(d.zone(), d));
        return last;
    }

    /** Why the history is not as it should be; empty when it is. {@code maxAge} null: age not checked. */
    public static List<String> problems(List<DrillSummary> history, Duration maxAge, Instant now) {
        List<String> problems = new ArrayList<>();
        if (history.isEmpty()) {
            problems.add("no drill is recorded");
            return problems;
        }
        lastPerZone(history).forEach((zone, d) -> {
            if (!d.passed()) {
                problems.add("the last drill of zone " + zone + " (" + d.finishedAt() + ") " + d.verdict());
            }
        });
        Instant newest = history.stream().map(DrillSummary::finishedAt).max(Comparator.naturalOrder()).orElseThrow();
        if (maxAge != null && newest.isBefore(now.minus(maxAge))) {
            problems.add("the newest drill (" + newest + ") is older than " + maxAge.toString().substring(2).toLowerCase());
        }
        return problems;
    }

    public static String toJson(List<DrillSummary> history) {
        try {
            return JSON.writeValueAsString(history);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the drill history: " + e.getMessage(), e);
        }
    }

    /** The history as a JSON tree (times as ISO-8601 strings), for a task's JSON report. */
    public static JsonNode toTree(List<DrillSummary> history) {
        return JSON.valueToTree(history);
    }

    /** Reads the ConfigMap's value; one that is not a history is an error that names the ConfigMap. */
    public static List<DrillSummary> fromJson(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            return List.copyOf(JSON.readValue(json, new TypeReference<List<DrillSummary>>() { }));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the ConfigMap " + CONFIG_MAP + " key " + KEY + " is not a drill history: "
                    + e.getOriginalMessage(), e);
        }
    }
}
