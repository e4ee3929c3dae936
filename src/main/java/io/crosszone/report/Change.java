package io.crosszone.report;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One object a mutating task wrote, or would write under --dry-run.
 *
 * @param action create, patch, label, delete, backup, restart, ...
 * @param detail what changes, readable by a person
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Change(String action, String kind, String namespace, String name, String detail) {

    public String describe() {
        return action + " " + kind + " " + (namespace == null ? "" : namespace + "/") + name
                + (detail == null || detail.isEmpty() ? "" : ": " + detail);
    }
}
