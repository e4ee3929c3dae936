// crosszoneFailoverDrill(config): runs `crosszone failover-drill`; parameters and results in crosszoneFailoverDrill.txt.
def call(Map config = [:]) {
    return crosszoneCli.runTask('failover-drill', config)
}
