package org.mptcp4j.internal.sys;

import com.kenai.jffi.MemoryIO;
import java.util.ArrayList;
import java.util.List;

/**
 * Native memory for one call: blocks are zeroed when allocated and all freed by {@link #close()}.
 * Not thread-safe; lives for the duration of one getsockopt/setsockopt exchange.
 */
public final class NativeMemory implements AutoCloseable {
    static {
        JffiSetup.ensure();
    }

    private static final MemoryIO IO = MemoryIO.getInstance();

    static {
        JffiSetup.loaded();
    }
    private final List<Long> blocks = new ArrayList<>(4);

    /** A zeroed block of {@code bytes}; its address stays valid until {@link #close()}. */
    public long allocate(int bytes) {
        long address = IO.allocateMemory(Math.max(bytes, 1), true);
        if (address == 0) {
            throw new OutOfMemoryError("native allocation of " + bytes + " bytes failed");
        }
        blocks.add(address);
        return address;
    }

    public void putInt(long address, int value) {
        IO.putInt(address, value);
    }

    public void putByte(long address, byte value) {
        IO.putByte(address, value);
    }

    public void putLong(long address, long value) {
        IO.putLong(address, value);
    }

    public void putBytes(long address, byte[] bytes) {
        IO.putByteArray(address, bytes, 0, bytes.length);
    }

    public int getInt(long address) {
        return IO.getInt(address);
    }

    /** A copy of {@code length} bytes at {@code address}. */
    public byte[] bytes(long address, int length) {
        byte[] out = new byte[length];
        IO.getByteArray(address, out, 0, length);
        return out;
    }

    @Override
    public void close() {
        for (long b : blocks) {
            IO.freeMemory(b);
        }
        blocks.clear();
    }
}
