package org.mptcp4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.mptcp4j.Mptcp;
import org.mptcp4j.testbed.Command;

/** {@code mptcp4j status}: kernel support, sysctls, path-manager limits and endpoints. */
final class Status {
    private Status() {}

    static int run(Args args, PrintStream out) throws IOException {
        out.println("kernel:        " + System.getProperty("os.name") + " " + System.getProperty("os.version"));
        out.println("java:          " + System.getProperty("java.version") + " (" + System.getProperty("java.home") + ")");
        out.println("availability:  " + Mptcp.availability() + " - " + Mptcp.availabilityDetail());
        Path sys = Path.of("/proc/sys/net/mptcp");
        if (Files.isDirectory(sys)) {
            try (Stream<Path> s = Files.list(sys)) {
                for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                    try {
                        out.println("sysctl:        net.mptcp." + p.getFileName() + " = " + Files.readString(p).strip());
                    } catch (IOException e) {
                        out.println("sysctl:        net.mptcp." + p.getFileName() + " unreadable: " + e.getMessage());
                    }
                }
            }
        } else {
            out.println("sysctl:        /proc/sys/net/mptcp missing: this kernel has no MPTCP");
        }
        Command.Result limits = Command.tryRun(10, "ip", "mptcp", "limits", "show");
        out.println("limits:        " + limits.output().strip());
        Command.Result endpoints = Command.tryRun(10, "ip", "mptcp", "endpoint", "show");
        String eps = endpoints.output().strip();
        out.println("endpoints:     " + (eps.isEmpty() ? "(none)" : eps.replace("\n", "\n               ")));
        return Mptcp.availability().isSupported() ? 0 : 1;
    }
}
