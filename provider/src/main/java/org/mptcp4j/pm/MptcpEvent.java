package org.mptcp4j.pm;

import java.net.InetAddress;
import java.util.Locale;
import java.util.Optional;

/**
 * One event of the {@code mptcp_pm_events} multicast group (what {@code ip mptcp monitor} prints).
 * Fields the event does not carry are empty / -1.
 */
public record MptcpEvent(Type type, long token, int localId, int remoteId, Optional<InetAddress> source, int sourcePort,
                         Optional<InetAddress> destination, int destinationPort, int interfaceIndex, int error,
                         boolean backup, boolean serverSide) {

    /** Event kinds with the kernel's command numbers. */
    public enum Type {
        CREATED(1), ESTABLISHED(2), CLOSED(3), ANNOUNCED(6), REMOVED(7), SUB_ESTABLISHED(10), SUB_CLOSED(11),
        SUB_PRIORITY(13), LISTENER_CREATED(15), LISTENER_CLOSED(16), UNKNOWN(-1);

        final int code;

        Type(int code) {
            this.code = code;
        }

        static Type of(int code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            return UNKNOWN;
        }
    }

    /** As {@code ip mptcp monitor} prints it. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "[%16s]", type));
        if (token != 0) {
            b.append(" token=").append(Long.toHexString(token));
        }
        if (remoteId >= 0) {
            b.append(" remid=").append(remoteId);
        }
        if (localId >= 0) {
            b.append(" locid=").append(localId);
        }
        source.ifPresent(a -> b.append(a.getAddress().length == 4 ? " saddr4=" : " saddr6=").append(a.getHostAddress()));
        destination.ifPresent(a -> b.append(a.getAddress().length == 4 ? " daddr4=" : " daddr6=").append(a.getHostAddress()));
        if (sourcePort > 0) {
            b.append(" sport=").append(sourcePort);
        }
        if (destinationPort > 0) {
            b.append(" dport=").append(destinationPort);
        }
        if (backup) {
            b.append(" backup=1");
        }
        if (error > 0) {
            b.append(" error=").append(error);
        }
        if (interfaceIndex > 0) {
            b.append(" ifindex=").append(interfaceIndex);
        }
        if (serverSide) {
            b.append(" server_side=1");
        }
        return b.toString();
    }
}
