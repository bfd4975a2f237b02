package org.mptcp4j.sys;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;

/** The few libc entry points mptcp4j needs, bound by jnr-ffi. Errno is saved on every call. */
public interface LibC {
    @SaveError int socket(int domain, int type, int protocol);
    @SaveError int dup3(int oldFd, int newFd, int flags);
    @SaveError int close(int fd);
    @SaveError int fcntl(int fd, int cmd, int arg);
    @SaveError int getsockopt(int fd, int level, int name, @Out int[] value, @In @Out int[] length);
    @SaveError int getsockopt(int fd, int level, int name, Pointer value, @In @Out int[] length);
    @SaveError int setsockopt(int fd, int level, int name, @In int[] value, int length);
}
