package io.crosszone.report;

import java.util.ArrayList;
import java.util.List;

/** A plain, left-aligned text table for terminal output. */
public final class TextTable {
    private final List<String> headers;
    private final List<List<String>> rows = new ArrayList<>();

    public TextTable(String... headers) {
        this.headers = List.of(headers);
    }

    public TextTable row(Object... cells) {
        List<String> r = new ArrayList<>();
        for (Object c : cells) {
            r.add(c == null ? "-" : String.valueOf(c));
        }
        rows.add(r);
        return this;
    }

    public List<String> lines() {
        int[] width = new int[headers.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = headers.get(i).length();
            for (List<String> r : rows) {
                if (i < r.size()) {
                    width[i] = Math.max(width[i], r.get(i).length());
                }
            }
        }
        List<String> out = new ArrayList<>();
        out.add(format(headers, width));
        rows.forEach(r -> out.add(format(r, width)));
        return out;
    }

    private static String format(List<String> cells, int[] width) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < width.length; i++) {
            String cell = i < cells.size() ? cells.get(i) : "";
            sb.append(cell);
            if (i < width.length - 1) {
                sb.append(" ".repeat(width[i] - cell.length() + 2));
            }
        }
        return sb.toString().stripTrailing();
    }
}
