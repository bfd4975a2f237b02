package org.mptcp4j.internal.sys;

import com.kenai.jffi.CallingConvention;
import com.kenai.jffi.Function;
import com.kenai.jffi.Invoker;
import com.kenai.jffi.LastError;
import com.kenai.jffi.Library;
import com.kenai.jffi.Type;

/**
 * The libc functions mptcp4j calls, bound with jffi (the JNI core of jnr-ffi) directly, where mptcp4j's
 * own library ({@link Jni}) does not load: each is a symbol address plus a call descriptor that saves
 * errno. jnr-ffi's interface binding would generate bytecode at run time at the first socket (measured
 * in benchmarks/RESULTS.md). Returns are raw: negative means "see {@link #errno()}".
 */
final class JffiLibC {
    private JffiLibC() {}

    static {
        JffiSetup.ensure();
    }

    private static final Invoker INVOKER = Invoker.getInstance();
    private static final Function SOCKET = function("socket", Type.SINT, Type.SINT, Type.SINT, Type.SINT);
    private static final Function DUP3 = function("dup3", Type.SINT, Type.SINT, Type.SINT, Type.SINT);
    private static final Function CLOSE = function("close", Type.SINT, Type.SINT);
    private static final Function FCNTL = function("fcntl", Type.SINT, Type.SINT, Type.SINT, Type.SINT);
    private static final Function GETSOCKOPT = function("getsockopt", Type.SINT, Type.SINT, Type.SINT, Type.SINT, Type.POINTER, Type.POINTER);
    private static final Function SETSOCKOPT = function("setsockopt", Type.SINT, Type.SINT, Type.SINT, Type.SINT, Type.POINTER, Type.SINT);

    private static final Function BIND = function("bind", Type.SINT, Type.SINT, Type.POINTER, Type.SINT);
    private static final Function GETSOCKNAME = function("getsockname", Type.SINT, Type.SINT, Type.POINTER, Type.POINTER);
    private static final Function GETPEERNAME = function("getpeername", Type.SINT, Type.SINT, Type.POINTER, Type.POINTER);
    private static final Function EPOLL_CTL = function("epoll_ctl", Type.SINT, Type.SINT, Type.SINT, Type.SINT, Type.POINTER);
    private static final Function SEND = function("send", Type.SLONG, Type.SINT, Type.POINTER, Type.ULONG, Type.SINT);
    private static final Function RECV = function("recv", Type.SLONG, Type.SINT, Type.POINTER, Type.ULONG, Type.SINT);

    static {
        JffiSetup.loaded();
    }

    private static Function function(String name, Type result, Type... params) {
        long address = Library.getDefault().getSymbolAddress(name);
        if (address == 0) {
            throw new UnsatisfiedLinkError("libc has no symbol " + name + ": " + Library.getLastError());
        }
        return new Function(address, result, params, CallingConvention.DEFAULT, true);
    }

    static int errno() {
        return LastError.getInstance().get();
    }

    static int socket(int domain, int type, int protocol) {
        return INVOKER.invokeI3(SOCKET.getCallContext(), SOCKET.getFunctionAddress(), domain, type, protocol);
    }

    static int dup3(int oldFd, int newFd, int flags) {
        return INVOKER.invokeI3(DUP3.getCallContext(), DUP3.getFunctionAddress(), oldFd, newFd, flags);
    }

    static int close(int fd) {
        return INVOKER.invokeI1(CLOSE.getCallContext(), CLOSE.getFunctionAddress(), fd);
    }

    static int fcntl(int fd, int cmd, int arg) {
        return INVOKER.invokeI3(FCNTL.getCallContext(), FCNTL.getFunctionAddress(), fd, cmd, arg);
    }

    static int getsockopt(int fd, int level, int name, long value, long length) {
        return (int) INVOKER.invokeN5(GETSOCKOPT.getCallContext(), GETSOCKOPT.getFunctionAddress(), fd, level, name, value, length);
    }

    static int bind(int fd, long address, int length) {
        return (int) INVOKER.invokeN3(BIND.getCallContext(), BIND.getFunctionAddress(), fd, address, length);
    }

    static int getsockname(int fd, long address, long length) {
        return (int) INVOKER.invokeN3(GETSOCKNAME.getCallContext(), GETSOCKNAME.getFunctionAddress(), fd, address, length);
    }

    static int getpeername(int fd, long address, long length) {
        return (int) INVOKER.invokeN3(GETPEERNAME.getCallContext(), GETPEERNAME.getFunctionAddress(), fd, address, length);
    }

    static int epollCtl(int epfd, int op, int fd, long event) {
        return (int) INVOKER.invokeN4(EPOLL_CTL.getCallContext(), EPOLL_CTL.getFunctionAddress(), epfd, op, fd, event);
    }

    static long send(int fd, long buf, long length, int flags) {
        return INVOKER.invokeN4(SEND.getCallContext(), SEND.getFunctionAddress(), fd, buf, length, flags);
    }

    static long recv(int fd, long buf, long length, int flags) {
        return INVOKER.invokeN4(RECV.getCallContext(), RECV.getFunctionAddress(), fd, buf, length, flags);
    }

    static int setsockopt(int fd, int level, int name, long value, int length) {
        return (int) INVOKER.invokeN5(SETSOCKOPT.getCallContext(), SETSOCKOPT.getFunctionAddress(), fd, level, name, value, length);
    }

    static long getIntOption(int fd, int level, int name) {
        long value = NativeMemory.Jffi.IO.allocateMemory(8, true); // the int, then its length
        try {
            NativeMemory.Jffi.IO.putInt(value + 4, 4);
            return getsockopt(fd, level, name, value, value + 4) < 0 ? -1 : NativeMemory.Jffi.IO.getInt(value) & 0xffffffffL;
        } finally {
            NativeMemory.Jffi.IO.freeMemory(value);
        }
    }

    static int setIntOption(int fd, int level, int name, int value) {
        long buf = NativeMemory.Jffi.IO.allocateMemory(4, false);
        try {
            NativeMemory.Jffi.IO.putInt(buf, value);
            return setsockopt(fd, level, name, buf, 4);
        } finally {
            NativeMemory.Jffi.IO.freeMemory(buf);
        }
    }
}
