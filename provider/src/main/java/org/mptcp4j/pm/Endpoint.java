package org.mptcp4j.pm;

import java.net.InetAddress;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * An MPTCP endpoint of the in-kernel path manager (what {@code ip mptcp endpoint} shows).
 *
 * @param id      the endpoint id (1-255; 0 when adding lets the kernel choose)
 * @param address the local address
 * @param port    the port, 0 for none
 * @param device  the interface, if bound to one
 * @param flags   signal / subflow / backup / fullmesh / implicit
 */
public record Endpoint(int id, InetAddress address, int port, Optional<String> device, Set<Flag> flags) {

    /** Endpoint flags, with the kernel's bit values. */
    public enum Flag {
        SIGNAL(1), SUBFLOW(2), BACKUP(4), FULLMESH(8), IMPLICIT(16);

        final int bit;

        Flag(int bit) {
            this.bit = bit;
        }

        static Set<Flag> of(long bits) {
            Set<Flag> s = EnumSet.noneOf(Flag.class);
            for (Flag f : values()) {
                if ((bits & f.bit) != 0) {
                    s.add(f);
                }
            }
            return s;
        }

        static int bits(Set<Flag> flags) {
            int b = 0;
            for (Flag f : flags) {
                b |= f.bit;
            }
            return b;
        }

        /** Parses "signal", "subflow", "backup", "fullmesh" (as {@code ip mptcp} spells them). */
        public static Flag parse(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("bad endpoint flag: " + s + " (expected signal, subflow, backup or fullmesh)");
            }
        }
    }

    public Endpoint {
        if (id < 0 || id > 255) {
            throw new IllegalArgumentException("endpoint id " + id + " is out of range: expected 0-255");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("endpoint port " + port + " is out of range: expected 0-65535");
        }
        flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
    }

    /** The {@code ip mptcp endpoint show} line: {@code 198.18.2.2 id 1 signal dev eth1}. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(address.getHostAddress());
        if (port != 0) {
            b.append(" port ").append(port);
        }
        b.append(" id ").append(id);
        String f = EnumSet.copyOf(flags.isEmpty() ? EnumSet.noneOf(Flag.class) : flags).stream()
                .map(x -> x.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(" "));
        if (!f.isEmpty()) {
            b.append(' ').append(f);
        }
        device.ifPresent(d -> b.append(" dev ").append(d));
        return b.toString();
    }
}
