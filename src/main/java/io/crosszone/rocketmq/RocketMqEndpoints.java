package io.crosszone.rocketmq;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Where to reach a RocketMQ cluster: name servers and controllers as {@code host:port}, and the
 * timeout of each single call. Every call is tried on each address in turn until one answers.
 */
public record RocketMqEndpoints(List<String> nameServers, List<String> controllers, Duration callTimeout) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

    public RocketMqEndpoints {
        nameServers = List.copyOf(nameServers);
        controllers = List.copyOf(controllers);
        Objects.requireNonNull(callTimeout, "callTimeout");
        if (nameServers.isEmpty()) {
            throw new IllegalArgumentException("at least one name server address is needed");
        }
    }

    /** From RocketMQ's own notation, {@code host:port;host:port}. */
    public static RocketMqEndpoints of(String nameServers, String controllers, Duration callTimeout) {
        return new RocketMqEndpoints(split(nameServers), split(controllers), callTimeout);
    }

    /** Name servers in RocketMQ's notation, for clients. */
    public String nameServerList() {
        return String.join(";", nameServers);
    }

    public RocketMqEndpoints withCallTimeout(Duration timeout) {
        return new RocketMqEndpoints(nameServers, controllers, timeout);
    }

    static List<String> split(String list) {
        if (list == null || list.isBlank()) {
            return List.of();
        }
        return Arrays.stream(list.split("[;,]")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
