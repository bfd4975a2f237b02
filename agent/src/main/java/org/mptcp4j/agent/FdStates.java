package org.mptcp4j.agent;

/**
 * A few bits per fd number (bounded by the process's fd limit), for the sockets the agent saw created: in pages
 * of an int array under one lock rather than a map of boxed numbers, because a client decided at connect goes
 * through it twice while a process's first connections run interpreted, where a concurrent map's put and remove
 * are long paths. The lock is held for an array access; the system calls around each use take far longer.
 */
final class FdStates {
    private static final int PAGE_BITS = 10;
    private static final int PAGE = 1 << PAGE_BITS;
    /** Set in every stored state, so that a state without other bits is told from none. */
    private static final int PRESENT = 1 << 31;

    private int[][] pages = new int[16][]; // under this

    /** Records {@code bits} for {@code fd}, replacing what a closed socket of the same number left. */
    synchronized void put(int fd, int bits) {
        if (fd >= 0) {
            page(fd, true)[fd & (PAGE - 1)] = PRESENT | bits;
        }
    }

    /** Adds {@code bits} to the state of {@code fd}, if it has one. */
    synchronized void addIfPresent(int fd, int bits) {
        int[] page = fd < 0 ? null : page(fd, false);
        if (page != null && page[fd & (PAGE - 1)] != 0) {
            page[fd & (PAGE - 1)] |= bits;
        }
    }

    /** The bits of {@code fd}, forgotten now, or -1 when it has none. */
    synchronized int take(int fd) {
        int[] page = fd < 0 ? null : page(fd, false);
        if (page == null || page[fd & (PAGE - 1)] == 0) {
            return -1;
        }
        int state = page[fd & (PAGE - 1)];
        page[fd & (PAGE - 1)] = 0;
        return state & ~PRESENT;
    }

    private int[] page(int fd, boolean make) {
        int p = fd >>> PAGE_BITS;
        if (p >= pages.length) {
            if (!make) {
                return null;
            }
            pages = java.util.Arrays.copyOf(pages, Math.max(p + 1, pages.length * 2));
        }
        if (pages[p] == null && make) {
            pages[p] = new int[PAGE];
        }
        return pages[p];
    }
}
