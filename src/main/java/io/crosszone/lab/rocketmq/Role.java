package io.crosszone.lab.rocketmq;

import java.util.List;

/** The three kinds of RocketMQ server process, with their main class, standard port and heap. */
public enum Role {
    NAME_SERVER("org.apache.rocketmq.namesrv.NamesrvStartup", 9876,
            List.of("-Xms256m", "-Xmx256m", "-Xmn96m", "-XX:MaxDirectMemorySize=64m")),
    CONTROLLER("org.apache.rocketmq.controller.ControllerStartup", 9878,
            List.of("-Xms256m", "-Xmx256m", "-Xmn96m", "-XX:MaxDirectMemorySize=64m")),
    BROKER("org.apache.rocketmq.broker.BrokerStartup", 10911,
            List.of("-Xms384m", "-Xmx384m", "-Xmn128m", "-XX:MaxDirectMemorySize=256m"));

    private final String mainClass;
    private final int standardPort;
    private final List<String> heapOptions;

    Role(String mainClass, int standardPort, List<String> heapOptions) {
        this.mainClass = mainClass;
        this.standardPort = standardPort;
        this.heapOptions = heapOptions;
    }

    public String mainClass() {
        return mainClass;
    }

    /** The port a pod would use; every member binds it on its own loopback address. */
    public int standardPort() {
        return standardPort;
    }

    public List<String> heapOptions() {
        return heapOptions;
    }
}
