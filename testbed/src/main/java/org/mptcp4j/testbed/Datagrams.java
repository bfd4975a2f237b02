package org.mptcp4j.testbed;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.StringJoiner;
import java.util.TreeSet;

/** For test programs that send datagrams to a receiver of their own. */
public final class Datagrams {
    private Datagrams() {}

    /**
     * Receives (blocking) until {@code count} distinct first bytes have arrived: them, sorted, as characters joined by
     * spaces ("a b c"). Only for datagrams the program sent to this receiver's own address.
     */
    public static String firstBytes(DatagramChannel receiver, int count) throws IOException {
        TreeSet<Character> got = new TreeSet<>();
        ByteBuffer b = ByteBuffer.allocate(8);
        while (got.size() < count) {
            b.clear();
            receiver.receive(b);
            got.add((char) b.get(0));
        }
        StringJoiner j = new StringJoiner(" ");
        got.forEach(c -> j.add(String.valueOf(c)));
        return j.toString();
    }
}
