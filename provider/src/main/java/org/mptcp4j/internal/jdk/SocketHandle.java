package org.mptcp4j.internal.jdk;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A JDK socket object's file descriptor together with the locks the JDK itself takes before
 * changing it. Holding all of them makes an fd swap atomic with respect to every other operation
 * on the same channel or socket (read, write, connect, accept, configureBlocking, close).
 */
public final class SocketHandle {
    private final int fd;
    private final ReentrantLock[] locks;
    private final Object stateLock;

    SocketHandle(int fd, ReentrantLock[] locks, Object stateLock) {
        this.fd = fd;
        this.locks = locks;
        this.stateLock = stateLock;
    }

    public int fd() {
        return fd;
    }

    /** An action run while the handle's locks are held. */
    @FunctionalInterface
    public interface LockedAction<T, E extends Exception> {
        T run(int fd) throws E;
    }

    /**
     * Runs {@code action} with only the state lock held: enough to read options safely (close
     * needs the same lock, so the fd can't be released meanwhile) without waiting for a blocked read.
     */
    public <T, E extends Exception> T stateLocked(LockedAction<T, E> action) throws E {
        synchronized (stateLock) {
            return action.run(fd);
        }
    }

    /** Runs {@code action} with the JDK's I/O locks and state lock held, in the JDK's own order. */
    public <T, E extends Exception> T locked(LockedAction<T, E> action) throws E {
        int taken = 0;
        try {
            for (ReentrantLock lock : locks) {
                lock.lock();
                taken++;
            }
            synchronized (stateLock) {
                return action.run(fd);
            }
        } finally {
            for (int i = taken - 1; i >= 0; i--) {
                locks[i].unlock();
            }
        }
    }
}
