package io.crosszone.report;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a task did: the verdict, the changes (mutating tasks), task-specific fields, warnings,
 * and a readable text. The CLI prints it as text or as one JSON document.
 */
@JsonPropertyOrder({"task", "verdict", "dryRun", "changes"})
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class TaskReport {
    private final String task;
    private Verdict verdict = Verdict.PASSED;
    private Boolean dryRun;
    private List<Change> changes;
    private final Map<String, Object> fields = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private final StringBuilder text = new StringBuilder();
    private final Map<String, String> results = new LinkedHashMap<>();

    public TaskReport(String task) {
        this.task = task;
    }

    /** A report of a mutating task: it always lists its changes, even when there are none. */
    public static TaskReport mutating(String task, boolean dryRun) {
        TaskReport r = new TaskReport(task);
        r.changes = new ArrayList<>();
        r.dryRun = dryRun;
        return r;
    }

    @JsonProperty
    public String task() {
        return task;
    }

    @JsonProperty
    public Verdict verdict() {
        return verdict;
    }

    public TaskReport verdict(Verdict v) {
        this.verdict = v;
        return this;
    }

    @JsonProperty
    public Boolean dryRun() {
        return dryRun;
    }

    @JsonProperty
    public List<Change> changes() {
        return changes;
    }

    public TaskReport change(Change c) {
        if (changes == null) {
            changes = new ArrayList<>();
        }
        changes.add(c);
        return this;
    }

    @JsonAnyGetter
    public Map<String, Object> fields() {
        return fields;
    }

    public TaskReport put(String key, Object value) {
        fields.put(key, value);
        return this;
    }

    @JsonProperty
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    public List<String> warnings() {
        return warnings;
    }

    public TaskReport warn(String warning) {
        warnings.add(warning);
        return this;
    }

    public TaskReport line(String line) {
        text.append(line).append('\n');
        return this;
    }

    /** A short value a pipeline reads as a result (Tekton result, Jenkins variable); see --results-dir. */
    public TaskReport result(String name, Object value) {
        results.put(name, String.valueOf(value));
        return this;
    }

    /** The pipeline results: always {@code verdict}, plus what the task declared. */
    public Map<String, String> results() {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("verdict", verdict.json());
        all.putAll(results);
        return all;
    }

    public String text() {
        return text.toString();
    }

    /** 0 passed, 1 failed; errors never reach a report (they are exceptions, exit 2 or 3). */
    public int exitCode() {
        return verdict == Verdict.PASSED ? 0 : verdict == Verdict.FAILED ? 1 : 3;
    }
}
