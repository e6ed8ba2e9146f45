package dev.vigil.evtx;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Little-endian reads from a byte array; callers check bounds first. */
final class Le {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Le() {}

    static int u8(byte[] b, int i) {
        return b[i] & 0xff;
    }

    static int u16(byte[] b, int i) {
        return (short) SHORT.get(b, i) & 0xffff;
    }

    static short i16(byte[] b, int i) {
        return (short) SHORT.get(b, i);
    }

    static int i32(byte[] b, int i) {
        return (int) INT.get(b, i);
    }

    static long u32(byte[] b, int i) {
        return ((int) INT.get(b, i)) & 0xffffffffL;
    }

    static long i64(byte[] b, int i) {
        return (long) LONG.get(b, i);
    }
}
