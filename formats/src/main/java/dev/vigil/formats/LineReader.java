package dev.vigil.formats;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Reads lines of bytes with a bound on their length. A line that fits the read buffer is returned in place, without a
 * copy; a longer one is gathered up to the bound; a line past the bound is skipped without buffering it whole and
 * flagged {@link #tooLong()}. {@code \n} ends a line and a {@code \r} before it is dropped; a UTF-8 byte order mark
 * at the start of the first line is dropped. Not thread-safe.
 */
final class LineReader {
    private static final int BUFFER = 1 << 16;
    private static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private final InputStream in;
    private final int maxLine;
    private final byte[] buf = new byte[BUFFER];
    private int pos;
    private int limit;
    private boolean eof;

    private byte[] acc = new byte[0];
    private int accLen;

    private byte[] line;
    private int lineOff;
    private int lineLen;
    private boolean tooLong;
    private long lineNumber;
    private long skippedBytes;

    LineReader(InputStream in, int maxLine) {
        this.in = in;
        this.maxLine = maxLine;
    }

    /** Advances to the next line; false at the end of the input. */
    boolean next() throws IOException {
        tooLong = false;
        accLen = 0;
        skippedBytes = 0;
        boolean inLine = false;
        while (true) {
            if (pos >= limit) {
                if (eof || !fill()) {
                    if (!inLine) {
                        return false;
                    }
                    lineNumber++;
                    setLine(acc, 0, accLen);
                    return true;
                }
            }
            int nl = indexOf(buf, pos, limit);
            if (nl >= 0) {
                lineNumber++;
                if (!inLine) {
                    setLine(buf, pos, nl - pos);
                } else {
                    append(pos, nl - pos);
                    setLine(acc, 0, accLen);
                }
                pos = nl + 1;
                return true;
            }
            inLine = true;
            append(pos, limit - pos);
            pos = limit;
        }
    }

    private void setLine(byte[] b, int off, int len) {
        if (tooLong) {
            line = b;
            lineOff = off;
            lineLen = 0;
            return;
        }
        if (len > 0 && b[off + len - 1] == '\r') {
            len--;
        }
        if (lineNumber == 1
                && len >= 3
                && b[off] == (byte) 0xEF
                && b[off + 1] == (byte) 0xBB
                && b[off + 2] == (byte) 0xBF) {
            off += 3;
            len -= 3;
        }
        if (len > maxLine) {
            tooLong = true;
            skippedBytes = len;
            len = 0;
        }
        line = b;
        lineOff = off;
        lineLen = len;
    }

    private void append(int from, int n) {
        if (tooLong) {
            skippedBytes += n;
            return;
        }
        long needed = (long) accLen + n;
        if (needed > maxLine + 1L) { // +1: a trailing \r does not count
            tooLong = true;
            skippedBytes = needed;
            accLen = 0;
            return;
        }
        if (needed > acc.length) {
            acc = Arrays.copyOf(acc, (int) Math.min(Math.max(needed, acc.length * 2L), maxLine + 1L));
        }
        System.arraycopy(buf, from, acc, accLen, n);
        accLen += n;
    }

    private boolean fill() throws IOException {
        int n;
        do {
            n = in.read(buf, 0, buf.length);
        } while (n == 0);
        if (n < 0) {
            eof = true;
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    /** The first {@code '\n'} in {@code b[from, to)}, eight bytes at a time; -1 when there is none. */
    static int indexOf(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) WORD.get(b, i) ^ NEWLINES;
            long found = (x - ONES) & ~x & HIGHS;
            if (found != 0) {
                return i + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    byte[] bytes() {
        return line;
    }

    int offset() {
        return lineOff;
    }

    int length() {
        return lineLen;
    }

    /** Whether the current line was longer than the bound; its content is then empty. */
    boolean tooLong() {
        return tooLong;
    }

    /** The length of the skipped line, at least the bound, when {@link #tooLong()}. */
    long skippedBytes() {
        return skippedBytes;
    }

    /** The 1-based number of the current line. */
    long lineNumber() {
        return lineNumber;
    }

    /** Whether the current line is empty or white space only. */
    boolean isBlank() {
        for (int i = lineOff, end = lineOff + lineLen; i < end; i++) {
            byte c = line[i];
            if (c != ' ' && c != '\t' && c != '\r') {
                return false;
            }
        }
        return true;
    }

    /** The first byte of the current line, or -1 when it is empty. */
    int firstByte() {
        return lineLen == 0 ? -1 : line[lineOff] & 0xFF;
    }
}
