package org.mptcp4j.internal.sys;

/**
 * The libc calls mptcp4j makes, through its own JNI library ({@link Jni}) where it loaded, else through
 * jffi ({@link JffiLibC}); the choice is a constant, so the JIT keeps one branch. Returns are raw:
 * negative means "see {@link #errno()}".
 */
final class LibC {
    private LibC() {}

    static final boolean JNI = Jni.LOADED;

    static int errno() {
        return JNI ? Jni.errno() : JffiLibC.errno();
    }

    static int socket(int domain, int type, int protocol) {
        return JNI ? Jni.socket(domain, type, protocol) : JffiLibC.socket(domain, type, protocol);
    }

    static int dup3(int oldFd, int newFd, int flags) {
        return JNI ? Jni.dup3(oldFd, newFd, flags) : JffiLibC.dup3(oldFd, newFd, flags);
    }

    static int close(int fd) {
        return JNI ? Jni.close(fd) : JffiLibC.close(fd);
    }

    static int fcntl(int fd, int cmd, int arg) {
        return JNI ? Jni.fcntl(fd, cmd, arg) : JffiLibC.fcntl(fd, cmd, arg);
    }

    static int getsockopt(int fd, int level, int name, long value, long length) {
        return JNI ? Jni.getsockopt(fd, level, name, value, length) : JffiLibC.getsockopt(fd, level, name, value, length);
    }

    static int setsockopt(int fd, int level, int name, long value, int length) {
        return JNI ? Jni.setsockopt(fd, level, name, value, length) : JffiLibC.setsockopt(fd, level, name, value, length);
    }

    /** getsockopt of one int: the value as an unsigned 32-bit number, or -1. */
    static long getIntOption(int fd, int level, int name) {
        return JNI ? Jni.getIntOption(fd, level, name) : JffiLibC.getIntOption(fd, level, name);
    }

    static int setIntOption(int fd, int level, int name, int value) {
        return JNI ? Jni.setIntOption(fd, level, name, value) : JffiLibC.setIntOption(fd, level, name, value);
    }

    static int bind(int fd, long address, int length) {
        return JNI ? Jni.bind(fd, address, length) : JffiLibC.bind(fd, address, length);
    }

    static int getsockname(int fd, long address, long length) {
        return JNI ? Jni.getsockname(fd, address, length) : JffiLibC.getsockname(fd, address, length);
    }

    static int getpeername(int fd, long address, long length) {
        return JNI ? Jni.getpeername(fd, address, length) : JffiLibC.getpeername(fd, address, length);
    }

    static int epollCtl(int epfd, int op, int fd, long event) {
        return JNI ? Jni.epollCtl(epfd, op, fd, event) : JffiLibC.epollCtl(epfd, op, fd, event);
    }

    static long send(int fd, long buf, long length, int flags) {
        return JNI ? Jni.send(fd, buf, length, flags) : JffiLibC.send(fd, buf, length, flags);
    }

    static long recv(int fd, long buf, long length, int flags) {
        return JNI ? Jni.recv(fd, buf, length, flags) : JffiLibC.recv(fd, buf, length, flags);
    }
}
