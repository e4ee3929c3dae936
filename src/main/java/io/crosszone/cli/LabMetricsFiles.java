package io.crosszone.cli;

import io.crosszone.report.metrics.PromFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The lab writes each step's reports into its own folder ({@code 05-failover-drill/}); a
 * node-exporter textfile collector reads one folder, so the newest {@code .prom} file of each name
 * and the newest drill-history.html are copied up to the report directory itself.
 */
final class LabMetricsFiles {
    private LabMetricsFiles() {
    }

    static void collect(Path reportDir) {
        try (Stream<Path> steps = Files.list(reportDir)) {
            // step folders are numbered: a later step's file wins
            List<Path> dirs = steps.filter(Files::isDirectory).sorted(Comparator.comparing(Path::getFileName)).toList();
            for (Path dir : dirs) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path f : files.toList()) {
                        String name = f.getFileName().toString();
                        if (name.endsWith(".prom") || name.equals("drill-history.html")) {
                            PromFiles.write(reportDir, name, Files.readString(f));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot collect the metrics files in " + reportDir, e);
        }
    }
}
