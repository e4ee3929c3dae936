// crosszoneSwitchToControllerMode(config): runs `crosszone switch-to-controller-mode`; parameters and results in crosszoneSwitchToControllerMode.txt.
def call(Map config = [:]) {
    return crosszoneCli.runTask('switch-to-controller-mode', config)
}
