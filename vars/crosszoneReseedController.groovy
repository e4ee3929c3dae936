// crosszoneReseedController(config): runs `crosszone reseed-controller`; parameters and results in crosszoneReseedController.txt.
def call(Map config = [:]) {
    return crosszoneCli.runTask('reseed-controller', config)
}
