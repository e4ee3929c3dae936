package io.crosszone.tasks.drill;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.crosszone.core.Json;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * The drill's lock: a {@code coordination.k8s.io} Lease in the deployment's namespace, so that two
 * drills never overlap. Its annotation holds the {@link DrillRecord}; the holder renews it while it
 * runs, so a Lease not renewed for its duration belongs to a dead drill (undone by --recover; a new
 * drill is refused until then, since the record says what is still changed).
 */
public final class DrillLock {
    public static final String NAME = "crosszone-failover-drill";
    public static final String RECORD_ANNOTATION = "crosszone.io/drill-record";

    /** A Lease as found: its holder, when it was renewed, how long it lasts, and the record. */
    public record Held(String holder, Instant renewedAt, Duration duration, DrillRecord record) {
        public boolean expired(Instant now) {
            return renewedAt == null || renewedAt.plus(duration).isBefore(now);
        }
    }

    /** Thrown when another drill holds the lock. */
    public static final class HeldByOther extends RuntimeException {
        private final Held held;

        HeldByOther(Held held) {
            super("another drill holds the lock (Lease " + NAME + ", holder " + held.holder() + ", renewed "
                    + held.renewedAt() + ")");
            this.held = held;
        }

        public Held held() {
            return held;
        }
    }

    private final KubernetesClient client;
    private final String namespace;
    private final Duration duration;

    public DrillLock(KubernetesClient client, String namespace, Duration duration) {
        this.client = client;
        this.namespace = namespace;
        this.duration = duration;
    }

    public Optional<Held> read() {
        Lease l = client.resources(Lease.class).inNamespace(namespace).withName(NAME).get();
        return Optional.ofNullable(l).map(DrillLock::held);
    }

    /** Creates the Lease for this record's holder; throws {@link HeldByOther} when one exists. */
    public void acquire(DrillRecord record) {
        java.time.ZonedDateTime now = java.time.ZonedDateTime.now(ZoneOffset.UTC);
        Lease lease = new LeaseBuilder().withNewMetadata().withName(NAME).withNamespace(namespace)
                .addToLabels("app.kubernetes.io/managed-by", "crosszone")
                .addToAnnotations(RECORD_ANNOTATION, Json.write(record)).endMetadata()
                .withNewSpec().withHolderIdentity(record.holder)
                .withLeaseDurationSeconds((int) Math.max(1, duration.toSeconds()))
                .withAcquireTime(now).withRenewTime(now).endSpec().build();
        Optional<Held> existing = read();
        if (existing.isPresent()) {
            throw new HeldByOther(existing.get());
        }
        try {
            client.resources(Lease.class).inNamespace(namespace).resource(lease).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                throw new HeldByOther(read().orElseThrow(() -> e));
            }
            throw e;
        }
    }

    /** Writes the record (and renews) if this holder still has the Lease. */
    public synchronized void record(DrillRecord record) {
        update(record.holder, record);
    }

    /** Renews the Lease of {@code holder}. */
    public synchronized void renew(String holder) {
        update(holder, null);
    }

    private void update(String holder, DrillRecord record) {
        Lease l = client.resources(Lease.class).inNamespace(namespace).withName(NAME).get();
        if (l == null || !holder.equals(l.getSpec().getHolderIdentity())) {
            throw new IllegalStateException("the drill's Lease " + NAME + " is no longer held by " + holder);
        }
        l.getSpec().setRenewTime(java.time.ZonedDateTime.now(ZoneOffset.UTC));
        if (record != null) {
            l.getMetadata().getAnnotations().put(RECORD_ANNOTATION, Json.write(record));
        }
        client.resources(Lease.class).inNamespace(namespace).resource(l).update();
    }

    /**
     * --recover takes over a dead drill's Lease: the holder becomes {@code newHolder} (an update
     * against the version read, so a drill that renews at the same moment wins). False when there is
     * no Lease or another holder renewed it meanwhile.
     */
    public synchronized boolean takeOver(String deadHolder, String newHolder) {
        Lease l = client.resources(Lease.class).inNamespace(namespace).withName(NAME).get();
        if (l == null || (deadHolder != null && !deadHolder.equals(l.getSpec().getHolderIdentity()))) {
            return false;
        }
        l.getSpec().setHolderIdentity(newHolder);
        l.getSpec().setRenewTime(java.time.ZonedDateTime.now(ZoneOffset.UTC));
        try {
            client.resources(Lease.class).inNamespace(namespace).resource(l).update();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return false;
            }
            throw e;
        }
    }

    /** Deletes the Lease if {@code holder} has it (any holder when null). */
    public synchronized void release(String holder) {
        Optional<Held> h = read();
        if (h.isPresent() && (holder == null || holder.equals(h.get().holder()))) {
            client.resources(Lease.class).inNamespace(namespace).withName(NAME).delete();
        }
    }

    static Held held(Lease l) {
        DrillRecord record = null;
        String json = l.getMetadata().getAnnotations() == null ? null : l.getMetadata().getAnnotations().get(RECORD_ANNOTATION);
        if (json != null) {
            try {
                record = Json.MAPPER.readValue(json, DrillRecord.class);
            } catch (JsonProcessingException e) {
                record = null;
            }
        }
        Instant renewed = l.getSpec().getRenewTime() == null ? null : l.getSpec().getRenewTime().toInstant();
        int seconds = l.getSpec().getLeaseDurationSeconds() == null ? 15 : l.getSpec().getLeaseDurationSeconds();
        return new Held(l.getSpec().getHolderIdentity(), renewed, Duration.ofSeconds(seconds), record);
    }

}
