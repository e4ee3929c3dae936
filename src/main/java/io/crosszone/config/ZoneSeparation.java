package io.crosszone.config;

/** How strictly the members of one broker group are kept in different zones. */
public enum ZoneSeparation {
    /** A required pod anti-affinity on the zone key among the pods of one group (the default). */
    REQUIRED,
    /** Only the weighted node-affinity preferences, as in the runbook. */
    PREFERRED
}
