package io.crosszone.tasks.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** docs/verify-distribution-checks.md has a row for every check the verifier makes, and its severity and settling right. */
class ChecksDocumentedTest {

    @Test
    void everyCheckHasARowSayingItsSeverityAndWhetherItSettles() throws Exception {
        String doc = Files.readString(Path.of("docs/verify-distribution-checks.md"));
        Set<CheckResult> checks = new java.util.LinkedHashSet<>(
                DistributionVerifier.evaluate(Snapshots.healthy().build(), Snapshots.PLAN, Snapshots.CONFIG, Map.of()).checks());
        Snapshots.Builder down = Snapshots.healthy();
        down.rocketmqUp = false;
        checks.addAll(DistributionVerifier.evaluate(down.build(), Snapshots.PLAN, Snapshots.CONFIG, Map.of()).checks());
        // a check that warns in these snapshots must be documented as a warning
        Set<String> names = new TreeSet<>();
        for (CheckResult c : checks) {
            names.add(c.name());
            String row = doc.lines().filter(l -> l.startsWith("| `" + c.name() + "` |")).findFirst().orElse(null);
            assertThat(row).as("a row for " + c.name()).isNotNull();
            if (c.severity() == CheckResult.Severity.WARNING) {
                assertThat(row).as(c.name()).contains("| warning |");
            }
            assertThat(row.contains("settles")).as(c.name() + " settles").isEqualTo(Convergence.CONVERGING.contains(c.name()));
        }
        assertThat(names).hasSizeGreaterThanOrEqualTo(22);
    }
}
