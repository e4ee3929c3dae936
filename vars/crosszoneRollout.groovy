// crosszoneRollout(config): label-zones -> switch-to-controller-mode -> apply-affinity ->
// verify-distribution, stopping at the first task that does not pass; see crosszoneRollout.txt.
def call(Map config = [:]) {
    Map cfg = config == null ? [:] : config
    Map plan = crosszoneCli.rolloutPlan(cfg)
    if (!plan.problems.isEmpty()) {
        error("crosszoneRollout: ${plan.problems.join('; ')}")
    }
    List results = []
    if (crosszoneCli.runnerOf(cfg) == 'kubernetes') {
        // one pod for the four tasks: the image is pulled once and the reports stay together
        crosszoneCli.inPod(cfg) {
            results = runSteps(plan.steps, 'container')
        }
    } else {
        results = runSteps(plan.steps, null)
    }
    return results
}

/** Runs the planned tasks in order; a failed task ends the rollout (error() or, when UNSTABLE, here). */
List runSteps(List steps, String runner) {
    List results = []
    for (int i = 0; i < steps.size(); i++) {
        Map step = steps[i] as Map
        Map stepCfg = new LinkedHashMap(step.config as Map)
        if (runner != null) {
            stepCfg.runner = runner
        }
        Map result = crosszoneCli.runHere(step.task as String, stepCfg)
        results << result
        if (result.exitCode != 0) {
            echo("crosszoneRollout: stopped after ${step.task} (exit ${result.exitCode}); the later tasks did not run")
            break
        }
    }
    return results
}
