package org.mptcp4j.internal.sys;

/** Kernel constants (x86_64 / generic Linux ABI) used by mptcp4j. Values from the uapi headers. */
public final class Linux {
    private Linux() {}

    public static final int AF_INET = 2;
    public static final int AF_INET6 = 10;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_CLOEXEC = 02000000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_NONBLOCK = 04000;

    public static final int IPPROTO_IP = 0;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_IPV6 = 41;
    public static final int IPPROTO_MPTCP = 262;

    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_TYPE = 3;
    public static final int SO_PROTOCOL = 38;
    public static final int SO_DOMAIN = 39;
    public static final int SO_COOKIE = 57;

    public static final int IPV6_V6ONLY = 26;

    public static final int SOL_TCP = 6;
    public static final int TCP_INFO = 11;
    public static final int TCP_IS_MPTCP = 43;

    public static final int SOL_MPTCP = 284;
    public static final int MPTCP_INFO = 1;
    public static final int MPTCP_TCPINFO = 2;
    public static final int MPTCP_SUBFLOW_ADDRS = 3;
    public static final int MPTCP_FULL_INFO = 4;

    public static final int EPOLL_CTL_ADD = 1;

    public static final int F_GETFD = 1;
    public static final int F_SETFD = 2;
    public static final int F_GETFL = 3;
    public static final int F_SETFL = 4;
    public static final int FD_CLOEXEC = 1;
}
