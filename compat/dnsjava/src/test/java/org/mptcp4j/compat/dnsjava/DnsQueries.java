package org.mptcp4j.compat.dnsjava;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * An unmodified dnsjava resolver (its UDP client connects its DatagramChannel; its TCP client is a SocketChannel)
 * asking this program's own name server on HOST, over UDP then over TCP, for the address of {@value #NAME}.
 * Usage: {@code DnsQueries HOST}; prints {@code OK udp ADDRESS} and {@code OK tcp ADDRESS}, exits 1 on a wrong answer.
 * Built against dnsjava 3; calls only what 2.1 has too (through the Resolver interface), so it runs on either line.
 */
public final class DnsQueries {
    static final String NAME = "mptcp4j.test.";
    static final byte[] ADDRESS = {(byte) 198, 18, 0, 53};

    public static void main(String[] args) throws Exception {
        try (DatagramChannel udp = DatagramChannel.open(); ServerSocket tcp = new ServerSocket()) {
            udp.bind(new InetSocketAddress(args[0], 0));
            int port = ((InetSocketAddress) udp.getLocalAddress()).getPort();
            tcp.bind(new InetSocketAddress(args[0], port));
            daemon("udp-server", () -> serveUdp(udp));
            daemon("tcp-server", () -> serveTcp(tcp));

            Resolver resolver = new SimpleResolver(args[0]);
            resolver.setPort(port);
            Message query = Message.newQuery(Record.newRecord(Name.fromString(NAME), Type.A, DClass.IN));
            boolean ok = ask(resolver, query, "udp");
            resolver.setTCP(true);
            ok &= ask(resolver, query, "tcp");
            System.exit(ok ? 0 : 1);
        }
    }

    private static boolean ask(Resolver resolver, Message query, String over) throws IOException {
        Record[] answers = resolver.send(query).getSectionArray(Section.ANSWER);
        if (answers.length != 1 || !(answers[0] instanceof ARecord)
                || !Arrays.equals(((ARecord) answers[0]).getAddress().getAddress(), ADDRESS)) {
            System.out.println("WRONG " + over + " " + Arrays.toString(answers));
            return false;
        }
        System.out.println("OK " + over + " " + ((ARecord) answers[0]).getAddress().getHostAddress());
        return true;
    }

    private static void serveUdp(DatagramChannel udp) {
        ByteBuffer in = ByteBuffer.allocate(512);
        try {
            while (true) {
                in.clear();
                var from = udp.receive(in);
                in.flip();
                byte[] query = new byte[in.remaining()];
                in.get(query);
                udp.send(ByteBuffer.wrap(answer(query)), from);
            }
        } catch (IOException closed) {
            // the program ends
        }
    }

    private static void serveTcp(ServerSocket tcp) {
        try {
            while (true) {
                try (Socket s = tcp.accept()) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    byte[] query = new byte[in.readUnsignedShort()]; // TCP: each message after its 2-byte length
                    in.readFully(query);
                    byte[] reply = answer(query);
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    out.writeShort(reply.length);
                    out.write(reply);
                    out.flush();
                }
            }
        } catch (IOException closed) {
            // the program ends
        }
    }

    /** RFC 1035: the query's id and question, one A record for it, authoritative; the query's other sections left out. */
    static byte[] answer(byte[] query) {
        int end = 12;
        while (query[end] != 0) {
            end += (query[end] & 0xff) + 1; // the question's name: labels up to the root's empty one
        }
        end += 1 + 4; // the root label, then type and class
        ByteBuffer b = ByteBuffer.allocate(end + 16);
        b.put(query, 0, 2);
        b.putShort((short) (0x8400 | query[2] << 8 & 0x0100)); // response, authoritative, recursion desired as asked
        b.putShort((short) 1).putShort((short) 1).putShort((short) 0).putShort((short) 0);
        b.put(query, 12, end - 12);
        b.putShort((short) 0xc00c); // the answer's name: a pointer to the question's
        b.putShort((short) Type.A).putShort((short) DClass.IN).putInt(60).putShort((short) 4).put(ADDRESS);
        return b.array();
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }
}
