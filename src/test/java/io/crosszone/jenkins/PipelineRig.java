package io.crosszone.jenkins;

import com.lesfurets.jenkins.unit.BasePipelineTest;
import com.lesfurets.jenkins.unit.MethodSignature;
import com.lesfurets.jenkins.unit.global.lib.LibraryConfiguration;
import com.lesfurets.jenkins.unit.global.lib.SourceRetriever;
import groovy.json.JsonSlurper;
import groovy.lang.Closure;
import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * JenkinsPipelineUnit set up for the crosszone library: the library is loaded from this project's
 * root (vars/), and the Jenkins steps it uses are registered here. {@code sh} is real: the script
 * runs in {@code /bin/sh -xe} (as Jenkins runs it) in a temporary workspace, with the crosszone
 * CLI replaced by {@code fake-crosszone.sh} (see its header). The other steps are test doubles for
 * Jenkins plugins that cannot run outside Jenkins: they record their calls (podTemplate,
 * container, node, archiveArtifacts, junit, stash/unstash, withCredentials) or do what the plugin
 * does on the workspace (readFile, fileExists, readJSON of pipeline-utility-steps), and
 * {@code error} throws as Jenkins' does.
 */
abstract class PipelineRig extends BasePipelineTest {
    static final Path PROJECT_ROOT = Paths.get("").toAbsolutePath();

    @TempDir
    Path tmp;
    Path workspace;
    Path fakeDir;
    Path fakeBin;

    /** One real run of the {@code sh} step. */
    record ShellRun(String script, List<String> where, int exitCode, String output) {
    }

    /** Thrown by the {@code error} step, as Jenkins' AbortException ends a build. */
    static final class PipelineError extends RuntimeException {
        PipelineError(String message) {
            super(message);
        }
    }

    /** Stands in for Jenkins' currentBuild: the result and the causes a cron-started build has. */
    public static final class FakeBuild {
        private String result = "SUCCESS";
        private final List<String> causes = new ArrayList<>();

        public String getResult() {
            return result;
        }

        public void setResult(String result) {
            this.result = result;
        }

        public FakeBuild causedBy(String causeClass) {
            causes.add(causeClass);
            return this;
        }

