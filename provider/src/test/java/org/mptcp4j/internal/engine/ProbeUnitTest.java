package org.mptcp4j.internal.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one line a JVM without mptcp4j's native layer gets: what went wrong, and what to set. */
class ProbeUnitTest {
    @Test
    void aLibraryThatCannotLoadFromANoexecDirectoryPointsToTheShippedCopy() {
        String line = Probe.nativeLibraryDetail(new UnsatisfiedLinkError(
                "/tmp/mptcp4j-0/libmptcp4j-1.so: failed to map segment from shared object\n\tat java.base/..."));
        assertTrue(line.contains("failed to map segment from shared object; "), line);
        assertTrue(line.contains("-Dmptcp4j.nativeLibrary=PATH"), line);
        assertFalse(line.contains("\n"), line);
    }

    @Test
    void aJvmThatDeniesNativeAccessIsToldToGrantIt() {
        LinkageError denied = new UnsatisfiedLinkError("java.lang.IllegalCallerException: Illegal native access from an unnamed "
                + "module (file:/opt/mptcp4j/lib/mptcp4j-agent.jar)");
        String line = Probe.nativeLibraryDetail(denied);
        assertTrue(line.contains("--enable-native-access=ALL-UNNAMED"), line);
        assertFalse(line.contains("noexec"), "nothing about directories: " + line);
    }
}
