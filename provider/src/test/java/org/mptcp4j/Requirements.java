package org.mptcp4j;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.mptcp4j.testbed.Netns;

/** Preconditions of kernel tests: under {@code CI=true} a test that can't run is a failure, not a skip. */
public final class Requirements {
    private Requirements() {}

    public static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Root is needed to create network namespaces. */
    public static void root() {
        require(Netns.canCreate(), "needs root to create network namespaces");
    }

    /** The kernel must offer MPTCP in this namespace. */
    public static void mptcp() {
        require(Mptcp.availability() == Availability.SUPPORTED,
                "needs MPTCP in this kernel: " + Mptcp.availabilityDetail());
    }

    /** iptables (counters by TOS and the like; .ci/run installs it). */
    public static void iptables() {
        require(org.mptcp4j.testbed.Command.onPath("iptables"), "needs iptables");
    }

    public static void require(boolean condition, String why) {
        if (!condition) {
            if (ci()) {
                fail("CI=true: " + why);
            }
            assumeTrue(false, why);
        }
    }
}
