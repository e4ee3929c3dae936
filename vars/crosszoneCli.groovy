// The shared part of the crosszone steps: which map keys each task takes and the CLI flag each
// maps to, how the argument list is built and quoted, where the CLI runs, and what its exit code
// means for the build. It lives in vars/ (a global variable with several methods) because the
// library's repository keeps its Maven Java sources in src/, where Jenkins would look for Groovy
// classes; see vars/README.md.
//
// Jenkins runs this as CPS-transformed Groovy 2.4: the pure helpers (tables, validation, argument
// building, quoting) are @NonCPS and call no steps; the methods that call steps keep to plain
// loops and if/else.

/** Runs one crosszone task as configured; the entry point of every crosszone<Task> step. */
Map runTask(String task, Map config) {
    Map cfg = config == null ? [:] : config
    List<String> problems = problems(task, cfg)
    if (!problems.isEmpty()) {
        error("${stepName(task)}: ${problems.join('; ')}")
    }
    String runner = runnerOf(cfg)
    Map result = null
    if (runner == 'kubernetes') {
        inPod(cfg) {
            result = runHere(task, cfg)
        }
    } else {
        result = runHere(task, cfg)
    }
    return result
}

/**
 * Starts a Kubernetes agent pod with the crosszone image and runs {@code body} in its
 * {@code crosszone} container, with the stash named by {@code unstash} in the workspace.
 */
def inPod(Map cfg, Closure body) {
    Map pod = podTemplateArgs(cfg)
    pod.containers = [containerTemplate(crosszoneContainer(cfg))]
    podTemplate(pod) {
        node(env.POD_LABEL) {
            if (cfg.unstash) {
                unstash(cfg.unstash as String)
            }
            container('crosszone') {
                body()
            }
        }
    }
}

/**
 * Runs a task where the build is now (a node for the jar runner, the crosszone container for
 * the others): the CLI writes its reports into {@code <reportDir>/<task>}, its JSON result goes
 * to {@code <task>.result.json} there; reports are archived and JUnit XML published before the
 * exit code decides what happens to the build.
 */
Map runHere(String task, Map cfg) {
    String dir = taskReportDir(task, cfg)
    String resultFile = "${dir}/${task}.result.json"
    String script = commandScript(task, cfg)
    int code = 0
    if (cfg.kubeconfigCredentialsId) {
        // the CLI reads $KUBECONFIG itself, so the file's path never enters the command line
        withCredentials([file(credentialsId: cfg.kubeconfigCredentialsId as String, variable: 'KUBECONFIG')]) {
            code = sh(script: script, returnStatus: true) as int
        }
    } else {
        code = sh(script: script, returnStatus: true) as int
    }
    Map report = readResult(resultFile)
    Map result = [task: task, exitCode: code, verdict: (report.verdict ?: 'error') as String,
                  report: report, reportDir: dir]
    echo(summary(task, code, report))
    if (cfg.archive == null || truthy(cfg.archive)) {
        archiveArtifacts(artifacts: "${dir}/**", allowEmptyArchive: true)
        junit(testResults: "${dir}/**/*.xml", allowEmptyResults: true)
    }
    if (code == 0) {
        return result
    }
    if (code == 1) {
        String msg = "crosszone ${task}: a check failed (exit 1); see ${dir}"
        if (onCheckFailureOf(cfg) == 'UNSTABLE') {
            unstable(msg)
            return result
        }
        error(msg)
    }
    error("crosszone ${task}: ${exitMeaning(code)} (exit ${code})${report.error ? ': ' + report.error : ''}")
    return result
}

/** The task's JSON result, or an empty map when the CLI printed none (it died, or was not found). */
Map readResult(String path) {
    if (!fileExists(path)) {
        return [:]
    }
    String text = readFile(file: path)
    if (text == null || text.trim().isEmpty()) {
        return [:]
    }
    try {
        return readJSON(text: text) as Map
    } catch (Exception e) {
        echo("crosszone: the result in ${path} is not JSON (${e.message})")
        return [:]
    }
}

// ---------------------------------------------------------------------------------------------
// Pure helpers (no steps): safe to run outside CPS.

