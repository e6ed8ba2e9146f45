package dev.vigil.notify;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.Problem;
import dev.vigil.core.ProblemSink;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link DeadLetterStore} over one JSON-lines file, {@code dead-letters.jsonl} in a directory the caller gives, one
 * letter per line: {@code {"id","channel","locale","zone","reason","attempts","failed_at","notification":{…}}}.
 *
 * <p>The letters are also held in memory (the store is bounded by {@code maxLetters}), so listing costs no I/O. Adding
 * appends one line; removing, or evicting the oldest letter when full, rewrites the file to a temporary one and moves it
 * into place atomically, so a crash leaves either the old or the new file. On opening, a line that cannot be read (too
 * long, not JSON, a missing field) is reported to the {@link ProblemSink} with its line number and skipped; the
 * next rewrite drops it.
 */
public final class JsonLinesDeadLetterStore implements DeadLetterStore {
    /** The file name inside the directory. */
    public static final String FILE = "dead-letters.jsonl";

    /** Lines longer than this are not read (a letter is a few kilobytes). */
    static final int MAX_LINE_CHARS = NotificationJson.MAX_DOCUMENT_CHARS;

    private final Path file;
    private final int maxLetters;
    private final LinkedHashMap<String, DeadLetter> letters = new LinkedHashMap<>(); // guarded by this
    private int skipped;

    /**
     * Opens (creating when absent) the store in {@code directory}.
     *
     * @param maxLetters the most letters kept; the oldest are evicted beyond
     * @param problems receives unreadable lines
     */
    public JsonLinesDeadLetterStore(Path directory, int maxLetters, ProblemSink problems) throws IOException {
        requireNonNull(directory, "directory");
        requireNonNull(problems, "problems");
        if (maxLetters < 1) {
            throw new IllegalArgumentException("maxLetters must be at least 1, got " + maxLetters);
        }
        Files.createDirectories(directory);
        this.file = directory.resolve(FILE);
        this.maxLetters = maxLetters;
        if (Files.exists(file)) {
            load(problems);
        }
    }

    private void load(ProblemSink problems) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long number = 0;
            StringBuilder line = new StringBuilder();
            int c;
            boolean tooLong = false;
            while (true) {
                c = in.read();
                if (c == '\n' || c == -1) {
                    if (c == -1 && line.isEmpty() && !tooLong) {
                        break;
                    }
                    number++;
                    if (tooLong) {
                        skip(problems, number, "longer than " + MAX_LINE_CHARS + " characters");
                    } else if (!line.toString().isBlank()) {
                        parseLine(problems, number, line.toString());
                    }
                    line.setLength(0);
                    tooLong = false;
                    if (c == -1) {
                        break;
                    }
                } else if (!tooLong) {
                    if (line.length() >= MAX_LINE_CHARS) {
                        tooLong = true;
                        line.setLength(0);
                    } else {
                        line.append((char) c);
                    }
                }
            }
        }
        while (letters.size() > maxLetters) {
            letters.pollFirstEntry();
        }
    }

    private void parseLine(ProblemSink problems, long number, String line) {
        try {
            DeadLetter letter = fromJson(NotificationJson.parse(line.getBytes(StandardCharsets.UTF_8)));
            letters.put(letter.id(), letter);
        } catch (IOException | RuntimeException e) {
            skip(problems, number, "unreadable dead letter: " + TextFormat.oneLine(String.valueOf(e.getMessage())));
        }
    }

    private void skip(ProblemSink problems, long number, String message) {
        skipped++;
        problems.report(new Problem(file.toString(), number, message));
    }

    /** Lines skipped as unreadable when the store was opened. */
    public int skippedOnOpen() {
        return skipped;
    }

    @Override
    public synchronized Optional<DeadLetter> add(DeadLetter letter) throws IOException {
        requireNonNull(letter, "letter");
        DeadLetter evicted = null;
        if (letters.size() >= maxLetters && !letters.containsKey(letter.id())) {
            evicted = letters.pollFirstEntry().getValue();
        }
        boolean replacing = letters.containsKey(letter.id());
        letters.put(letter.id(), letter);
        if (evicted != null || replacing) {
            rewrite();
        } else {
            try (OutputStream out = Files.newOutputStream(
                    file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE)) {
                out.write(line(letter));
            }
        }
        return Optional.ofNullable(evicted);
    }

    @Override
    public synchronized List<DeadLetter> list() {
        return List.copyOf(letters.values());
    }

    @Override
    public synchronized List<DeadLetter> remove(Collection<String> ids) throws IOException {
        Set<String> wanted = new HashSet<>(ids);
        List<DeadLetter> removed = new ArrayList<>();
        for (DeadLetter l : List.copyOf(letters.values())) {
            if (wanted.contains(l.id())) {
                letters.remove(l.id());
                removed.add(l);
            }
        }
        if (!removed.isEmpty()) {
            rewrite();
        }
        return removed;
    }

    private void rewrite() throws IOException {
        Path temp = file.resolveSibling(FILE + ".tmp");
        try (OutputStream out = Files.newOutputStream(temp)) {
            for (DeadLetter l : letters.values()) {
                out.write(line(l));
            }
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static byte[] line(DeadLetter l) {
        ObjectNode o = NotificationJson.MAPPER.createObjectNode();
        o.put("id", l.id());
        o.put("channel", l.channel());
        o.put("locale", l.options().locale().tag());
        o.put("zone", l.options().zone().getId());
        o.put("reason", l.reason());
        o.put("attempts", l.attempts());
        o.put("failed_at", l.failedAt().toString());
        o.set("notification", NotificationJson.write(l.notification()));
        byte[] json = NotificationJson.bytes(o);
        byte[] withNewline = new byte[json.length + 1];
        System.arraycopy(json, 0, withNewline, 0, json.length);
        withNewline[json.length] = '\n';
        return withNewline;
    }

    private static DeadLetter fromJson(JsonNode o) {
        return new DeadLetter(
                required(o, "id"),
                required(o, "channel"),
                new RenderOptions(MessageLocale.parse(required(o, "locale")), ZoneId.of(required(o, "zone"))),
                NotificationJson.read(o.path("notification")),
                required(o, "reason"),
                o.path("attempts").asInt(0),
                Instant.parse(required(o, "failed_at")));
    }

    private static String required(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' is missing");
        }
        return v.asText();
    }
}
