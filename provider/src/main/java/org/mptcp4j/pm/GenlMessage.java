package org.mptcp4j.pm;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.mptcp4j.internal.sys.Netlink;

/**
 * Generic-netlink messages: building a request (nlmsghdr + genlmsghdr + attributes), and the
 * command and attributes of a reply parsed by {@link Netlink}.
 */
final class GenlMessage {
    private GenlMessage() {}

    static final int NLMSG_ERROR = Netlink.NLMSG_ERROR;
    static final int NLMSG_DONE = Netlink.NLMSG_DONE;
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

    /** The command of a generic-netlink message (genlmsghdr's first byte); 0 if it is too short to have one. */
    static int cmd(Netlink.Message m) {
        return m.length() >= HEADER ? m.raw()[m.payload()] & 0xff : 0;
    }

    /** The attributes after the genlmsghdr. */
    static List<Netlink.Attr> attributes(Netlink.Message m) {
        return m.attributes(HEADER - Netlink.HEADER);
    }
}
