package dev.vigil.intel;

import java.util.Arrays;

/** A growable byte array with unsigned variable-length integers (7 bits a byte), for the index's compact records. */
final class ByteSink {
    private byte[] buf;
    private int size;

    ByteSink(int initial) {
        buf = new byte[Math.max(16, initial)];
    }

    int size() {
        return size;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            long want = Math.max((long) buf.length * 2, (long) size + more);
            if (want > Integer.MAX_VALUE - 16) {
                throw new IllegalStateException("index metadata over 2 GiB");
            }
            buf = Arrays.copyOf(buf, (int) want);
        }
    }

    void write(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    void writeByte(int b) {
        ensure(1);
        buf[size++] = (byte) b;
    }

    void writeVarLong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[size++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[size++] = (byte) v;
    }

    byte[] toArray() {
        return Arrays.copyOf(buf, size);
    }

    /** Reads what a {@link ByteSink} wrote; {@code position} advances. */
    static final class Reader {
        private final byte[] buf;
        private int position;

        Reader(byte[] buf, int position) {
            this.buf = buf;
            this.position = position;
        }

        int readByte() {
            return buf[position++] & 0xff;
        }

        long readVarLong() {
            long v = 0;
            int shift = 0;
            while (true) {
                byte b = buf[position++];
                v |= (long) (b & 0x7F) << shift;
                if (b >= 0) {
                    return v;
                }
                shift += 7;
            }
        }

        int readVarInt() {
            return (int) readVarLong();
        }
    }
}
