package io.crosszone.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the CLI's durations: {@code 250ms}, {@code 15s}, {@code 10m}, {@code 1h}, or ISO-8601 ({@code PT10M}). */
public final class Durations {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+)(ms|s|m|h)");

    private Durations() {
    }

    public static Duration parse(String flag, String value) {
        if (value != null) {
            Matcher m = SIMPLE.matcher(value.trim());
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            }
            try {
                return Duration.parse(value.trim());
            } catch (RuntimeException e) {
                // fall through to the error below
            }
        }
        throw new ConfigException(flag + " '" + value + "' is not a duration: use e.g. 250ms, 15s, 10m or 1h");
    }
}
