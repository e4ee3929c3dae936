// crosszoneVerifyDistribution(config): runs `crosszone verify-distribution`; parameters and results in crosszoneVerifyDistribution.txt.
def call(Map config = [:]) {
    return crosszoneCli.runTask('verify-distribution', config)
}
