package org.mptcp4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** This process's CPU time between two instants, as iperf3 reports it: percent of wall time, user and system. */
record CpuUse(double totalPercent, double userPercent, double systemPercent) {
    static final CpuUse NONE = new CpuUse(0, 0, 0);

    /** USER_HZ: the unit of /proc/PID/stat's times, fixed by the Linux ABI. */
    private static final double TICKS_PER_SECOND = 100;

    /** A reading to measure from. */
    record Mark(long wallNanos, long userTicks, long systemTicks) {
        CpuUse since() {
            Mark now = mark();
            double wall = (now.wallNanos - wallNanos) / 1e9;
            if (wall <= 0 || userTicks < 0 || now.userTicks < 0) {
                return NONE;
            }
            double user = 100 * (now.userTicks - userTicks) / TICKS_PER_SECOND / wall;
            double system = 100 * (now.systemTicks - systemTicks) / TICKS_PER_SECOND / wall;
            return new CpuUse(user + system, user, system);
        }
    }

    static Mark mark() {
        long wall = System.nanoTime();
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            // fields after the command name, which is in parentheses and may hold spaces: state is field 3, utime 14, stime 15
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new Mark(wall, Long.parseLong(f[11]), Long.parseLong(f[12]));
        } catch (IOException | RuntimeException e) {
            return new Mark(wall, -1, -1); // no procfs: report zeros rather than fail the test
        }
    }
}
