package io.crosszone.rocketmq;

/**
 * Points RocketMQ's (shaded) logback at our small configuration before any RocketMQ client class
 * logs: otherwise the admin client and producers write a dozen files under ~/logs/rocketmqlogs.
 * A value already set by the user wins.
 */
public final class ClientLogging {
    static final String PROPERTY = "rmq.logback.configurationFile";

    private ClientLogging() {
    }

    public static void configure() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, "io/crosszone/rocketmq/client-logback.xml");
        }
    }
}
