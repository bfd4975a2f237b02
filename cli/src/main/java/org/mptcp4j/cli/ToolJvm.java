package org.mptcp4j.cli;

import java.util.ArrayList;
import java.util.List;
import org.mptcp4j.Mptcp;

/** How the tools start another Java tool (a demo's or the failover run's peer, the tests' children). */
final class ToolJvm {
    private ToolJvm() {}

    /** The JVM options a child running mptcp4j needs: the library's flags, native access, a small collector. */
    static List<String> options() {
        List<String> o = new ArrayList<>(List.of(Mptcp.requiredJvmFlags().split(" ")));
        if (Runtime.version().feature() >= 24) {
            o.add("--enable-native-access=ALL-UNNAMED"); // mptcp4j's JNI library, without JDK 24+'s warning on stderr
        }
        o.add("-XX:+UseSerialGC"); // small short-lived children: no collector threads competing with the test
        return o;
    }
}
