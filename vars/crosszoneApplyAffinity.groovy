// crosszoneApplyAffinity(config): runs `crosszone apply-affinity`; parameters and results in crosszoneApplyAffinity.txt.
def call(Map config = [:]) {
    return crosszoneCli.runTask('apply-affinity', config)
}