/** The CLI's options per task: map key -> [flag, kind]. Kinds: value, list, map, flag. */
@NonCPS
Map<String, List<String>> taskOptions(String task) {
    Map<String, List<String>> common = [
            config                   : ['--config', 'value'],
            namespace                : ['--namespace', 'value'],
            brokerCr                 : ['--broker-cr', 'value'],
            nameServiceCr            : ['--name-service-cr', 'value'],
            controllerCr             : ['--controller-cr', 'value'],
            consoleCr                : ['--console-cr', 'value'],
            zoneLabelKey             : ['--zone-label-key', 'value'],
            zones                    : ['--zones', 'list'],
            zoneNodes                : ['--zone-nodes', 'map'],
            zoneSelector             : ['--zone-selector', 'map'],
            groups                   : ['--groups', 'value'],
            replicasPerGroup         : ['--replicas-per-group', 'value'],
            zoneSeparation           : ['--zone-separation', 'value'],
            brokerProperty           : ['--broker-property', 'map'],
            controllerImage          : ['--controller-image', 'value'],
            controllerImagePullPolicy: ['--controller-image-pull-policy', 'value'],
            controllerSize           : ['--controller-size', 'value'],
            controllerStorageMode    : ['--controller-storage-mode', 'value'],
            controllerStorageSize    : ['--controller-storage-size', 'value'],
            controllerStorageClass   : ['--controller-storage-class', 'value'],
            controllerHostPath       : ['--controller-host-path', 'value'],
            controllerMemory         : ['--controller-memory', 'value'],
            controllerZone           : ['--controller-zone', 'value'],
            kubeconfig               : ['--kubeconfig', 'value'],
            context                  : ['--context', 'value'],
            apiTimeout               : ['--api-timeout', 'value'],
            verbose                  : ['--verbose', 'flag'],
    ]
    Map<String, Map<String, List<String>>> own = [
            'label-zones'              : [
                    dryRun   : ['--dry-run', 'flag'],
                    expectCluster: ['--expect-cluster', 'value'],
                    overwrite: ['--overwrite', 'flag']],
            'switch-to-controller-mode': [
                    dryRun           : ['--dry-run', 'flag'],
                    expectCluster: ['--expect-cluster', 'value'],
                    deleteStaticData : ['--delete-static-data', 'flag'],
                    controllerAddrDns: ['--controller-addr-dns', 'flag'],
                    timeout          : ['--timeout', 'value'],
                    pollInterval     : ['--poll-interval', 'value']],
            'apply-affinity'           : [
                    dryRun      : ['--dry-run', 'flag'],
                    expectCluster: ['--expect-cluster', 'value'],
                    timeout     : ['--timeout', 'value'],
                    settle      : ['--settle', 'value'],
                    noRestart   : ['--no-restart', 'flag'],
                    replaceZonalVolumes: ['--replace-zonal-volumes', 'flag'],
                    pollInterval: ['--poll-interval', 'value']],
            'verify-distribution'      : [
                    fixTopics       : ['--fix-topics', 'flag'],
                    expectCluster   : ['--expect-cluster', 'value'],
                    allNamespaces   : ['--all-namespaces', 'flag'],
                    rebalanceMasters: ['--rebalance-masters', 'flag'],
                    convergeTimeout : ['--converge-timeout', 'value'],
                    pushgateway     : ['--pushgateway', 'value'],
                    clusterName     : ['--cluster-name', 'value']],
            'failover-drill'           : [
                    dryRun      : ['--dry-run', 'flag'],
                    expectCluster: ['--expect-cluster', 'value'],
                    zone        : ['--zone', 'value'],
                    mode        : ['--mode', 'value'],
                    maxDuration : ['--max-duration', 'value'],
                    rtoObjective: ['--rto-objective', 'value'],
                    rpoObjective: ['--rpo-objective', 'value'],
                    pollInterval: ['--poll-interval', 'value'],
                    failBack    : ['--fail-back', 'flag'],
                    noFailBack  : ['--no-fail-back', 'flag'],
                    recover     : ['--recover', 'flag'],
                    replaceControllerVolume: ['--replace-controller-volume', 'flag'],
                    historySize : ['--history-size', 'value'],
                    pushgateway : ['--pushgateway', 'value'],
                    clusterName : ['--cluster-name', 'value']],
            'reseed-controller'        : [
                    dryRun          : ['--dry-run', 'flag'],
                    expectCluster   : ['--expect-cluster', 'value'],
                    knownState      : ['--known-state', 'value'],
                    lostZone        : ['--lost-zone', 'value'],
                    allowUnclean    : ['--allow-unclean', 'flag'],
                    noRestartMasters: ['--no-restart-masters', 'flag'],
                    realign         : ['--realign', 'flag'],
                    timeout         : ['--timeout', 'value']],
    ]
    if (!own.containsKey(task)) {
        throw new IllegalArgumentException("unknown crosszone task '${task}'")
    }
    Map<String, List<String>> all = new LinkedHashMap<String, List<String>>(common)
    all.putAll(own[task])
    return all
}

