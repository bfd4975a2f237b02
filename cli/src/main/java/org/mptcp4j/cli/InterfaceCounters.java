package org.mptcp4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-interface byte counters of the network namespace a process lives in, read from
 * {@code /proc/<pid>/net/dev} (no process spawned per sample).
 */
final class InterfaceCounters {
    private InterfaceCounters() {}

    /** Counters of one interface. */
    record Counters(long rxBytes, long txBytes) {}

    /** Interface name to counters, for the namespace of {@code pid} (loopback left out). */
    static Map<String, Counters> read(long pid) throws IOException {
        return parse(Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", "dev")));
    }

    static Map<String, Counters> parse(List<String> lines) {
        Map<String, Counters> m = new LinkedHashMap<>();
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue; // the two header lines
            }
            String name = line.substring(0, colon).trim();
            if (name.equals("lo")) {
                continue;
            }
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            m.put(name, new Counters(Long.parseLong(f[0]), Long.parseLong(f[8])));
        }
        return m;
    }
}
