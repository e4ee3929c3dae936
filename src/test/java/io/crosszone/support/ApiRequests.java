package io.crosszone.support;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Reads what the mock API server was asked: used to prove a run wrote nothing. */
public final class ApiRequests {
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

    private ApiRequests() {
    }

    /** Takes every request recorded so far off the server's queue. */
    public static List<RecordedRequest> drain(KubernetesMockServer server) {
        List<RecordedRequest> out = new ArrayList<>();
        try {
            RecordedRequest r;
            while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
                out.add(r);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out;
    }

    /** The write requests among those recorded since the last drain, as "METHOD path". */
    public static List<String> writes(KubernetesMockServer server) {
        return drain(server).stream().filter(r -> WRITES.contains(r.getMethod()))
                .map(r -> r.getMethod() + " " + r.getPath()).toList();
    }
}
