package io.crosszone.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionTest {
    @Test
    void masksTheUserPartOfUrlsAndBearerTokens() {
        assertThat(Redaction.redact("Failed to connect to https://admin:s3cret@10.0.0.1:6443/api/v1/nodes"))
                .isEqualTo("Failed to connect to https://***@10.0.0.1:6443/api/v1/nodes");
        assertThat(Redaction.redact("http://token@host and HTTPS://u:p@h:1"))
                .isEqualTo("http://***@host and HTTPS://***@h:1");
        assertThat(Redaction.redact("Authorization: Bearer eyJhbGciOi.abc-_def")).isEqualTo("Authorization: Bearer ***");
    }

    @Test
    void leavesOrdinaryTextAlone() {
        String text = "Kubernetes API https://10.0.0.1:6443: nodes \"k8s-node-01\" not found; mail ops@example.com";
        assertThat(Redaction.redact(text)).isEqualTo(text);
        assertThat(Redaction.redact(null)).isNull();
    }
}