        public List<Map<String, Object>> getBuildCauses(String causeClass) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (String c : causes) {
                if (c.equals(causeClass)) {
                    out.add(Map.of("_class", c, "shortDescription", "Started by timer"));
                }
            }
            return out;
        }
    }

    final List<ShellRun> shellRuns = new ArrayList<>();
    final List<String> where = new ArrayList<>();
    final List<Map<?, ?>> podTemplates = new ArrayList<>();
    final List<String> archived = new ArrayList<>();
    final List<String> junitPublished = new ArrayList<>();
    final List<String> unstashed = new ArrayList<>();
    final List<Map<?, ?>> stashed = new ArrayList<>();
    final List<String> echoes = new ArrayList<>();
    final List<Object> properties = new ArrayList<>();
    final Map<String, String> shellEnv = new HashMap<>();
    final Map<String, Object> env = new HashMap<>();
    final Map<String, Object> params = new HashMap<>();
    final FakeBuild build = new FakeBuild();

    @BeforeEach
    void setUpRig() throws Exception {
        workspace = Files.createDirectories(tmp.resolve("workspace"));
        fakeDir = Files.createDirectories(tmp.resolve("fake"));
        fakeBin = Files.createDirectories(tmp.resolve("bin"));
        try (InputStream in = PipelineRig.class.getResourceAsStream("/jenkins/fake-crosszone.sh")) {
            Path fake = fakeBin.resolve("java");
            Files.write(fake, in.readAllBytes());
            Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        setUp();
        LibraryConfiguration lib = new LibraryConfiguration();
        lib.setName("crosszone");
        lib.setDefaultVersion("main");
        lib.setTargetPath(tmp.resolve("libs").toString());
        lib.setRetriever(new ProjectRoot());
        getHelper().registerSharedLibrary(lib);
        registerSteps();
        getBinding().setVariable("env", env);
        getBinding().setVariable("params", params);
        getBinding().setVariable("scm", new HashMap<>(Map.of("$class", "GitSCM")));
        getBinding().setVariable("currentBuild", build);
    }

    /** The library as Jenkins would check it out: this repository's root (vars/ at the top). */
    static final class ProjectRoot implements SourceRetriever {
        @Override
        public List<URL> retrieve(String repository, String branch, String targetPath) {
            try {
                return List.of(PROJECT_ROOT.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private void registerSteps() {
        register("sh", Map.class, this::sh);
        register("sh", String.class, this::sh);
        register("error", String.class, msg -> {
            build.setResult("FAILURE");
            throw new PipelineError(String.valueOf(msg));
        });
        register("unstable", String.class, msg -> {
            build.setResult("UNSTABLE");
            echoes.add("UNSTABLE: " + msg);
            return null;
        });
        register("echo", String.class, msg -> {
            echoes.add(String.valueOf(msg));
            System.out.println("[echo] " + msg);
            return null;
        });
        register("readFile", Map.class, m -> readWorkspaceFile(((Map<?, ?>) m).get("file")));
        register("readFile", String.class, this::readWorkspaceFile);
        register("fileExists", String.class, p -> Files.exists(workspace.resolve(String.valueOf(p))));
        register("readJSON", Map.class, m -> new JsonSlurper().parseText(String.valueOf(((Map<?, ?>) m).get("text"))));
        register("archiveArtifacts", Map.class, m -> {
            archived.add(String.valueOf(((Map<?, ?>) m).get("artifacts")));
            return null;
        });
        register("junit", Map.class, m -> {
            junitPublished.add(String.valueOf(((Map<?, ?>) m).get("testResults")));
            return null;
        });
        register("unstash", String.class, n -> {
            unstashed.add(String.valueOf(n));
            return null;
        });
        register("stash", Map.class, m -> {
            stashed.add((Map<?, ?>) m);
            return null;
        });
        register("containerTemplate", Map.class, m -> new LinkedHashMap<>((Map<?, ?>) m));
        register("file", Map.class, m -> new LinkedHashMap<>((Map<?, ?>) m));
        register2("podTemplate", Map.class, (m, body) -> {
            podTemplates.add((Map<?, ?>) m);
            String label = "crosszone-pod-" + podTemplates.size();
            env.put("POD_LABEL", label);
            return within("pod", () -> call(body));
        });
        register2("node", String.class, (label, body) -> within("node:" + label, () -> call(body)));
        register("node", Closure.class, body -> within("node", () -> call(body)));
        register2("container", String.class, (name, body) -> within("container:" + name, () -> call(body)));
        register2("stage", String.class, (name, body) -> call(body));
        register2("withCredentials", List.class, (list, body) -> {
            Map<String, String> saved = new HashMap<>(shellEnv);
            for (Object o : (List<?>) list) {
                Map<?, ?> cred = (Map<?, ?>) o;
                shellEnv.put(String.valueOf(cred.get("variable")),
                        tmp.resolve("secret-" + cred.get("credentialsId")).toString());
            }
            try {
                return call(body);
            } finally {
                shellEnv.clear();
                shellEnv.putAll(saved);
            }
        });
        register("properties", List.class, l -> {
            properties.addAll((List<?>) l);
            return null;
        });
        register("parameters", List.class, l -> Map.of("parameters", l));
        register("choice", Map.class, m -> m);
        register("booleanParam", Map.class, m -> m);
        register("string", Map.class, m -> m);
        register("cron", String.class, s -> Map.of("cron", String.valueOf(s)));
        register("pipelineTriggers", List.class, l -> Map.of("pipelineTriggers", l));
        register("checkout", Map.class, m -> null);
    }

    private Object within(String place, java.util.function.Supplier<Object> body) {
        where.add(place);
        try {
            return body.get();
        } finally {
            where.remove(where.size() - 1);
        }
    }

    private static Object call(Object body) {
        return ((Closure<?>) body).call();
    }

    private Object readWorkspaceFile(Object path) {
        try {
            return Files.readString(workspace.resolve(String.valueOf(path)));
        } catch (IOException e) {
            throw new PipelineError("readFile: " + e);
        }
    }

    /** The real {@code sh} step: /bin/sh -xe in the workspace, the fake CLI first on the PATH. */
    private Object sh(Object arg) {
        Map<?, ?> m = arg instanceof Map<?, ?> map ? map : Map.of("script", String.valueOf(arg));
        String script = String.valueOf(m.get("script"));
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-xe", "-c", script)
                .directory(workspace.toFile()).redirectErrorStream(true);
        pb.environment().remove("KUBECONFIG");
        pb.environment().put("PATH", fakeBin + ":" + System.getenv("PATH"));
        pb.environment().put("FAKE_CROSSZONE_DIR", fakeDir.toString());
        pb.environment().putAll(shellEnv);
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new PipelineError("sh did not end");
            }
            int code = p.exitValue();
            System.out.print(out);
            shellRuns.add(new ShellRun(script, List.copyOf(where), code, out));
            if (Boolean.TRUE.equals(m.get("returnStatus"))) {
                return code;
            }
            if (code != 0) {
                throw new PipelineError("script returned exit code " + code);
            }
            return Boolean.TRUE.equals(m.get("returnStdout")) ? out : null;
        } catch (IOException e) {
            throw new PipelineError("sh: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PipelineError("sh interrupted");
        }
    }

    void register(String name, Class<?> arg, Function<Object, Object> f) {
        getHelper().registerAllowedMethod(MethodSignature.method(name, arg), new Fn1(f));
    }

    void register2(String name, Class<?> arg, BiFunction<Object, Object, Object> f) {
        getHelper().registerAllowedMethod(MethodSignature.method(name, arg, Closure.class), new Fn2(f));
    }

    /** A one-argument step implementation (JenkinsPipelineUnit calls Groovy closures). */
    public static final class Fn1 extends Closure<Object> {
        private final Function<Object, Object> f;

        Fn1(Function<Object, Object> f) {
            super(null);
            this.f = f;
        }

        public Object doCall(Object a) {
            return f.apply(a);
        }
    }

    /** A step taking an argument and a body closure. */
    public static final class Fn2 extends Closure<Object> {
        private final BiFunction<Object, Object, Object> f;

        Fn2(BiFunction<Object, Object, Object> f) {
            super(null);
            this.f = f;
        }

        public Object doCall(Object a, Object b) {
            return f.apply(a, b);
        }
    }

    // ---- helpers for the tests

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> asList(Object o) {
        return (List<Object>) o;
    }

    /** Runs one library step through a small pipeline script that loads the library with @Library. */
    Object runStep(String step, Map<String, ?> config) {
        getBinding().setVariable("STEP", step);
        getBinding().setVariable("CONFIG", new LinkedHashMap<>(config));
        return runScript("src/test/resources/jenkins/runStep.jenkins");
    }

    /** Makes the fake CLI exit with {@code code} when it runs {@code task}. */
    void exitCode(String task, int code) throws IOException {
        Files.writeString(fakeDir.resolve("exit-" + task), Integer.toString(code));
    }

    /** The argv of every call the fake CLI received, in order. */
    List<List<String>> cliCalls() throws IOException {
        Path calls = fakeDir.resolve("calls");
        if (!Files.isDirectory(calls)) {
            return List.of();
        }
        List<List<String>> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(calls)) {
            for (Path f : files.filter(p -> !p.toString().endsWith(".env")).sorted().toList()) {
                String raw = Files.readString(f);
                List<String> words = new ArrayList<>(Arrays.asList(raw.split("\0", -1)));
                words.remove(words.size() - 1); // after the last NUL
                out.add(words);
            }
        }
        return out;
    }

    /** The environment line the fake CLI recorded for call {@code index}. */
    String cliEnv(int index) throws IOException {
        return Files.readString(fakeDir.resolve("calls").resolve(String.format("%03d.env", index))).trim();
    }

    /** The task name of each CLI call, in order. */
    List<String> tasksRun() throws IOException {
        List<String> tasks = new ArrayList<>();
        for (List<String> call : cliCalls()) {
            for (String w : call) {
                if (w.matches("label-zones|switch-to-controller-mode|apply-affinity|verify-distribution|failover-drill")) {
                    tasks.add(w);
                    break;
                }
            }
        }
        return tasks;
    }

    /** The words after the task name (the options), for call {@code index}. */
    List<String> optionsOf(int index, String task) throws IOException {
        List<String> call = cliCalls().get(index);
        return call.subList(call.indexOf(task) + 1, call.size());
    }

    /** Workspace files an Ant-style pattern (as archiveArtifacts/junit take) matches. */
    List<Path> matching(String pattern) throws IOException {
        PathMatcher deep = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        PathMatcher flat = FileSystems.getDefault().getPathMatcher("glob:" + pattern.replace("/**/", "/"));
        try (Stream<Path> all = Files.walk(workspace)) {
            return all.filter(Files::isRegularFile).map(workspace::relativize)
                    .filter(p -> deep.matches(p) || flat.matches(p)).sorted().toList();
        }
    }
}
