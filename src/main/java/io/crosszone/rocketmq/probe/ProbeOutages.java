package io.crosszone.rocketmq.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Write outage windows from a probe's send records (pure). */
public final class ProbeOutages {
    private ProbeOutages() {
    }

    /** Per group: maximal runs of failed sends, each closed by the next acknowledgement. */
    public static List<OutageWindow> of(List<SendRecord> sends) {
        Map<String, List<SendRecord>> byGroup = new TreeMap<>();
        sends.forEach(r -> byGroup.computeIfAbsent(r.group(), g -> new ArrayList<>()).add(r));
        List<OutageWindow> windows = new ArrayList<>();
        byGroup.forEach((group, list) -> {
            list.sort((a, b) -> Long.compare(a.startMillis(), b.startMillis())); // senders append in order; sorting makes it explicit
            SendRecord firstFailure = null;
            SendRecord lastFailure = null;
            int failures = 0;
            for (SendRecord r : list) {
                if (!r.acked()) {
                    if (firstFailure == null) {
                        firstFailure = r;
                    }
                    lastFailure = r;
                    failures++;
                } else if (firstFailure != null) {
                    windows.add(new OutageWindow(group, firstFailure.startMillis(), r.endMillis(), failures, true));
                    firstFailure = null;
                    failures = 0;
                }
            }
            if (firstFailure != null) {
                windows.add(new OutageWindow(group, firstFailure.startMillis(), lastFailure.endMillis(), failures, false));
            }
        });
        return windows;
    }

}