/** The keys that configure the step itself (where and how the CLI runs), not the CLI. */
@NonCPS
List<String> stepKeys() {
    return ['image', 'runner', 'jar', 'java', 'cli', 'reportDir', 'onCheckFailure', 'archive',
            'cloud', 'agentNamespace', 'serviceAccount', 'podYaml', 'unstash', 'kubeconfigCredentialsId']
}

/** The five tasks in the order the rollout (four of them) and the drill use them. */
@NonCPS
List<String> tasks() {
    return ['label-zones', 'switch-to-controller-mode', 'apply-affinity', 'verify-distribution', 'failover-drill']
}

/** crosszone<Task>, the step's name, for messages. */
@NonCPS
String stepName(String task) {
    StringBuilder b = new StringBuilder('crosszone')
    for (String part : task.split('-')) {
        b.append(part.substring(0, 1).toUpperCase()).append(part.substring(1))
    }
    return b.toString()
}

/** What is wrong with a step's configuration: unknown keys, wrong types, bad step settings. */
@NonCPS
List<String> problems(String task, Map cfg) {
    Map<String, List<String>> options = taskOptions(task)
    List<String> steps = stepKeys()
    List<String> out = []
    List<String> unknown = []
    for (Object k : cfg.keySet()) {
        String key = k as String
        if (!options.containsKey(key) && !steps.contains(key)) {
            unknown << key
        }
    }
    if (!unknown.isEmpty()) {
        List<String> known = new ArrayList<String>(options.keySet())
        known.addAll(steps)
        out << "unknown parameter${unknown.size() > 1 ? 's' : ''} ${unknown.collect { "'" + it + "'" }.join(', ')}" +
                " (known: ${known.join(', ')})"
    }
    for (Map.Entry<String, List<String>> e : options.entrySet()) {
        String p = valueProblem(e.key, e.value[1], cfg[e.key])
        if (p != null) {
            out << p
        }
    }
    String runner = runnerOf(cfg)
    if (!(runner in ['kubernetes', 'jar', 'container'])) {
        out << "runner must be 'kubernetes', 'jar' or 'container', got '${runner}'"
    }
    if (runner == 'kubernetes' && !cfg.image) {
        out << "image is required with the kubernetes runner (e.g. image: 'registry.example.com/crosszone:0.1.0')"
    }
    if (runner == 'jar' && !cfg.jar && !cfg.cli) {
        out << "jar is required with the jar runner (the path of crosszone.jar on the agent)"
    }
    if (cfg.cli != null && !(cfg.cli instanceof List && !((List) cfg.cli).isEmpty())) {
        out << "cli must be a non-empty list of words, e.g. ['java', '-jar', 'crosszone.jar']"
    }
    if (!(onCheckFailureOf(cfg) in ['FAILURE', 'UNSTABLE'])) {
        out << "onCheckFailure must be 'FAILURE' or 'UNSTABLE', got '${cfg.onCheckFailure}'"
    }
    String dir = reportDirOf(cfg)
    if (dir.startsWith('/') || dir.split('/').contains('..') || dir.trim().isEmpty()) {
        out << "reportDir must be a relative path inside the workspace without '..', got '${dir}'"
    }
    return out
}

