package org.mptcp4j.pm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Generic-netlink messages: building a request (nlmsghdr + genlmsghdr + attributes) and reading
 * the attributes of a reply. Attributes are (type, bytes) pairs; nested ones are parsed on demand.
 */
final class GenlMessage {
    private GenlMessage() {}

    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int NLM_F_REQUEST = 1;
    static final int NLM_F_ACK = 4;
    static final int NLM_F_DUMP = 0x300;
    static final int NLA_F_NESTED = 0x8000;
    static final int HEADER = 16 + 4; // nlmsghdr + genlmsghdr

    /** A request under construction. */
    static final class Builder {
        private final ByteBuffer buf = ByteBuffer.allocate(4096).order(ByteOrder.nativeOrder());
        private final List<Integer> nests = new ArrayList<>();

        Builder(int family, int flags, int seq, int cmd) {
            buf.putInt(0).putShort((short) family).putShort((short) flags).putInt(seq).putInt(0);
            buf.put((byte) cmd).put((byte) 1).putShort((short) 0);
        }

        Builder u8(int type, int v) {
            return attr(type, new byte[] {(byte) v});
        }

        Builder u16(int type, int v) {
            return attr(type, ByteBuffer.allocate(2).order(ByteOrder.nativeOrder()).putShort((short) v).array());
        }

        Builder u32(int type, int v) {
            return attr(type, ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt(v).array());
        }

        Builder string(int type, String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            byte[] z = new byte[b.length + 1];
            System.arraycopy(b, 0, z, 0, b.length);
            return attr(type, z);
        }

        Builder attr(int type, byte[] value) {
            buf.putShort((short) (4 + value.length)).putShort((short) type).put(value);
            pad();
            return this;
        }

        Builder nest(int type) {
            nests.add(buf.position());
            buf.putShort((short) 0).putShort((short) (type | NLA_F_NESTED));
            return this;
        }

        Builder end() {
            int start = nests.remove(nests.size() - 1);
            buf.putShort(start, (short) (buf.position() - start));
            return this;
        }

        private void pad() {
            while (buf.position() % 4 != 0) {
                buf.put((byte) 0);
            }
        }

        byte[] build() {
            buf.putInt(0, buf.position());
            byte[] out = new byte[buf.position()];
            buf.flip();
            buf.get(out);
            return out;
        }
    }

    /** One attribute: its type (nested flag cleared) and value. */
    record Attr(int type, byte[] value) {
        // a value shorter than its type reads as 0: a malformed reply must not kill a reader thread
        int u8() {
            return value.length < 1 ? 0 : value[0] & 0xff;
        }

        int u16() {
            return value.length < 2 ? 0 : ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getShort() & 0xffff;
        }

        int u16be() {
            return value.length < 2 ? 0 : ((value[0] & 0xff) << 8) | (value[1] & 0xff);
        }

        long u32() {
            return value.length < 4 ? 0 : ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getInt() & 0xffffffffL;
        }

        int s32() {
            return value.length < 4 ? 0 : ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getInt();
        }

        String string() {
            int n = 0;
            while (n < value.length && value[n] != 0) {
                n++;
            }
            return new String(value, 0, n, StandardCharsets.UTF_8);
        }

        List<Attr> nested() {
            return attrs(value, 0, value.length);
        }
    }

    /** The attributes in {@code b[from, to)}. */
    static List<Attr> attrs(byte[] b, int from, int to) {
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
        List<Attr> out = new ArrayList<>();
        int p = from;
        while (p + 4 <= to) {
            int len = buf.getShort(p) & 0xffff;
            int type = buf.getShort(p + 2) & 0x3fff;
            if (len < 4 || p + len > to) {
                break; // malformed or truncated: stop rather than read garbage
            }
            byte[] v = new byte[len - 4];
            System.arraycopy(b, p + 4, v, 0, v.length);
            out.add(new Attr(type, v));
            p += (len + 3) & ~3;
        }
        return out;
    }

    static Attr find(List<Attr> attrs, int type) {
        for (Attr a : attrs) {
            if (a.type() == type) {
                return a;
            }
        }
        return null;
    }

    /** One netlink message of a datagram. */
    record Message(int type, int flags, int seq, int cmd, byte[] raw, int offset, int length) {
        List<Attr> attributes() {
            return attrs(raw, offset + HEADER, offset + length);
        }
    }

    /** Splits a received datagram into its netlink messages. */
    static List<Message> split(byte[] datagram) {
        ByteBuffer buf = ByteBuffer.wrap(datagram).order(ByteOrder.nativeOrder());
        List<Message> out = new ArrayList<>();
        int p = 0;
        while (p + 16 <= datagram.length) {
            int len = buf.getInt(p);
            if (len < 16 || p + len > datagram.length) {
                break;
            }
            int cmd = len >= HEADER ? datagram[p + 16] & 0xff : 0;
            out.add(new Message(buf.getShort(p + 4) & 0xffff, buf.getShort(p + 6) & 0xffff, buf.getInt(p + 8), cmd, datagram, p, len));
            p += (len + 3) & ~3;
        }
        return out;
    }
}
