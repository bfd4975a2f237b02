package org.mptcp4j.internal.swap;

/**
 * The application's own class of the same name as one of the agent's (as an application that bundles
 * another mptcp4j version has): the agent must neither use it nor replace it.
 */
public final class FdSwap {
    private FdSwap() {}

    public static String whose() {
        return "the application's";
    }
}
