package io.crosszone.tasks;

import io.crosszone.config.CrosszoneConfig;
import io.crosszone.k8s.BrokerCr;
import java.util.List;
import java.util.Optional;

/**
 * How many broker groups and brokers per group a deployment has. The Broker CR, when there is
 * one, wins over the configuration (it is what the operator acts on); a disagreement is a warning.
 *
 * @param brokersPerGroup master plus replicas: the CR's {@code replicaPerGroup + 1}
 * @param source          where it was read, for messages
 */
public record BrokerShape(int groups, int brokersPerGroup, String source) {

    /** The shape from the CR or the configuration, or empty when neither gives it. */
    public static Optional<BrokerShape> resolve(CrosszoneConfig config, Optional<BrokerCr> cr, List<String> warnings) {
        Integer g = config.getBrokers().getGroups();
        Integer r = config.getBrokers().getReplicasPerGroup();
        if (cr.isPresent()) {
            BrokerCr b = cr.get();
            BrokerShape fromCr = new BrokerShape(b.groups(), b.brokersPerGroup(),
                    "Broker CR " + b.namespace() + "/" + b.name());
            if ((g != null && g != fromCr.groups()) || (r != null && r != fromCr.brokersPerGroup())) {
                warnings.add("the configuration says " + g + " groups x " + r + " brokers, the " + fromCr.source()
                        + " has " + fromCr.groups() + " x " + fromCr.brokersPerGroup()
                        + " (spec.size, spec.replicaPerGroup + 1): using the CR");
            }
            return Optional.of(fromCr);
        }
        if (g != null && r != null) {
            return Optional.of(new BrokerShape(g, r, "configuration"));
        }
        return Optional.empty();
    }

    /** The configuration with this shape filled in, for the placement planner. */
    public CrosszoneConfig applyTo(CrosszoneConfig config) {
        config.getBrokers().setGroups(groups);
        config.getBrokers().setReplicasPerGroup(brokersPerGroup);
        return config;
    }
}
