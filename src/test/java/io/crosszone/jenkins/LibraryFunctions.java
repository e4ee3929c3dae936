package io.crosszone.jenkins;

import groovy.lang.GroovyShell;
import groovy.lang.Script;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.customizers.ImportCustomizer;

/**
 * The Jenkins library's pure helpers ({@code @NonCPS} functions of vars/crosszoneCli.groovy),
 * loaded with plain Groovy as Jenkins would compile the file, for tests outside a pipeline: the
 * image test runs the very script the Kubernetes runner would run in the agent pod.
 */
public final class LibraryFunctions {
    private final Script cli;

    private LibraryFunctions(Script cli) {
        this.cli = cli;
    }

    /** vars/crosszoneCli.groovy under {@code projectRoot}; NonCPS imported as Jenkins' CPS transformer does. */
    public static LibraryFunctions load(Path projectRoot) throws IOException {
        CompilerConfiguration cc = new CompilerConfiguration();
        cc.addCompilationCustomizers(new ImportCustomizer().addImports("com.cloudbees.groovy.cps.NonCPS"));
        return new LibraryFunctions(new GroovyShell(cc).parse(projectRoot.resolve("vars/crosszoneCli.groovy").toFile()));
    }

    /** What the step hands to {@code sh} for {@code task}. */
    public String commandScript(String task, Map<String, Object> config) {
        return (String) cli.invokeMethod("commandScript", new Object[] {task, config});
    }

    /** The agent pod's crosszone container: name, image, command and args. */
    @SuppressWarnings("unchecked")
    public Map<String, String> crosszoneContainer(Map<String, Object> config) {
        return (Map<String, String>) cli.invokeMethod("crosszoneContainer", new Object[] {config});
    }

    /** Where the step reads the task's JSON result. */
    public String resultFile(String task, Map<String, Object> config) {
        return cli.invokeMethod("taskReportDir", new Object[] {task, config}) + "/" + task + ".result.json";
    }

    /** The words that start the CLI in the image. */
    @SuppressWarnings("unchecked")
    public List<String> cliWords(Map<String, Object> config) {
        return (List<String>) cli.invokeMethod("cliWords", new Object[] {config});
    }
}
