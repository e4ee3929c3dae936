package io.crosszone.rbac;

import io.fabric8.mockwebserver.MockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The API requests the fabric8 mock server received, as RBAC sees them. The mock server queues
 * every request it serves (CRUD mode included); {@link #drain} takes them off that queue, so
 * call it once before the code under test runs (to drop the fixtures' requests) and once after.
 * Requests of other clients sharing the server (an operator double, a kubelet stand-in) are told
 * apart by their User-Agent: give the client of the code under test {@link #TASK_USER_AGENT}.
 */
public final class MockServerRequestLog {
    /** The User-Agent to give the Kubernetes client of the task under test. */
    public static final String TASK_USER_AGENT = "crosszone-task-under-test";

    private MockServerRequestLog() {
    }

    /** Every request received since the last drain, oldest first. */
    public static List<RecordedRequest> drain(MockServer server) {
        List<RecordedRequest> out = new ArrayList<>();
        try {
            RecordedRequest r;
            while ((r = server.takeRequest(50, TimeUnit.MILLISECONDS)) != null) {
                out.add(r);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the mock server's requests", e);
        }
        return out;
    }

    /** The API requests among {@code recorded} that {@code which} selects (discovery left out). */
    public static List<ApiRequest> apiRequests(List<RecordedRequest> recorded, Predicate<RecordedRequest> which) {
        List<ApiRequest> out = new ArrayList<>();
        for (RecordedRequest r : recorded) {
            if (which.test(r)) {
                ApiRequests.fromHttp(r.getMethod(), r.getPath()).ifPresent(out::add);
            }
        }
        return out;
    }

    /** Selects the requests sent with this User-Agent. */
    public static Predicate<RecordedRequest> userAgent(String userAgent) {
        return r -> userAgent.equals(r.getHeader("User-Agent"));
    }

    /** Selects every request. */
    public static Predicate<RecordedRequest> all() {
        return r -> true;
    }
}
