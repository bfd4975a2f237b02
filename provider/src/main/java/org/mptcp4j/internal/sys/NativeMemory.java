package org.mptcp4j.internal.sys;

import com.kenai.jffi.MemoryIO;
import java.util.ArrayList;
import java.util.List;

/**
 * Native memory for one call: blocks are zeroed when allocated and all freed by {@link #close()}.
 * Not thread-safe; lives for the duration of one getsockopt/setsockopt exchange.
 */
public final class NativeMemory implements AutoCloseable {
    private static final boolean JNI = LibC.JNI;

    /** jffi's memory I/O, set up only where mptcp4j's own library ({@link Jni}) did not load. */
    static final class Jffi {
        static {
            JffiSetup.ensure();
        }

        static final MemoryIO IO = MemoryIO.getInstance();

        static {
            JffiSetup.loaded();
        }
    }

    private final List<Long> blocks = new ArrayList<>(4);

    /** A zeroed block of {@code bytes}; its address stays valid until {@link #close()}. */
    public long allocate(int bytes) {
        long address = JNI ? Jni.calloc(Math.max(bytes, 1)) : Jffi.IO.allocateMemory(Math.max(bytes, 1), true);
        if (address == 0) {
            throw new OutOfMemoryError("native allocation of " + bytes + " bytes failed");
        }
        blocks.add(address);
        return address;
    }

    public void putInt(long address, int value) {
        if (JNI) {
            Jni.putInt(address, value);
        } else {
            Jffi.IO.putInt(address, value);
        }
    }

    public void putByte(long address, byte value) {
        if (JNI) {
            Jni.putByte(address, value);
        } else {
            Jffi.IO.putByte(address, value);
        }
    }

    public void putLong(long address, long value) {
        if (JNI) {
            Jni.putLong(address, value);
        } else {
            Jffi.IO.putLong(address, value);
        }
    }

    public void putBytes(long address, byte[] bytes) {
        if (JNI) {
            Jni.putBytes(address, bytes);
        } else {
            Jffi.IO.putByteArray(address, bytes, 0, bytes.length);
        }
    }

    public int getInt(long address) {
        return JNI ? Jni.getInt(address) : Jffi.IO.getInt(address);
    }

    /** A copy of {@code length} bytes at {@code address}. */
    public byte[] bytes(long address, int length) {
        byte[] out = new byte[length];
        if (JNI) {
            Jni.getBytes(address, out, length);
        } else {
            Jffi.IO.getByteArray(address, out, 0, length);
        }
        return out;
    }

    @Override
    public void close() {
        for (long b : blocks) {
            if (JNI) {
                Jni.free(b);
            } else {
                Jffi.IO.freeMemory(b);
            }
        }
        blocks.clear();
    }
}
