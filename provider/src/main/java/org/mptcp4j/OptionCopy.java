package org.mptcp4j;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Carries the socket options an application set on its TCP socket over to the MPTCP socket that
 * replaces it. SO_REUSEADDR is carried natively by the swap itself.
 */
final class OptionCopy {
    private OptionCopy() {}

    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    /** Socket options of something: a channel, or a SocketImpl reached through its delegate. */
    interface Options {
        Set<SocketOption<?>> supportedOptions();

        <T> T getOption(SocketOption<T> option) throws IOException;

        <T> void setOption(SocketOption<T> option, T value) throws IOException;
    }

    static Options of(NetworkChannel channel) {
        return new Options() {
            @Override
            public Set<SocketOption<?>> supportedOptions() {
                return channel.supportedOptions();
            }

            @Override
            public <T> T getOption(SocketOption<T> option) throws IOException {
                return channel.getOption(option);
            }

            @Override
            public <T> void setOption(SocketOption<T> option, T value) throws IOException {
                channel.setOption(option, value);
            }
        };
    }

    static Map<SocketOption<?>, Object> read(Options channel) {
        Map<SocketOption<?>, Object> values = new LinkedHashMap<>();
        for (SocketOption<?> option : channel.supportedOptions()) {
            if (option == StandardSocketOptions.SO_REUSEADDR) {
                continue;
            }
            try {
                values.put(option, channel.getOption(option));
            } catch (IOException | RuntimeException e) {
                // not readable on this socket: nothing to carry over
            }
        }
        return values;
    }

    @SuppressWarnings("unchecked")
    static void restore(Options channel, Map<SocketOption<?>, Object> before, boolean strict) throws IOException {
        for (Map.Entry<SocketOption<?>, Object> e : before.entrySet()) {
            SocketOption<Object> option = (SocketOption<Object>) e.getKey();
            Object value = e.getValue();
            try {
                if (Objects.equals(channel.getOption(option), value)) {
                    continue;
                }
            } catch (IOException | RuntimeException ignored) {
                // unreadable on MPTCP: try to set it anyway
            }
            try {
                channel.setOption(option, value);
            } catch (IOException | RuntimeException failure) {
                String what = option.name() + "=" + value;
                if (strict) {
                    throw new SocketException("socket option " + what + " could not be carried over to the MPTCP socket: " + failure.getMessage());
                }
                if (WARNED.add(option.name())) {
                    Log.log(Level.WARNING, "mptcp4j: socket option {0} not carried over to the MPTCP socket: {1}", what, failure.getMessage());
                }
            }
        }
    }
}
