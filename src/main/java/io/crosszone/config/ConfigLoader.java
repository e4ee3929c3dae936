package io.crosszone.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * Reads {@code crosszone.yaml}. Unknown keys are an error, never ignored. Every error says, in the
 * user's terms, the file, the line, the key and what was expected there (no Java type names).
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS);

    private ConfigLoader() {
    }

    public static CrosszoneConfig load(Path file) {
        if (Files.isDirectory(file)) {
            throw new ConfigException("configuration file " + file + " is a directory: check --config");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw new ConfigException("configuration file " + file + " does not exist: check --config");
        } catch (AccessDeniedException e) {
            throw new ConfigException("configuration file " + file + " cannot be read (permission denied): check --config");
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getClass().getSimpleName());
        }
    }

    public static CrosszoneConfig read(InputStream in, String source) throws IOException {
        byte[] bytes = in.readAllBytes();
        if (new String(bytes, java.nio.charset.StandardCharsets.UTF_8).lines()
                .allMatch(l -> l.isBlank() || l.stripLeading().startsWith("#") || l.strip().equals("---"))) {
            throw new ConfigException(source + " is empty: expected crosszone.yaml's keys (namespace, zones, brokers, ...),"
                    + " see crosszone.example.yaml");
        }
        try {
            CrosszoneConfig config = YAML.readValue(bytes, CrosszoneConfig.class);
            return config == null ? new CrosszoneConfig() : config;
        } catch (UnrecognizedPropertyException e) {
            String known = e.getKnownPropertyIds() == null ? "" : e.getKnownPropertyIds().stream()
                    .map(String::valueOf).sorted().collect(Collectors.joining(", "));
            throw new ConfigException(where(source, e) + ": unknown key '" + path(e) + "'"
                    + (known.isEmpty() ? "" : " (known keys here: " + known + ")"));
        } catch (InvalidFormatException e) {
            throw new ConfigException(where(source, e) + ": " + key(e) + " must be " + expected(e.getTargetType())
                    + ", got '" + e.getValue() + "'");
        } catch (MismatchedInputException e) {
            throw new ConfigException(where(source, e) + ": " + key(e) + " must be " + expected(e.getTargetType())
                    + found(e.getOriginalMessage()));
        } catch (JsonMappingException e) {
            ConfigException syntax = yamlSyntax(source, e);
            if (syntax != null) {
                throw syntax;
            }
            // a setter refused the value (e.g. an unknown zone separation)
            String why = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage()
                    : firstLine(e.getOriginalMessage());
            throw new ConfigException(where(source, e) + ": " + key(e) + ": " + why);
        } catch (JsonProcessingException e) {
            ConfigException syntax = yamlSyntax(source, e);
            throw syntax != null ? syntax
                    : new ConfigException(where(source, e) + ": not valid YAML: " + firstLine(e.getOriginalMessage()));
        }
    }

    /** A YAML syntax error (SnakeYAML's, possibly wrapped by Jackson) as file, line and the parser's words. */
    private static ConfigException yamlSyntax(String source, Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.yaml.snakeyaml.error.MarkedYAMLException m) {
                int line = m.getProblemMark() != null ? m.getProblemMark().getLine() + 1
                        : m.getContextMark() != null ? m.getContextMark().getLine() + 1 : 0;
                String what = (m.getContext() == null ? "" : m.getContext() + ": ") + (m.getProblem() == null ? "" : m.getProblem());
                return new ConfigException(source + (line > 0 ? ", line " + line : "") + ": not valid YAML: " + what.strip());
            }
        }
        return null;
    }

    private static String where(String source, JsonProcessingException e) {
        JsonLocation l = e.getLocation();
        return l == null || l.getLineNr() <= 0 ? source : source + ", line " + l.getLineNr();
    }

    private static String key(JsonMappingException e) {
        String p = path(e);
        return p.isEmpty() ? "the file" : "'" + p + "'";
    }

    /** A Java type in the user's terms. */
    static String expected(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (type == String.class) {
            return "a single text value";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.isEnum()) {
            return "one of " + java.util.Arrays.stream(type.getEnumConstants()).map(c -> c.toString().toLowerCase())
                    .collect(Collectors.joining(", "));
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list (- item, or [a, b])";
        }
        if (java.util.Map.class.isAssignableFrom(type)) {
            return "a mapping (key: value)";
        }
        if (type == CrosszoneConfig.class) {
            return "a mapping of crosszone.yaml's keys (namespace, zones, brokers, ...)";
        }
        return "a mapping (key: value) of " + type.getSimpleName().replaceAll("(Spec|Names)$", "").toLowerCase() + " settings";
    }

    /** What Jackson found instead, from its message ("... from Array value ..."), in YAML's words. */
    private static String found(String message) {
        if (message == null) {
            return "";
        }
        if (message.contains("from Array value") || message.contains("START_ARRAY")) {
            return ", got a list";
        }
        if (message.contains("from Object value") || message.contains("START_OBJECT")) {
            return ", got a mapping";
        }
        if (message.contains("from String value") || message.contains("VALUE_STRING")) {
            return ", got a text value";
        }
        if (message.contains("Boolean value") || message.contains("VALUE_TRUE") || message.contains("VALUE_FALSE")) {
            return ", got true/false";
        }
        if (message.contains("Integer value") || message.contains("VALUE_NUMBER")) {
            return ", got a number";
        }
        return "";
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        String line = s.lines().findFirst().orElse("").strip();
        return line.replaceAll("\\s*\\(through reference chain:.*$", "");
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }
}
