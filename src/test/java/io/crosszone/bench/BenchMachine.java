package io.crosszone.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** The machine a benchmark ran on, with its load before and after: every result file carries it. */
final class BenchMachine {
    private BenchMachine() {
    }

    static Map<String, Object> describe(String loadBefore, String loadAfter) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("loadavgBefore", loadBefore);
        m.put("loadavgAfter", loadAfter);
        return m;
    }
}
