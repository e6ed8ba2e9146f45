package dev.vigil.formats.syslog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The annotated lines of fail2ban's test logs: each line that follows a {@code # failJSON:} annotation. */
final class Fail2banAnnotations {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fail2banAnnotations() {}

    /** An annotated line: its 1-based number, its text and the annotation. */
    record Case(long line, String text, JsonNode annotation) {}

    /** The lines following a {@code # failJSON:} annotation with {@code "match": true}. */
    static List<Case> cases(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            lines = List.of(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).split("\r?\n", -1));
        }
        List<Case> out = new ArrayList<>();
        JsonNode pending = null;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.startsWith("# failJSON:")) {
                try {
                    pending = JSON.readTree(l.substring("# failJSON:".length()));
                } catch (IOException e) {
                    pending = null;
                }
                continue;
            }
            if (l.startsWith("#") || l.isBlank()) {
                continue;
            }
            if (pending != null && pending.path("match").asBoolean(false)) {
                out.add(new Case(i + 1, l, pending));
            }
            pending = null;
        }
        return out;
    }
}
