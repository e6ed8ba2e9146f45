package dev.vigil.store;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/** A growable byte array with the little-endian writes Parquet's plain encoding uses; not thread-safe. */
final class ByteSink {
    private byte[] bytes;
    private int size;

    ByteSink(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    int size() {
        return size;
    }

    /** The buffer itself, valid up to {@link #size}, until the next write. */
    byte[] bytes() {
        return bytes;
    }

    /** A stream that appends here; closing it does nothing. */
    OutputStream asOutputStream() {
        return new OutputStream() {
            @Override
            public void write(int b) {
                ByteSink.this.write(b);
            }

            @Override
            public void write(byte[] b, int from, int length) {
                ByteSink.this.write(b, from, length);
            }
        };
    }

    void reset() {
        size = 0;
    }

    /** Empties the sink and lets a buffer larger than {@code maxKept} go. */
    void trim(int maxKept) {
        size = 0;
        if (bytes.length > maxKept) {
            bytes = new byte[Math.max(16, maxKept / 8)];
        }
    }

    void write(int b) {
        ensure(1);
        bytes[size++] = (byte) b;
    }

    void write(byte[] b, int from, int length) {
        ensure(length);
        System.arraycopy(b, from, bytes, size, length);
        size += length;
    }

    void write(ByteSink other) {
        write(other.bytes, 0, other.size);
    }

    void int32(int v) {
        ensure(4);
        bytes[size] = (byte) v;
        bytes[size + 1] = (byte) (v >>> 8);
        bytes[size + 2] = (byte) (v >>> 16);
        bytes[size + 3] = (byte) (v >>> 24);
        size += 4;
    }

    void int64(long v) {
        int32((int) v);
        int32((int) (v >>> 32));
    }

    /**
     * Writes an unsigned LEB128 varint (seven bits a byte, low first), as Parquet's run-length headers and Thrift's
     * compact protocol use.
     */
    void varint(long v) {
        while ((v & ~0x7FL) != 0) {
            write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        write((int) v);
    }

    void writeTo(OutputStream out) throws IOException {
        out.write(bytes, 0, size);
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            long wanted = Math.max((long) bytes.length * 2, (long) size + more);
            if (wanted > Integer.MAX_VALUE - 8) {
                if ((long) size + more > Integer.MAX_VALUE - 8) {
                    throw new IllegalStateException("a buffer of over 2 GiB");
                }
                wanted = Integer.MAX_VALUE - 8;
            }
            bytes = Arrays.copyOf(bytes, (int) wanted);
        }
    }
}
