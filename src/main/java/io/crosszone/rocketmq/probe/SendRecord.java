package io.crosszone.rocketmq.probe;

/**
 * One synchronous send: its key, the group it was aimed at ("*" when the client chose), when it
 * started and returned (epoch ms), whether it was acknowledged (SEND_OK), and otherwise why not
 * (a send status such as FLUSH_SLAVE_TIMEOUT, or the exception), and the group that stored it.
 */
public record SendRecord(String key, String group, long startMillis, long endMillis, boolean acked,
                         String cause, String storedBy) {
}
