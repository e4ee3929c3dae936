package io.crosszone.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How a task reports: text or JSON on stdout, report files, and stack traces on error. */
public class OutputOptions {
    public enum Format { text, json }

    @Option(names = {"-o", "--output"}, paramLabel = "text|json", description = "Output format on stdout (default: text).")
    Format output = Format.text;

    @Option(names = "--report-dir", paramLabel = "DIR", description = "Directory to write the task's reports into.")
    Path reportDir;

    @Option(names = "--results-dir", paramLabel = "DIR",
            description = "Directory to write one file per pipeline result (verdict, ...) into, e.g. Tekton's results dir.")
    Path resultsDir;

    @Option(names = "--result-file", paramLabel = "NAME=PATH",
            description = "Write one pipeline result to a file (Tekton's $(step.results.NAME.path)); repeatable.")
    java.util.Map<String, Path> resultFiles;

    @Option(names = {"-v", "--verbose"}, description = "Log what the Kubernetes client and RocketMQ's admin client do, and print stack traces of errors (all on stderr).")
    boolean verbose;

    public boolean json() {
        return output == Format.json;
    }

    public Path reportDir() {
        return reportDir;
    }

    public Path resultsDir() {
        return resultsDir;
    }

    public java.util.Map<String, Path> resultFiles() {
        return resultFiles == null ? java.util.Map.of() : resultFiles;
    }

    public boolean verbose() {
        return verbose;
    }
}
