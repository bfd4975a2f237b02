package org.mptcp4j.internal.sys;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reading netlink datagrams: the messages in a datagram ({@code nlmsghdr}) and the attributes in a
 * message ({@code nlattr}/{@code rtattr}, same layout). One parser for every netlink user here:
 * generic netlink (path manager), rtnetlink (link watcher) and sock_diag (per-subflow view).
 * Malformed or truncated input ends the walk instead of reading past it: a bad datagram must not
 * take down a reader thread.
 */
public final class Netlink {
    private Netlink() {}

    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    /** Size of {@code struct nlmsghdr}. */
    public static final int HEADER = 16;

    /** One message: its header fields, and where it lies in {@code raw}. */
    public record Message(int type, int flags, int seq, byte[] raw, int offset, int length) {
        /** Where the payload (after nlmsghdr) starts in {@link #raw()}. */
        public int payload() {
            return offset + HEADER;
        }

        /** Where this message ends in {@link #raw()}. */
        public int end() {
            return offset + length;
        }

        /** The attributes following a family header of {@code familyHeader} bytes (e.g. 4 for genlmsghdr). */
        public List<Attr> attributes(int familyHeader) {
            return attrs(raw, payload() + familyHeader, end());
        }

        /** The raw bytes in native order, for fixed-layout family headers. */
        public ByteBuffer buffer() {
            return ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
        }
    }

    /** One attribute: its type (nested and byte-order flags cleared) and value. */
    public record Attr(int type, byte[] value) {
        // a value shorter than its type reads as 0: a malformed reply must not kill a reader thread
        public int u8() {
            return value.length < 1 ? 0 : value[0] & 0xff;
        }

        public int u16() {
            return value.length < 2 ? 0 : buffer().getShort(0) & 0xffff;
        }

        /** A 16-bit value in network order (ports). */
        public int u16be() {
            return value.length < 2 ? 0 : ((value[0] & 0xff) << 8) | (value[1] & 0xff);
        }

        public long u32() {
            return value.length < 4 ? 0 : buffer().getInt(0) & 0xffffffffL;
        }

        public int s32() {
            return value.length < 4 ? 0 : buffer().getInt(0);
        }

        /** A NUL-terminated string. */
        public String string() {
            int n = 0;
            while (n < value.length && value[n] != 0) {
                n++;
            }
            return new String(value, 0, n, StandardCharsets.UTF_8);
        }

        /** The attributes nested in this one. */
        public List<Attr> nested() {
            return attrs(value, 0, value.length);
        }

        /** The value in native order, for structs carried as attributes (e.g. tcp_info). */
        public ByteBuffer buffer() {
            return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder());
        }
    }

    /** Splits a received datagram into its messages. */
    public static List<Message> split(byte[] datagram) {
        ByteBuffer buf = ByteBuffer.wrap(datagram).order(ByteOrder.nativeOrder());
        List<Message> out = new ArrayList<>();
        int p = 0;
        while (p + HEADER <= datagram.length) {
            int len = buf.getInt(p);
            if (len < HEADER || p + len > datagram.length) {
                break;
            }
            out.add(new Message(buf.getShort(p + 4) & 0xffff, buf.getShort(p + 6) & 0xffff, buf.getInt(p + 8), datagram, p, len));
            p += align(len);
        }
        return out;
    }

    /** The attributes in {@code b[from, to)}. */
    public static List<Attr> attrs(byte[] b, int from, int to) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
        List<Attr> out = new ArrayList<>();
        int p = from;
        while (p + 4 <= to) {
            int len = buf.getShort(p) & 0xffff;
            int type = buf.getShort(p + 2) & 0x3fff;
            if (len < 4 || p + len > to) {
                break;
            }
            byte[] v = new byte[len - 4];
            System.arraycopy(b, p + 4, v, 0, v.length);
            out.add(new Attr(type, v));
            p += align(len);
        }
        return out;
    }

    /** The first attribute of {@code type}, or null. */
    public static Attr find(List<Attr> attrs, int type) {
        for (Attr a : attrs) {
            if (a.type() == type) {
                return a;
            }
        }
        return null;
    }

    private static int align(int len) {
        return (len + 3) & ~3;
    }
}
