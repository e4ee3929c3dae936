package io.crosszone.rocketmq;

/** A topic to create: name, read and write queue count per broker, and RocketMQ's permission bits (6 = read+write). */
public record TopicSpec(String name, int readQueues, int writeQueues, int perm) {
    public static final int PERM_READ_WRITE = 6;

    public TopicSpec {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("topic name is required");
        }
        if (readQueues < 1 || writeQueues < 1) {
            throw new IllegalArgumentException("queue counts must be positive");
        }
    }

    public static TopicSpec of(String name, int queues) {
        return new TopicSpec(name, queues, queues, PERM_READ_WRITE);
    }
}