/** The problem with one CLI value, or null. Null and '' mean "not set" (blank build parameters). */
@NonCPS
String valueProblem(String key, String kind, Object v) {
    if (v == null || (v instanceof CharSequence && v.toString().isEmpty())) {
        return null
    }
    if (kind == 'flag') {
        return (v instanceof Boolean || v.toString() in ['true', 'false']) ? null
                : "${key} must be true or false, got '${v}'"
    }
    if (kind == 'map') {
        if (!(v instanceof Map)) {
            return "${key} must be a map, e.g. ${key}: [az1: 'value']"
        }
        for (Object k : ((Map) v).keySet()) {
            if (k == null || k.toString().isEmpty() || k.toString().contains('=')) {
                return "${key}: a key must be non-empty and hold no '=', got '${k}'"
            }
        }
        return null
    }
    if (kind == 'list') {
        return (v instanceof List || v instanceof CharSequence) ? null
                : "${key} must be a list or a comma-separated string"
    }
    return (v instanceof CharSequence || v instanceof Number) ? null : "${key} must be a string or a number"
}

@NonCPS
boolean truthy(Object v) {
    return v instanceof Boolean ? (Boolean) v : v.toString() == 'true'
}

@NonCPS
String runnerOf(Map cfg) {
    return cfg.runner ? cfg.runner as String : 'kubernetes'
}

@NonCPS
String onCheckFailureOf(Map cfg) {
    return cfg.onCheckFailure ? (cfg.onCheckFailure as String).toUpperCase() : 'FAILURE'
}

@NonCPS
String reportDirOf(Map cfg) {
    String dir = cfg.reportDir ? cfg.reportDir as String : 'crosszone-reports'
    return dir.endsWith('/') ? dir.substring(0, dir.length() - 1) : dir
}

/** Each task writes into its own folder, so one task's JUnit XML is never published twice. */
@NonCPS
String taskReportDir(String task, Map cfg) {
    return "${reportDirOf(cfg)}/${task}"
}

/**
 * The CLI's arguments after the task name, one word each; values ride in --flag=value form. A flag
 * set to false passes its negation where the task has one (failBack: false is --no-fail-back: the
 * drill fails back by default).
 */
@NonCPS
List<String> cliArgs(String task, Map cfg) {
    List<String> args = []
    Map<String, List<String>> options = taskOptions(task)
    for (Map.Entry<String, List<String>> e : options.entrySet()) {
        Object v = cfg[e.key]
        String flag = e.value[0]
        String kind = e.value[1]
        if (v == null || (v instanceof CharSequence && v.toString().isEmpty())) {
            continue
        }
        if (kind == 'flag') {
            String negated = '--no-' + flag.substring(2)
            String word = truthy(v) ? flag : (options.values().any { it[0] == negated } ? negated : null)
            if (word != null && !args.contains(word)) {
                args << word
            }
        } else if (kind == 'list') {
            args << "${flag}=${v instanceof List ? ((List) v).join(',') : v}".toString()
        } else if (kind == 'map') {
            for (Map.Entry m : ((Map) v).entrySet()) {
                Object mv = m.value instanceof List ? ((List) m.value).join(',') : m.value
                args << "${flag}=${m.key}=${mv}".toString()
            }
        } else {
            args << "${flag}=${v}".toString()
        }
    }
    args << '--output=json'
    args << "--report-dir=${taskReportDir(task, cfg)}".toString()
    return args
}

/** The words that start the CLI: the image's entrypoint, or java -jar on the agent. */
@NonCPS
List<String> cliWords(Map cfg) {
    if (cfg.cli != null) {
        List<String> words = []
        for (Object w : (List) cfg.cli) {
            words << w.toString()
        }
        return words
    }
    if (runnerOf(cfg) == 'jar') {
        return [cfg.java ? cfg.java as String : 'java', '-jar', cfg.jar as String]
    }
    // what Jib's default entrypoint runs in the crosszone image
    return ['java', '-cp', '@/app/jib-classpath-file', 'io.crosszone.cli.Crosszone']
}

/** One word for /bin/sh, single-quoted: nothing in it is expanded or run. */
@NonCPS
String shellQuote(String word) {
    return "'" + word.replace("'", "'\"'\"'") + "'"
}

@NonCPS
String shellLine(List<String> words) {
    List<String> quoted = []
    for (String w : words) {
        quoted << shellQuote(w)
    }
    return quoted.join(' ')
}

