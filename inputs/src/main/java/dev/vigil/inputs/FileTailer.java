package dev.vigil.inputs;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.vigil.core.Event;
import dev.vigil.core.Problem;
import dev.vigil.core.ProblemSink;
import dev.vigil.formats.text.TextContext;
import dev.vigil.formats.text.TextFormat;
import dev.vigil.formats.text.TextFormats;
import dev.vigil.formats.text.TextParser;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Tails log files: reads the complete lines appended since the last poll, parses them, submits the events, and
 * remembers how far it got.
 *
 * <p><b>Identity.</b> A file is followed by its file key (device and inode on Unix), not its name, so a rename does not
 * make it a new file. Each poll lists the configured paths and globs; a followed file that no longer appears under them
 * (renamed away by rotation, or deleted) is read to its end, its last unterminated line included, and closed, before
 * the files that do appear are read, oldest first. A file whose size fell below the offset, or whose byte before the
 * offset is no longer a newline, or whose first bytes (up to 1 KiB, by CRC-32) changed, was truncated (copytruncate)
 * and is read again from its start; lines written between
 * the last poll and the truncation are lost, as with any copytruncate reader.
 *
 * <p><b>Checkpoints.</b> After every batch the sink accepts, the offset (just past the last line of that batch) and
 * line number of each file are written to the checkpoint file: a temporary file forced to disk, then moved over the old
 * one atomically. A refused batch is not checkpointed and its lines are read again at the next poll, so a restart
 * resumes exactly after the last accepted line: nothing is lost and, because the sink made the batch durable before
 * accepting it, nothing is submitted twice. A file that was rotated away while Vigil was down is found again by its key
 * in its old directory and finished first.
 *
 * <p><b>Formats.</b> The configured format, or one detected per file from its first lines (JSON lines when the first
 * non-blank line starts with an opening brace). Parsers that join lines (auditd) are flushed at the end of each poll so
 * that a checkpoint never falls inside a half-emitted record.
 *
 * <p>A file that is rotated away before any poll saw it under a configured name is not read: list the rotated names
 * too (a glob such as {@code app.log*}) where rotation can outpace polling.
 *
 * <p>Without file keys (some file systems) the path stands in for the key, and rename rotation is then seen as a new
 * file. {@link #poll()} may be called directly (tests, or a scheduler of the caller's); {@link #start()} polls on a
 * virtual thread. Thread-safe: polls are serialised.
 */
public final class FileTailer implements AutoCloseable {
    private static final int MIN_BUFFER = 64 * 1024;

    private final TailConfig config;
    private final IngestSink sink;
    private final ProblemSink problems;
    private final InputCounters counters;
    private final BoundedJson json;
    private final Map<String, Checkpoint> checkpoints = new LinkedHashMap<>();
    private final Map<String, Tracked> tracked = new LinkedHashMap<>();
    private final Object wakeup = new Object();
    private boolean firstPoll = true;
    private Thread poller;
    private volatile boolean closing;

    /** Where one file stands: its last known path, the offset after the last accepted line, and that line's number. */
    private record Checkpoint(String path, long offset, long line, int headLength, long headCrc) {}

    /** How many leading bytes identify a file's content, so a truncated and rewritten file is noticed. */
    private static final int HEAD_BYTES = 1024;

    /** A followed file. */
    private static final class Tracked {
        final String key;
        Path path;
        FileChannel channel;
        long offset;
        long line;
        /** The CRC-32 of the first {@code headLength} bytes when they were read. */
        int headLength;

        long headCrc;
        TextParser parser;
        byte[] buffer;

        Tracked(String key, Path path) {
            this.key = key;
            this.path = path;
        }
    }

    /** A file found by listing the configured paths. */
    private record Found(String key, Path path, long modified) {}

    /**
     * @throws IOException when the checkpoint file exists but cannot be read (it is never half-written, so this means
     *     it was damaged or edited: fix or remove it rather than re-reading every file from the start unnoticed)
     */
    public FileTailer(TailConfig config, IngestSink sink, ProblemSink problems) throws IOException {
        this.config = requireNonNull(config, "config");
        this.sink = requireNonNull(sink, "sink");
        this.problems = requireNonNull(problems, "problems");
        this.counters = new InputCounters("file:" + String.join(",", config.paths()));
        this.json = new BoundedJson(64 << 20);
        loadCheckpoints();
    }

    public InputCounters counters() {
        return counters;
    }

    /** Polls every {@link TailConfig#pollInterval()} on a virtual thread until {@link #close()}. */
    public synchronized void start() {
        if (poller != null) {
            throw new IllegalStateException("already started");
        }
        poller = Thread.ofVirtual().name("vigil-" + counters.input()).start(this::pollLoop);
    }

    private void pollLoop() {
        while (!closing) {
            try {
                poll();
            } catch (IOException e) {
                problems.report(new Problem(counters.input(), 0, "poll failed: " + e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            synchronized (wakeup) {
                if (!closing) {
                    try {
                        wakeup.wait(config.pollInterval().toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /** Stops polling (after the poll under way) and closes the files. Offsets are already checkpointed. */
    @Override
    public void close() throws InterruptedException {
        closing = true;
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
        Thread t;
        synchronized (this) {
            t = poller;
        }
        if (t != null) {
            t.join();
        }
        synchronized (this) {
            for (Tracked f : tracked.values()) {
                closeChannel(f);
            }
            tracked.clear();
        }
    }

    /**
     * One pass over the configured files.
     *
     * @return the number of events the sink accepted in this pass
     * @throws IOException when the checkpoint cannot be written (reading problems of single files are reported)
     */
    public synchronized int poll() throws IOException, InterruptedException {
        long before = counters.eventsIn();
        Map<String, Found> found = discover();
        // Files no longer under the configured names: rotated away or deleted. Finish them first.
        for (Tracked t : new ArrayList<>(tracked.values())) {
            if (!found.containsKey(t.key)) {
                if (!finish(t)) {
                    return (int) (counters.eventsIn() - before);
                }
            }
        }
        if (firstPoll) {
            firstPoll = false;
            for (Map.Entry<String, Checkpoint> e : new ArrayList<>(checkpoints.entrySet())) {
                if (!found.containsKey(e.getKey()) && !tracked.containsKey(e.getKey())) {
                    Path moved = locate(e.getKey(), Path.of(e.getValue().path()));
                    if (moved == null) {
                        checkpoints.remove(e.getKey());
                        continue;
                    }
                    Tracked t = open(e.getKey(), moved);
                    if (t == null || !finish(t)) {
                        return (int) (counters.eventsIn() - before);
                    }
                }
            }
            saveCheckpoints();
        }
        List<Found> ordered = new ArrayList<>(found.values());
        // Oldest data first. File times are coarse (a clock tick of a few milliseconds on many kernels), so a file
        // rotated away and the new one written right after can carry the same time: then the one already followed,
        // the older, goes first.
        ordered.sort(Comparator.comparingLong(Found::modified)
                .thenComparing(f -> !tracked.containsKey(f.key()))
                .thenComparing(Found::path));
        for (Found f : ordered) {
            Tracked t = tracked.get(f.key());
            if (t == null) {
                t = open(f.key(), f.path());
                if (t == null) {
                    continue;
                }
            }
            t.path = f.path();
            if (!read(t, false)) {
                break;
            }
        }
        return (int) (counters.eventsIn() - before);
    }

    private Tracked open(String key, Path path) {
        Tracked t = new Tracked(key, path);
        try {
            t.channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            problems.report(new Problem(path.toString(), 0, "cannot open: " + e));
            return null;
        }
        Checkpoint cp = checkpoints.get(key);
        if (cp != null) {
            t.offset = cp.offset();
            t.line = cp.line();
            t.headLength = cp.headLength();
            t.headCrc = cp.headCrc();
        } else {
            // Known from now on, even before a batch is accepted: if it is rotated away while Vigil is down, the
            // restart finds it by this key.
            checkpoints.put(key, new Checkpoint(path.toString(), 0, 0, 0, 0));
            try {
                saveCheckpoints();
            } catch (IOException e) {
                problems.report(new Problem(config.checkpointFile().toString(), 0, "cannot write: " + e));
            }
        }
        tracked.put(key, t);
        return t;
    }

    /** Reads a file that is going away to its end, then forgets it. False when the sink refused. */
    private boolean finish(Tracked t) throws IOException, InterruptedException {
        if (!read(t, true)) {
            return false;
        }
        closeChannel(t);
        tracked.remove(t.key);
        checkpoints.remove(t.key);
        saveCheckpoints();
        return true;
    }

    private static void closeChannel(Tracked t) {
        try {
            t.channel.close();
        } catch (IOException e) {
            // A read-only channel: closing cannot lose anything.
        }
    }

    /**
     * Reads complete lines from the file's offset and submits their events in batches, checkpointing after each
     * accepted batch. With {@code toEnd} the last line is read even without its newline. False when the sink refused.
     */
    private boolean read(Tracked t, boolean toEnd) throws IOException, InterruptedException {
        FileChannel ch = t.channel;
        long size = ch.size();
        if (size < t.offset
                || (t.offset > 0 && byteAt(ch, t.offset - 1) != '\n')
                || (t.headLength > 0 && crc(ch, t.headLength) != t.headCrc)) {
            problems.report(new Problem(
                    t.path.toString(),
                    t.line,
                    "file truncated or rewritten (offset " + t.offset + ", size " + size
                            + "): reading again from the start"));
            t.offset = 0;
            t.line = 0;
            t.headLength = 0;
            t.parser = null;
        }
        if (size == t.offset) {
            return true;
        }
        if (t.parser == null && !chooseParser(t, toEnd)) {
            return true;
        }
        int max = config.maxLineBytes();
        if (t.buffer == null) {
            t.buffer = new byte[Math.max(MIN_BUFFER, max + 2)];
        }
        byte[] buf = t.buffer;
        long bufferAt = t.offset; // file offset of buf[0]
        int start = 0;
        int end = 0;
        long line = t.line;
        // The offset just past the last line consumed, and its number: where a checkpoint may point.
        long consumedTo = t.offset;
        long consumedLine = t.line;
        boolean skipping = false;
        List<Event> batch = new ArrayList<>();
        while (true) {
            int n = ch.read(ByteBuffer.wrap(buf, end, buf.length - end), bufferAt + end);
            if (n <= 0) {
                break;
            }
            end += n;
            int nl;
            while ((nl = indexOfNewline(buf, start, end)) >= 0) {
                line++;
                if (skipping) {
                    skipping = false;
                } else if (nl - start > max) {
                    reject(t, line, "line longer than " + max + " bytes skipped");
                } else {
                    parseLine(t, buf, start, nl, line, batch);
                }
                counters.addBytes(nl + 1 - start);
                start = nl + 1;
                consumedTo = bufferAt + start;
                consumedLine = line;
                if (batch.size() >= config.batchSize()) {
                    if (!submit(t, batch, consumedTo, consumedLine)) {
                        return false;
                    }
                }
            }
            if (skipping || end - start > max) {
                if (!skipping) {
                    reject(t, line + 1, "line longer than " + max + " bytes skipped");
                    skipping = true;
                }
                counters.addBytes(end - start);
                bufferAt += end;
                start = 0;
                end = 0;
            } else if (end == buf.length) {
                System.arraycopy(buf, start, buf, 0, end - start);
                bufferAt += start;
                end -= start;
                start = 0;
            }
        }
        if (toEnd && end > start && !skipping) {
            line++;
            parseLine(t, buf, start, end, line, batch);
            counters.addBytes(end - start);
            consumedTo = bufferAt + end;
            consumedLine = line;
        }
        // Joining parsers hand over what they hold, so the checkpoint below covers every event emitted. An overlong
        // line still being written is not consumed: the next poll starts at it and skips it again.
        t.parser.end(batch::add, problems);
        return submit(t, batch, consumedTo, consumedLine);
    }

    private boolean submit(Tracked t, List<Event> batch, long offset, long line)
            throws IOException, InterruptedException {
        if (!batch.isEmpty()) {
            if (!sink.submit(List.copyOf(batch), config.pollInterval())) {
                counters.addRefused();
                // Read these lines again next time, with a fresh parser (the old one saw lines not accepted).
                t.parser = null;
                return false;
            }
            counters.addEvents(batch.size());
            batch.clear();
        }
        if (offset != t.offset || line != t.line) {
            t.offset = offset;
            t.line = line;
            if (t.headLength < HEAD_BYTES && offset > t.headLength) {
                t.headLength = (int) Math.min(HEAD_BYTES, offset);
                t.headCrc = crc(t.channel, t.headLength);
            }
            checkpoints.put(t.key, new Checkpoint(t.path.toString(), offset, line, t.headLength, t.headCrc));
            saveCheckpoints();
        }
        return true;
    }

    private void parseLine(Tracked t, byte[] buf, int from, int to, long line, List<Event> batch) {
        int end = to > from && buf[to - 1] == '\r' ? to - 1 : to;
        String text = new String(buf, from, end - from, StandardCharsets.UTF_8);
        if (text.isBlank()) {
            return;
        }
        int before = batch.size();
        boolean[] problem = {false};
        t.parser.line(text, line, batch::add, p -> {
            problem[0] = true;
            problems.report(p);
        });
        if (batch.size() == before && problem[0]) {
            counters.addRejected();
        }
    }

    private void reject(Tracked t, long line, String reason) {
        counters.addRejected();
        problems.report(new Problem(t.path.toString(), line, reason));
    }

    /** Picks the file's parser; false when the format must be detected and the file has no complete line yet. */
    private boolean chooseParser(Tracked t, boolean toEnd) throws IOException {
        String source = t.path.toString();
        TextContext context = TextContext.of(source, config.tenant());
        String format = config.format();
        if (format != null) {
            t.parser = TailConfig.isJson(format)
                    ? new JsonLineParser(config.maxLineBytes(), source, config.tenant())
                    : TextFormats.byName(format).orElseThrow().newParser(context);
            return true;
        }
        ByteBuffer head = ByteBuffer.allocate((int) Math.min(MIN_BUFFER, t.channel.size()));
        t.channel.read(head, 0);
        String text = new String(head.array(), 0, head.position(), StandardCharsets.UTF_8);
        int lastNewline = text.lastIndexOf('\n');
        if (lastNewline < 0 && !toEnd) {
            return false;
        }
        List<String> lines = List.of((lastNewline < 0 ? text : text.substring(0, lastNewline)).split("\r?\n"));
        String first = lines.stream().filter(l -> !l.isBlank()).findFirst().orElse("");
        if (first.isEmpty() && !toEnd) {
            return false;
        }
        if (first.stripLeading().startsWith("{")) {
            t.parser = new JsonLineParser(config.maxLineBytes(), source, config.tenant());
        } else {
            TextFormat detected = LineFormats.detect(lines);
            t.parser = detected.newParser(context);
        }
        return true;
    }

    private static int indexOfNewline(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static long crc(FileChannel ch, int length) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(length);
        while (head.hasRemaining() && ch.read(head, head.position()) > 0) {
            // read until full or end of file
        }
        CRC32 crc = new CRC32();
        crc.update(head.array(), 0, head.position());
        return crc.getValue();
    }

    private static int byteAt(FileChannel ch, long position) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        return ch.read(one, position) == 1 ? one.get(0) : -1;
    }

    // --- discovery ---

    private Map<String, Found> discover() {
        Map<String, Found> out = new LinkedHashMap<>();
        for (String pattern : config.paths()) {
            Path p = Path.of(pattern);
            Path name = p.getFileName();
            if (name != null && isGlob(name.toString())) {
                Path dir = p.getParent() == null ? Path.of(".") : p.getParent();
                try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, name.toString())) {
                    for (Path f : files) {
                        add(f, out);
                    }
                } catch (NoSuchFileException e) {
                    // The directory may appear later.
                } catch (IOException e) {
                    problems.report(new Problem(dir.toString(), 0, "cannot list: " + e));
                }
            } else {
                add(p, out);
            }
        }
        return out;
    }

    private void add(Path file, Map<String, Found> out) {
        try {
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            if (attrs.isRegularFile()) {
                String key = key(file, attrs);
                out.putIfAbsent(
                        key, new Found(key, file, attrs.lastModifiedTime().toMillis()));
            }
        } catch (NoSuchFileException e) {
            // Not there (yet, or any more): nothing to read.
        } catch (IOException e) {
            problems.report(new Problem(file.toString(), 0, "cannot stat: " + e));
        }
    }

    private static String key(Path file, BasicFileAttributes attrs) {
        Object key = attrs.fileKey();
        return key != null ? key.toString() : "path:" + file.toAbsolutePath();
    }

    /** The file in {@code oldPath}'s directory that has {@code key}, or null. */
    private Path locate(String key, Path oldPath) {
        Path dir = oldPath.toAbsolutePath().getParent();
        if (dir == null) {
            return null;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path f : files) {
                try {
                    BasicFileAttributes attrs = Files.readAttributes(f, BasicFileAttributes.class);
                    if (attrs.isRegularFile() && key(f, attrs).equals(key)) {
                        return f;
                    }
                } catch (IOException e) {
                    // Vanished while listing: not the one.
                }
            }
        } catch (IOException e) {
            problems.report(new Problem(dir.toString(), 0, "cannot list: " + e));
        }
        return null;
    }

    private static boolean isGlob(String name) {
        return name.indexOf('*') >= 0 || name.indexOf('?') >= 0 || name.indexOf('[') >= 0 || name.indexOf('{') >= 0;
    }

    // --- checkpoints ---

    private void loadCheckpoints() throws IOException {
        Path file = config.checkpointFile();
        if (!Files.exists(file)) {
            return;
        }
        byte[] bytes = Files.readAllBytes(file);
        Object root;
        try {
            root = json.parseComplete(bytes, 0, bytes.length);
        } catch (IOException | RuntimeException e) {
            throw new IOException("checkpoint file " + file + " is damaged: " + BoundedJson.describe(e), e);
        }
        if (!(root instanceof Map<?, ?> map) || !(map.get("files") instanceof List<?> files)) {
            throw new IOException("checkpoint file " + file + " has no \"files\" list");
        }
        int i = 0;
        for (Object o : files) {
            i++;
            if (!(o instanceof Map<?, ?> f)
                    || !(f.get("key") instanceof String key)
                    || !(f.get("path") instanceof String path)
                    || !(f.get("offset") instanceof Long offset)
                    || !(f.get("line") instanceof Long line)
                    || offset < 0
                    || line < 0) {
                throw new IOException("checkpoint file " + file + ": entry " + i
                        + " needs key and path (strings), offset and line (non-negative integers)");
            }
            int headLength = f.get("head_length") instanceof Long l ? (int) Math.clamp(l, 0, HEAD_BYTES) : 0;
            long headCrc = f.get("head_crc") instanceof Long c ? c : 0;
            checkpoints.put(key, new Checkpoint(path, offset, line, headLength, headCrc));
        }
    }

    private void saveCheckpoints() throws IOException {
        Path file = config.checkpointFile().toAbsolutePath();
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(ch);
                try (JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
                    g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
                    g.writeStartObject();
                    g.writeNumberField("version", 1);
                    g.writeArrayFieldStart("files");
                    for (Map.Entry<String, Checkpoint> e : checkpoints.entrySet()) {
                        g.writeStartObject();
                        g.writeStringField("key", e.getKey());
                        g.writeStringField("path", e.getValue().path());
                        g.writeNumberField("offset", e.getValue().offset());
                        g.writeNumberField("line", e.getValue().line());
                        g.writeNumberField("head_length", e.getValue().headLength());
                        g.writeNumberField("head_crc", e.getValue().headCrc());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }
                // On disk before it replaces the old checkpoint: a crash leaves one or the other, whole.
                ch.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
