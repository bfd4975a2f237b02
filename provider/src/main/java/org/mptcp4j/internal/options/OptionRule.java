package org.mptcp4j.internal.options;

import java.util.Locale;
import org.mptcp4j.internal.sys.Linux;

/**
 * Socket options that an MPTCP socket refuses although a TCP socket takes them (Linux 6.18), and
 * mptcp4j's answer to each: the one table {@link RefusedOptions} (calls through the JDK and Netty), {@link CarriedOptions}
 * (values carried across a swap) and the documentation's option table follow. Which options are
 * refused is the kernel's business: an answer is only given after the kernel refused the call on a
 * socket whose SO_PROTOCOL is MPTCP, so a kernel that starts accepting one needs no change here.
 */
public enum OptionRule {
    SO_OOBINLINE(Linux.SOL_SOCKET, 10, "set", Answer.RECORD, "MPTCP carries no urgent (out-of-band) data"),
    TCP_QUICKACK(Linux.SOL_TCP, 12, "set, get", Answer.RECORD, "a hint: the kernel has no quick-ack control on MPTCP sockets"),
    SO_REUSEADDR(Linux.SOL_SOCKET, Linux.SO_REUSEADDR, "set on a connected socket", Answer.RECORD_WHEN_CONNECTED, "it only matters before bind"),
    SO_REUSEPORT(Linux.SOL_SOCKET, 15, "set on a connected socket", Answer.RECORD_WHEN_CONNECTED, "it only matters before bind"),
    IP_TOS(Linux.IPPROTO_IP, 1, "set, get on an IPv6 socket (IPV6_TCLASS)", Answer.TOS_AT_IPV4, "the kernel takes IP_TOS at the IPv4 level of an IPv6 MPTCP socket"),
    TCP_USER_TIMEOUT(Linux.SOL_TCP, 18, "set, get", Answer.KEEP_TCP, "it bounds how long sent data may stay unacknowledged; MPTCP has no such bound"),
    TCP_WINDOW_CLAMP(Linux.SOL_TCP, 10, "set, get", Answer.KEEP_TCP, "it bounds the receive window; MPTCP applies none"),
    TCP_TX_DELAY(Linux.SOL_TCP, 37, "set, get", Answer.KEEP_TCP, "MPTCP does not delay transmissions"),
    IP_TTL(Linux.IPPROTO_IP, 2, "set, get", Answer.KEEP_TCP, "MPTCP subflows use the default hop limit"),
    IPV6_UNICAST_HOPS(Linux.IPPROTO_IPV6, 16, "set, get", Answer.KEEP_TCP, "MPTCP subflows use the default hop limit"),
    IP_MTU_DISCOVER(Linux.IPPROTO_IP, 10, "set, get", Answer.KEEP_TCP, "MPTCP subflows use the default path-MTU discovery"),
    IP_RECVERR(Linux.IPPROTO_IP, 11, "set, get", Answer.KEEP_TCP, "MPTCP does not queue ICMP errors"),
    SO_ZEROCOPY(Linux.SOL_SOCKET, 60, "set", Answer.KEEP_TCP, "MPTCP has no zero-copy send");

    /** What mptcp4j does when the kernel refuses the option on an MPTCP socket. */
    public enum Answer {
        /** Set: accepted without effect and recorded, so reads return what was set. */
        RECORD("accepted and recorded without effect"),
        /** As {@link #RECORD}, on a connected socket only (listeners and unconnected sockets take it). */
        RECORD_WHEN_CONNECTED("accepted and recorded on connected sockets"),
        /** On an IPv6 (dual-stack) socket: applied at the IPv4 level, which marks IPv4 and IPv4-mapped traffic. */
        TOS_AT_IPV4("applied at the IPv4 level (IPv4 and IPv4-mapped peers)"),
        /**
         * It changes what the connection does, so it is never silently dropped: set on a socket that is
         * still TCP before mptcp4j's connect-time decision, the connection stays TCP; set on an MPTCP
         * socket, the kernel's refusal stands.
         */
        KEEP_TCP("set before connect: the connection stays TCP; on an MPTCP socket: the kernel's error");

        private final String summary;

        Answer(String summary) {
            this.summary = summary;
        }

        /** One phrase for logs and the documentation table. */
        public String summary() {
            return summary;
        }
    }

    private final int level;
    private final int option;
    private final String refused;
    private final Answer answer;
    private final String why;

    OptionRule(int level, int option, String refused, Answer answer, String why) {
        this.level = level;
        this.option = option;
        this.refused = refused;
        this.answer = answer;
        this.why = why;
    }

    /** Which calls the kernel refuses on an MPTCP socket (Linux 6.18, measured): "set", "set, get", ... */
    public String refused() {
        return refused;
    }

    public int level() {
        return level;
    }

    public int option() {
        return option;
    }

    public Answer answer() {
        return answer;
    }

    /** Why MPTCP refuses it (or what refusing it means), for the one log line and the docs. */
    public String why() {
        return why;
    }

    /** The rule for an option name as the JDK's SocketOption or the kernel spells it, or null. */
    public static OptionRule named(String name) {
        if (name == null) {
            return null;
        }
        switch (name) {
            case "IPV6_TCLASS":
                return IP_TOS; // the JDK reads and writes IP_TOS as IPV6_TCLASS on an IPv6 socket
            default:
                try {
                    return valueOf(name.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    return null;
                }
        }
    }

    /** The rule for a kernel (level, option) pair, or null. */
    public static OptionRule of(int level, int option) {
        for (OptionRule r : values()) {
            if (r.level == level && r.option == option) {
                return r;
            }
        }
        return level == Linux.IPPROTO_IPV6 && option == 67 ? IP_TOS : null; // IPV6_TCLASS
    }
}