/** The script the step runs: a fresh report folder, then the CLI with its JSON on stdout to a file. */
@NonCPS
String commandScript(String task, Map cfg) {
    String dir = taskReportDir(task, cfg)
    List<String> words = new ArrayList<String>(cliWords(cfg))
    words << task
    words.addAll(cliArgs(task, cfg))
    return "rm -rf ${shellQuote(dir)}\nmkdir -p ${shellQuote(dir)}\n" +
            "${shellLine(words)} > ${shellQuote(dir + '/' + task + '.result.json')}\n"
}

/** The crosszone container: the image kept alive with sleep, so `sh` can run the CLI in it. */
@NonCPS
Map crosszoneContainer(Map cfg) {
    return [name: 'crosszone', image: cfg.image as String, command: 'sleep', args: 'infinity']
}

/** podTemplate's settings other than the containers (containerTemplate is a step: CPS side). */
@NonCPS
Map podTemplateArgs(Map cfg) {
    Map pod = [:]
    if (cfg.cloud) pod.cloud = cfg.cloud as String
    if (cfg.agentNamespace) pod.namespace = cfg.agentNamespace as String
    if (cfg.serviceAccount) pod.serviceAccount = cfg.serviceAccount as String
    if (cfg.podYaml) pod.yaml = cfg.podYaml as String
    return pod
}

@NonCPS
String exitMeaning(int code) {
    switch (code) {
        case 1: return 'a check failed'
        case 2: return 'bad input'
        case 3: return 'runtime failure'
        default: return 'the CLI did not finish'
    }
}

@NonCPS
String summary(String task, int code, Map report) {
    String verdict = report.verdict ?: 'no result'
    return "crosszone ${task}: ${verdict} (exit ${code})${report.error ? ' - ' + report.error : ''}"
}

// ---------------------------------------------------------------------------------------------
// The rollout: four tasks in order, one configuration.

/** The four rollout tasks, in order, with the key of each one's override map. */
@NonCPS
Map<String, String> rolloutTasks() {
    return ['label-zones'              : 'labelZones',
            'switch-to-controller-mode': 'switchToControllerMode',
            'apply-affinity'           : 'applyAffinity',
            'verify-distribution'      : 'verifyDistribution']
}

/**
 * Splits a rollout's configuration into one per task: each task gets the keys it takes, the step
 * keys, then its override map. Returns [problems: [...], steps: [[task:, config:], ...]].
 * A dry run leaves verify-distribution out: nothing was changed for it to verify.
 */
@NonCPS
Map rolloutPlan(Map cfg) {
    Map<String, String> order = rolloutTasks()
    List<String> steps = stepKeys()
    List<String> out = []
    List<String> unknown = []
    for (Object k : cfg.keySet()) {
        String key = k as String
        boolean known = steps.contains(key) || order.values().contains(key)
        for (String task : order.keySet()) {
            known = known || taskOptions(task).containsKey(key)
        }
        if (!known) {
            unknown << key
        }
    }
    if (!unknown.isEmpty()) {
        out << "unknown parameter${unknown.size() > 1 ? 's' : ''} ${unknown.collect { "'" + it + "'" }.join(', ')}" +
                " (a key of any rollout task, a step key, or one of ${order.values().join(', ')})"
    }
    List<Map> planned = []
    for (Map.Entry<String, String> e : order.entrySet()) {
        String task = e.key
        Object override = cfg[e.value]
        if (override != null && !(override instanceof Map)) {
            out << "${e.value} must be a map of ${task}'s parameters"
            continue
        }
        Map<String, List<String>> options = taskOptions(task)
        Map stepCfg = [:]
        for (Object k : cfg.keySet()) {
            if (options.containsKey(k) || steps.contains(k)) {
                stepCfg[k] = cfg[k]
            }
        }
        if (override != null) {
            stepCfg.putAll((Map) override)
        }
        for (String p : problems(task, stepCfg)) {
            String msg = override != null ? "${task} (with ${e.value}): ${p}".toString() : p
            if (!out.contains(msg)) {
                out << msg
            }
        }
        if (task == 'verify-distribution' && cfg.dryRun != null && truthy(cfg.dryRun)) {
            continue
        }
        planned << [task: task, config: stepCfg]
    }
    return [problems: out, steps: planned]
}
