package org.mptcp4j.pm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mptcp4j.internal.sys.Netlink;

/** Netlink parsing never trusts the bytes: unknown, truncated or garbage input is skipped, not thrown. */
class GenlMessageUnitTest {
    @Test
    void builtMessageParsesBackWithNestedAttributes() {
        byte[] msg = new GenlMessage.Builder(30, GenlMessage.NLM_F_REQUEST, 7, 1).u32(4, 0xabcdef)
                .nest(1).u16(1, 2).u8(2, 5).attr(3, new byte[] {(byte) 198, 18, 0, 1}).end().build();
        List<Netlink.Message> split = Netlink.split(msg);
        assertEquals(1, split.size());
        assertEquals(7, split.get(0).seq());
        List<Netlink.Attr> attrs = GenlMessage.attributes(split.get(0));
        assertEquals(0xabcdefL, Netlink.find(attrs, 4).u32());
        List<Netlink.Attr> addr = Netlink.find(attrs, 1).nested();
        assertEquals(5, Netlink.find(addr, 2).u8());
        assertEquals(4, Netlink.find(addr, 3).value().length);
    }

    @Test
    void unknownAttributesAreIgnoredByEventDecoding() {
        byte[] msg = new GenlMessage.Builder(30, 0, 0, 2).u32(1, 42).u32(250, 7).string(251, "future").build();
        MptcpEvent e = PathManager.event(2, GenlMessage.attributes(Netlink.split(msg).get(0)));
        assertEquals(MptcpEvent.Type.ESTABLISHED, e.type());
        assertEquals(42, e.token());
    }

    @Test
    void truncatedAndGarbageDatagramsNeverThrow() {
        byte[] good = new GenlMessage.Builder(30, 0, 1, 1).u32(1, 1).nest(1).u16(1, 2).end().build();
        for (int cut = 0; cut < good.length; cut++) {
            byte[] part = java.util.Arrays.copyOf(good, cut);
            for (Netlink.Message m : Netlink.split(part)) {
                GenlMessage.attributes(m);
            }
        }
        Random r = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            byte[] junk = new byte[r.nextInt(200)];
            r.nextBytes(junk);
            for (Netlink.Message m : Netlink.split(junk)) {
                for (Netlink.Attr a : GenlMessage.attributes(m)) {
                    a.nested();
                }
                PathManager.event(GenlMessage.cmd(m), GenlMessage.attributes(m)); // events with any attribute sizes decode without throwing
            }
        }
        assertTrue(Netlink.split(new byte[3]).isEmpty());
    }
}
