package io.crosszone.core;

import java.util.regex.Pattern;

/**
 * Masks credentials in text this tool did not write itself (a library's exception message or stack
 * trace) before it reaches stderr, stdout or a report: the user part of a URL
 * ({@code https://user:password@host}) and a bearer token. What the tool writes on its own never
 * carries them (the API server is shown without user info, see {@code k8s.ClusterIdentity}).
 */
public final class Redaction {
    private static final Pattern URL_USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/\\s@]+@");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer\\s+)[A-Za-z0-9._~+/=-]+");

    private Redaction() {
    }

    public static String redact(String text) {
        if (text == null) {
            return null;
        }
        String s = URL_USER_INFO.matcher(text).replaceAll("$1***@");
        return BEARER.matcher(s).replaceAll("$1***");
    }
}
