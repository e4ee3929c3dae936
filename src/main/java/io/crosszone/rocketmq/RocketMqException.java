package io.crosszone.rocketmq;

import io.crosszone.core.RuntimeFailure;

/** A RocketMQ call failed on every address it was tried on (or was refused): a runtime failure, exit 3. */
public class RocketMqException extends RuntimeFailure {
    public RocketMqException(String message) {
        super(message);
    }

    public RocketMqException(String message, Throwable cause) {
        super(message, cause);
    }
}
