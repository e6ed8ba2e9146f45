package dev.vigil.wal;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Checks the segment files of a log directory when it is opened and repairs what a crash can leave behind.
 *
 * <p>Every segment is read in full and every record's checksum and sequence checked: the log is usually short (the
 * server truncates what the store has committed), and a damaged record found now is a clear report instead of a failed
 * replay later. What is found decides what is kept:
 *
 * <ul>
 *   <li>A partial record at the end of the last segment is what a crash during a write leaves: it is cut and its bytes
 *       counted in {@link RecoveryReport#tornBytesCut()}.
 *   <li>A damaged record (checksum, sequence or length wrong) ends the log there, in the last segment or an older one:
 *       it is reported with its file and offset, and everything after it is moved aside rather than deleted (the cut
 *       bytes to {@code NAME.wal.OFFSET.cut}, later segments renamed {@code NAME.wal.quarantined}), so that no record
 *       after a gap is ever replayed and nothing is destroyed that someone may want to examine.
 *   <li>Segments must follow each other without gaps; a segment that does not start where its predecessor ended is
 *       damage of the same kind.
 * </ul>
 *
 * The kept segment that ends the log becomes the one appends continue in.
 */
final class Recovery {
    /** The recovered state: sealed segments in order, the tail segment open for appending, and the report. */
    record Result(List<Segment> sealed, Segment tail, long lastSequence, RecoveryReport report) {}

    private final Path dir;
    private final List<CorruptRecord> corrupt = new ArrayList<>();
    private final List<Path> quarantined = new ArrayList<>();
    private long tornBytes;
    private long records;

    private Recovery(Path dir) {
        this.dir = dir;
    }

    static Result recover(Path dir) throws IOException {
        return new Recovery(dir).run();
    }

    private Result run() throws IOException {
        List<Path> files = segmentFiles();
        if (files.isEmpty()) {
            Segment tail = Segment.create(dir, 1);
            LogEngine.syncDirectory(dir);
            return new Result(List.of(), tail, 0, report(1, 1, 0));
        }
        List<Segment> kept = new ArrayList<>();
        long expected = RecordFormat.firstSequenceOf(files.get(0));
        long firstSequence = expected;
        Path tailPath = null;
        for (int i = 0; i < files.size(); i++) {
            Path file = files.get(i);
            long first = RecordFormat.firstSequenceOf(file);
            if (first != expected) {
                corrupt.add(new CorruptRecord(
                        file,
                        0,
                        expected,
                        "segment starts at sequence " + first + " but the previous segment ends at " + (expected - 1)));
                quarantine(files.subList(i, files.size()));
                break;
            }
            Scan scan = scan(file, first);
            records += scan.lastSequence - first + 1;
            expected = scan.lastSequence + 1;
            boolean last = i == files.size() - 1;
            if (scan.problem == null) {
                if (last) {
                    tailPath = file;
                } else {
                    kept.add(Segment.existing(file, first, scan.validEnd));
                }
                continue;
            }
            if (scan.torn && last) {
                tornBytes += scan.fileSize - scan.validEnd;
            } else {
                corrupt.add(new CorruptRecord(file, scan.problemOffset, expected, scan.problem));
                tornBytes += scan.fileSize - scan.validEnd;
                saveCutBytes(file, scan.validEnd);
                quarantine(files.subList(i + 1, files.size()));
            }
            cut(file, scan.validEnd, first);
            tailPath = file;
            break;
        }
        Segment tail;
        if (tailPath == null) {
            // The gap was right after a kept segment: it becomes the tail.
            Segment previous = kept.remove(kept.size() - 1);
            tailPath = previous.path;
        }
        // Records that survived a process crash may still be only in the page cache (always under never()); they are
        // about to be handed to readers as durable, so make them so.
        for (Segment s : kept) {
            syncFile(s.path);
        }
        tail = Segment.openForAppend(tailPath, RecordFormat.firstSequenceOf(tailPath));
        tail.sync();
        return new Result(kept, tail, expected - 1, report(kept.size() + 1, firstSequence, expected - 1));
    }

    private RecoveryReport report(int segments, long firstSequence, long lastSequence) {
        return new RecoveryReport(segments, records, firstSequence, lastSequence, tornBytes, corrupt, quarantined);
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> listing = Files.list(dir)) {
            return listing.filter(p -> RecordFormat.firstSequenceOf(p) >= 1 && Files.isRegularFile(p))
                    .sorted((a, b) -> Long.compare(RecordFormat.firstSequenceOf(a), RecordFormat.firstSequenceOf(b)))
                    .toList();
        }
    }

    /** What a scan of one segment found: the end of its intact part and, if it stopped early, why. */
    private record Scan(
            long validEnd, long lastSequence, long fileSize, String problem, long problemOffset, boolean torn) {}

    private static Scan scan(Path file, long firstSequence) throws IOException {
        long fileSize = Files.size(file);
        long expected = firstSequence;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            byte[] header = new byte[RecordFormat.SEGMENT_HEADER_BYTES];
            if (fileSize < header.length) {
                return new Scan(0, expected - 1, fileSize, "incomplete segment header", 0, true);
            }
            readFully(in, header, header.length);
            String headerProblem = RecordFormat.checkSegmentHeader(header, firstSequence);
            if (headerProblem != null) {
                return new Scan(0, expected - 1, fileSize, headerProblem, 0, false);
            }
            long offset = header.length;
            byte[] buffer = new byte[64 * 1024];
            while (offset < fileSize) {
                long remaining = fileSize - offset;
                if (remaining < RecordFormat.RECORD_HEADER_BYTES) {
                    return new Scan(offset, expected - 1, fileSize, "incomplete record header", offset, true);
                }
                readFully(in, buffer, RecordFormat.RECORD_HEADER_BYTES);
                int length = RecordFormat.payloadLength(buffer, 0);
                if (length < 0 || length > RecordFormat.MAX_PAYLOAD_BYTES) {
                    return new Scan(
                            offset, expected - 1, fileSize, "impossible record length " + length, offset, false);
                }
                int recordBytes = RecordFormat.RECORD_HEADER_BYTES + length;
                if (remaining < recordBytes) {
                    return new Scan(
                            offset,
                            expected - 1,
                            fileSize,
                            "incomplete record: " + remaining + " of " + recordBytes + " bytes",
                            offset,
                            true);
                }
                if (buffer.length < recordBytes) {
                    byte[] larger = new byte[recordBytes];
                    System.arraycopy(buffer, 0, larger, 0, RecordFormat.RECORD_HEADER_BYTES);
                    buffer = larger;
                }
                readFully(in, buffer, RecordFormat.RECORD_HEADER_BYTES, length);
                String problem = RecordFormat.checkRecord(buffer, 0, expected);
                if (problem != null) {
                    return new Scan(offset, expected - 1, fileSize, problem, offset, false);
                }
                offset += recordBytes;
                expected++;
            }
            return new Scan(offset, expected - 1, fileSize, null, -1, false);
        }
    }

    private static void readFully(InputStream in, byte[] buffer, int length) throws IOException {
        readFully(in, buffer, 0, length);
    }

    private static void readFully(InputStream in, byte[] buffer, int offset, int length) throws IOException {
        if (in.readNBytes(buffer, offset, length) != length) {
            throw new EOFException("segment file shrank while being read");
        }
    }

    private static void syncFile(Path file) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.getFD().sync();
        }
    }

    /** Cuts a segment to its intact part (rewriting a damaged header) and syncs it. */
    private static void cut(Path file, long validEnd, long firstSequence) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            if (validEnd < RecordFormat.SEGMENT_HEADER_BYTES) {
                raf.setLength(0);
                raf.write(RecordFormat.segmentHeader(firstSequence));
            } else {
                raf.setLength(validEnd);
            }
            raf.getFD().sync();
        }
    }

    private void saveCutBytes(Path file, long validEnd) throws IOException {
        Path target = unusedName(file.resolveSibling(file.getFileName() + "." + validEnd + ".cut"));
        try (RandomAccessFile source = new RandomAccessFile(file.toFile(), "r");
                RandomAccessFile copy = new RandomAccessFile(target.toFile(), "rw")) {
            source.seek(validEnd);
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = source.read(buffer)) > 0) {
                copy.write(buffer, 0, n);
            }
            copy.getFD().sync();
        }
        quarantined.add(target);
    }

    private void quarantine(List<Path> files) throws IOException {
        for (Path file : files) {
            Path target = unusedName(file.resolveSibling(file.getFileName() + ".quarantined"));
            Files.move(file, target);
            quarantined.add(target);
        }
        if (!files.isEmpty()) {
            LogEngine.syncDirectory(dir);
        }
    }

    private static Path unusedName(Path wanted) {
        Path candidate = wanted;
        for (int n = 1; Files.exists(candidate); n++) {
            candidate = wanted.resolveSibling(wanted.getFileName() + "." + n);
        }
        return candidate;
    }
}
