// crosszoneLabelZones(config): runs `crosszone label-zones`; parameters and results in crosszoneLabelZones.txt.
def call(Map config = [:]) {
    return crosszoneCli.runTask('label-zones', config)
}
