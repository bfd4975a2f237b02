package org.mptcp4j.internal.engine;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * JFR events, one per policy decision, so a flight recording shows what mptcp4j did with each
 * socket and can be checked against the MBean counters and the kernel's.
 */
public final class SocketEvents {
    private SocketEvents() {}

    @Name("org.mptcp4j.SocketConverted")
    @Label("Socket converted to MPTCP")
    @Category({"mptcp4j"})
    @Description("A stream socket now runs MPTCP")
    static final class Converted extends Event {
        @Label("Side")
        String side;
    }

    @Name("org.mptcp4j.SocketFellBack")
    @Label("Socket fell back to TCP")
    @Category({"mptcp4j"})
    @Description("MPTCP was wanted but unavailable; the socket stays TCP")
    static final class FellBack extends Event {
        @Label("Side")
        String side;
    }

    @Name("org.mptcp4j.SocketKeptTcp")
    @Label("Socket left on TCP by policy")
    @Category({"mptcp4j"})
    @Description("The policy (mode, include/exclude, loopback) kept this socket on TCP")
    static final class KeptTcp extends Event {
        @Label("Side")
        String side;
    }

    public static void converted(String side) {
        Converted e = new Converted();
        if (e.shouldCommit()) {
            e.side = side;
            e.commit();
        }
    }

    public static void fellBack(String side) {
        FellBack e = new FellBack();
        if (e.shouldCommit()) {
            e.side = side;
            e.commit();
        }
    }

    public static void keptTcp(String side) {
        KeptTcp e = new KeptTcp();
        if (e.shouldCommit()) {
            e.side = side;
            e.commit();
        }
    }
}
