package io.crosszone.rocketmq;

import java.util.Optional;

/**
 * How tasks reach RocketMQ: normally the admin API at the addresses found from the pods' IPs.
 * Tests whose Kubernetes API is the mock server, with made-up pod IPs and no RocketMQ behind
 * them, pass {@link #NONE}: the tasks then skip what only RocketMQ can tell and say so.
 */
@FunctionalInterface
public interface RocketMqAccess {
    /** The admin API, or empty when RocketMQ is not to be asked. */
    Optional<RocketMqGateway> open(RocketMqEndpoints endpoints);

    RocketMqAccess ADMIN_API = endpoints -> Optional.of(new AdminRocketMqGateway(endpoints));

    RocketMqAccess NONE = endpoints -> Optional.empty();
}
