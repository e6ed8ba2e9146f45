package dev.vigil.evtx;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.Problem;
import dev.vigil.core.ProblemSink;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * Reads the event records of a Windows EVTX file, in pure Java.
 *
 * <p>The file is read chunk by chunk (64 KiB each, one reused buffer), so files of any size stream in constant memory.
 * Each chunk's header CRC32 and records CRC32 are checked; a chunk that fails a check is reported and skipped whole. A
 * record whose header, size or BinXML is corrupt is reported and skipped (after a damaged record header the reader
 * scans forward to the next record magic). A truncated last chunk yields the records
 * that are complete (its records CRC cannot be checked and that is reported). Nothing in the file's content makes the
 * reader throw: problems go to the {@link ProblemSink} as {@code Problem(fileName, location, message)}, where location
 * is the record's identifier for a record problem, the 1-based chunk number for a chunk problem, and 0 for the file
 * header. Sizes and nesting are bounded, so corrupt content cannot make it loop or exhaust memory.
 *
 * <h2>The event map</h2>
 *
 * Each record's {@link EvtxRecord#event()} has the shape of {@code evtx_dump -o json} (the omerbenamram/evtx crate):
 *
 * <ul>
 *   <li>the root is {@code {"Event": ...}}; an element is a key of its parent's map;
 *   <li>attributes with non-empty values go under {@code "#attributes"}; empty ones are dropped;
 *   <li>an element without attributes or child elements is its value: {@code null} when empty, a {@code Long} or
 *       {@code Boolean} when its content is a single integer or boolean value, else a {@code String};
 *   <li>an element with attributes or child elements is a map; its own text goes under {@code "#text"};
 *   <li>in {@code EventData} and {@code UserData}, {@code <Data Name="X">v</Data>} becomes {@code "X": v} (an empty
 *       {@code Data} is {@code ""}, not {@code null}); when no {@code Data} has a name they become {@code "Data":
 *       {"#text": v}}, or {@code "Data": {"#text": [v1, v2, ...]}} for several;
 *   <li>a repeated child element gets evtx_dump's key suffixes: {@code Header}, {@code Header_1}, {@code Header_2};
 *   <li>values: strings as text without trailing white space (evtx_dump trims it: Sysmon's {@code ParentCommandLine}
 *       often ends in a space in the file); GUIDs as {@code XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}; FILETIME and SYSTEMTIME as
 *       {@code 2025-11-26T05:11:27.927693Z} (UTC, microseconds truncated); SIDs as {@code S-1-5-18}; hexint32/64 and size_t as {@code 0x...}; binary
 *       as upper-case hex; character and entity references in their XML form, as evtx_dump writes them.
 * </ul>
 *
 * <p>Where this differs from evtx_dump, on purpose:
 *
 * <ul>
 *   <li>An element whose content is a single array value is a {@code List} (the elements typed as above); current
 *       evtx_dump joins the items with commas into one string. Mixed content still joins them with commas.
 *   <li>A single real32/real64 value is a {@code Double}; current evtx_dump writes the number as a string.
 *   <li>A uint64 above {@link Long#MAX_VALUE} is its decimal {@code String}: Vigil's event values have no unsigned
 *       64-bit type.
 *   <li>A chunk whose header or records CRC32 does not match is skipped and reported. evtx_dump does not check CRCs
 *       by default and would print the chunk's records, which may be damaged; a log copied while Windows was writing
 *       its last chunk can fail the records CRC and lose that chunk here.
 *   <li>Processing instructions are dropped (evtx_dump drops them too in JSON) and EvtHandle/EvtXml values, which
 *       never occur in files, are empty.
 * </ul>
 *
 * <p>A reader is confined to one thread; it holds its file open until {@link #close()}.
 */
public final class EvtxReader implements AutoCloseable {
    static final int FILE_HEADER_SIZE = 4096;
    static final int CHUNK_SIZE = 65536;
    static final int CHUNK_HEADER_SIZE = 512;
    private static final int RECORD_HEADER_SIZE = 24;
    private static final int RECORD_MAGIC = 0x00002a2a;
    private static final byte[] FILE_MAGIC = {'E', 'l', 'f', 'F', 'i', 'l', 'e', 0};
    private static final byte[] CHUNK_MAGIC = {'E', 'l', 'f', 'C', 'h', 'n', 'k', 0};

    private final Path file;
    private final String fileName;
    private final FileChannel channel;
    private final byte[] chunk = new byte[CHUNK_SIZE];
    private final BinXmlParser parser = new BinXmlParser();
    private final EventShaper shaper = new EventShaper();
    private final CRC32 crc = new CRC32();

    private EvtxReader(Path file, FileChannel channel) {
        this.file = file;
        Path name = file.getFileName();
        this.fileName = name != null ? name.toString() : file.toString();
        this.channel = channel;
    }

    /**
     * Opens {@code file} for reading.
     *
     * @throws IOException when the file cannot be read or does not start with the EVTX magic {@code ElfFile\0}
     */
    public static EvtxReader open(Path file) throws IOException {
        requireNonNull(file, "file");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            ByteBuffer head = ByteBuffer.allocate(FILE_MAGIC.length);
            while (head.hasRemaining() && channel.read(head, head.position()) > 0) {
                // read the magic
            }
            if (!isEvtx(head.array()) || head.hasRemaining()) {
                throw new IOException("not an EVTX file (no ElfFile magic): " + file);
            }
            return new EvtxReader(file, channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Whether {@code head}, the first bytes of a file, starts with the EVTX file magic {@code ElfFile\0}. */
    public static boolean isEvtx(byte[] head) {
        return startsWith(head, 0, head.length, FILE_MAGIC);
    }

    private static boolean startsWith(byte[] b, int at, int length, byte[] magic) {
        if (length < at + magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (b[at + i] != magic[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Passes every readable record to {@code records}, in file order (chunk order, then record order), and every
     * corrupt chunk or record to {@code problems}. Exceptions thrown by {@code records} propagate.
     *
     * @throws UncheckedIOException when reading the file fails (not for corrupt content)
     */
    public void forEach(Consumer<EvtxRecord> records, ProblemSink problems) {
        requireNonNull(records, "records");
        requireNonNull(problems, "problems");
        try {
            long size = channel.size();
            int headerBytes = read(0, (int) Math.min(FILE_HEADER_SIZE, size));
            if (headerBytes < 128) {
                problems.report(new Problem(fileName, 0, "file header truncated: " + size + " bytes"));
                return;
            }
            crc.reset();
            crc.update(chunk, 0, 120);
            if ((int) crc.getValue() != Le.i32(chunk, 124)) {
                problems.report(new Problem(fileName, 0, "file header CRC32 mismatch (header ignored, chunks read)"));
            }
            for (long offset = FILE_HEADER_SIZE, index = 0; offset < size; offset += CHUNK_SIZE, index++) {
                int available = read(offset, (int) Math.min(CHUNK_SIZE, size - offset));
                readChunk(index + 1, offset, available, records, problems);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    private int read(long position, int length) throws IOException {
        ByteBuffer target = ByteBuffer.wrap(chunk, 0, length);
        while (target.hasRemaining()) {
            int n = channel.read(target, position + target.position());
            if (n < 0) {
                throw new EOFException("file shrank while reading " + file);
            }
        }
        return length;
    }

    private void readChunk(
            long number, long fileOffset, int available, Consumer<EvtxRecord> records, ProblemSink problems) {
        String where = "chunk " + number + " (file offset " + fileOffset + ")";
        if (available < CHUNK_HEADER_SIZE) {
            if (!allZero(chunk, 0, available)) {
                problems.report(new Problem(
                        fileName, number, where + ": truncated to " + available + " bytes, no complete header"));
            }
            return;
        }
        if (!startsWith(chunk, 0, available, CHUNK_MAGIC)) {
            if (!allZero(chunk, 0, CHUNK_HEADER_SIZE)) { // an all-zero header is an unused, preallocated chunk
                problems.report(new Problem(fileName, number, where + ": bad chunk magic, chunk skipped"));
            }
            return;
        }
        crc.reset();
        crc.update(chunk, 0, 120);
        crc.update(chunk, 128, CHUNK_HEADER_SIZE - 128);
        if ((int) crc.getValue() != Le.i32(chunk, 124)) {
            problems.report(new Problem(fileName, number, where + ": chunk header CRC32 mismatch, chunk skipped"));
            return;
        }
        long freeSpace = Le.u32(chunk, 48);
        if (freeSpace < CHUNK_HEADER_SIZE || freeSpace > CHUNK_SIZE) {
            problems.report(new Problem(
                    fileName, number, where + ": free space offset " + freeSpace + " out of range, chunk skipped"));
            return;
        }
        int limit = (int) freeSpace;
        if (available < CHUNK_SIZE) {
            problems.report(new Problem(
                    fileName,
                    number,
                    where + ": truncated to " + available + " of " + CHUNK_SIZE
                            + " bytes; records CRC32 not checked, records past the end lost"));
            limit = Math.min(limit, available);
        } else {
            crc.reset();
            crc.update(chunk, CHUNK_HEADER_SIZE, limit - CHUNK_HEADER_SIZE);
            if ((int) crc.getValue() != Le.i32(chunk, 52)) {
                problems.report(new Problem(fileName, number, where + ": records CRC32 mismatch, chunk skipped"));
                return;
            }
        }
        parser.reset(chunk, available);
        int offset = CHUNK_HEADER_SIZE;
        while (offset + RECORD_HEADER_SIZE <= limit) {
            String bad = null;
            long size = 0;
            if (Le.i32(chunk, offset) != RECORD_MAGIC) {
                bad = "bad record magic";
            } else {
                size = Le.u32(chunk, offset + 4);
                if (size < RECORD_HEADER_SIZE + 4 || size > limit - offset) {
                    if (size >= RECORD_HEADER_SIZE + 4 && offset + size <= CHUNK_SIZE && limit < freeSpace) {
                        break; // cut off by the truncation reported above
                    }
                    bad = "bad record size " + size;
                } else if (Le.u32(chunk, offset + (int) size - 4) != size) {
                    bad = "record size " + size + " does not match its trailing copy";
                }
            }
            if (bad != null) {
                problems.report(new Problem(fileName, number, where + ", chunk offset " + offset + ": " + bad));
                offset = nextRecordMagic(offset + 1, limit);
                continue;
            }
            long recordId = Le.i64(chunk, offset + 8);
            EvtxRecord record = null;
            try {
                java.util.Map<String, Object> event =
                        shaper.shape(parser.parseRecord(offset + RECORD_HEADER_SIZE, offset + (int) size - 4));
                record = new EvtxRecord(recordId, Formats.filetimeInstant(Le.i64(chunk, offset + 16)), event);
            } catch (CorruptDataException e) {
                problems.report(
                        new Problem(fileName, recordId, "record " + recordId + " in " + where + ": " + e.getMessage()));
            } catch (RuntimeException e) {
                problems.report(new Problem(
                        fileName, recordId, "record " + recordId + " in " + where + ": " + BinXmlParser.describe(e)));
            }
            if (record != null) {
                records.accept(record);
            }
            offset += (int) size;
        }
    }

    private int nextRecordMagic(int from, int limit) {
        for (int at = from; at + RECORD_HEADER_SIZE <= limit; at++) {
            if (chunk[at] == 0x2a && chunk[at + 1] == 0x2a && chunk[at + 2] == 0 && chunk[at + 3] == 0) {
                return at;
            }
        }
        return limit;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
