package org.mptcp4j.policy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * Which sockets become MPTCP. One parser and one decision function shared by the system-property
 * providers and the agent, so both read the same settings the same way:
 *
 * <pre>
 *   mode=all|client|server|off     default all
 *   include=RULE,RULE...           clients: only these destinations (servers: these local ports/addresses)
 *   exclude=RULE,RULE...           never these
 *   loopback=tcp|mptcp             clients to loopback stay TCP by default (MPTCP costs ~40 % there)
 *   strict=true|false              throw instead of falling back to TCP
 *   log=off|warning|info|debug     agent log level
 * </pre>
 *
 * As system properties the keys are prefixed ({@code -Dmptcp4j.mode=client}); as agent arguments
 * they are comma-separated ({@code mode=client,exclude=10.0.0.0/8,192.168.0.0/16}: an entry without
 * {@code =} continues the previous list). A bad value makes the whole policy {@link #error() invalid}:
 * callers then use plain TCP (or throw, when strict) and report the one-line error.
 */
public final class Policy {
    /** Which side of a connection may become MPTCP. */
    public enum Mode { ALL, CLIENT, SERVER, OFF }

    /** Known keys, in the order the documentation gives them. */
    public static final List<String> KEYS = List.of("mode", "include", "exclude", "loopback", "strict", "log");

    private static final Set<String> LOG_LEVELS = Set.of("off", "error", "warning", "info", "debug");

    private final Mode mode;
    private final List<AddressRule> include;
    private final List<AddressRule> exclude;
    private final boolean loopbackMptcp;
    private final boolean strict;
    private final String logLevel;
    private final String error;

    private Policy(Mode mode, List<AddressRule> include, List<AddressRule> exclude, boolean loopbackMptcp,
                   boolean strict, String logLevel, String error) {
        this.mode = mode;
        this.include = List.copyOf(include);
        this.exclude = List.copyOf(exclude);
        this.loopbackMptcp = loopbackMptcp;
        this.strict = strict;
        this.logLevel = logLevel;
        this.error = error;
    }

    /** The default: every stream socket MPTCP, clients to loopback excepted. */
    public static Policy defaults() {
        return new Policy(Mode.ALL, List.of(), List.of(), false, false, "warning", null);
    }

    /** Reads {@code mptcp4j.*} system properties. */
    public static Policy fromSystemProperties() {
        return fromProperties(System.getProperties());
    }

    /** Reads {@code mptcp4j.*} entries of {@code props}; unknown {@code mptcp4j.*} keys are errors. */
    public static Policy fromProperties(Properties props) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String name : props.stringPropertyNames()) {
            if (name.startsWith("mptcp4j.")) {
                settings.put(name.substring("mptcp4j.".length()), props.getProperty(name));
            }
        }
        return parse(settings, "-Dmptcp4j.");
    }

    /** Parses agent arguments ({@code key=value,...}; null or empty means defaults). */
    public static Policy fromAgentArgs(String args) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (args != null && !args.isBlank()) {
            String key = null;
            for (String token : args.split(",")) {
                int eq = token.indexOf('=');
                if (eq > 0) {
                    key = token.substring(0, eq).trim();
                    String value = token.substring(eq + 1).trim();
                    settings.merge(key, value, (a, b) -> a + "," + b);
                } else if (key != null && (key.equals("include") || key.equals("exclude")) && !token.isBlank()) {
                    settings.merge(key, token.trim(), (a, b) -> a + "," + b);
                } else {
                    return invalid("bad agent argument: \"" + token + "\" (expected key=value with key one of " + KEYS + ")");
                }
            }
        }
        return parse(settings, "agent argument ");
    }

    /** Parses settings keyed without prefix; {@code origin} prefixes the key in error messages. */
    public static Policy parse(Map<String, String> settings, String origin) {
        Mode mode = Mode.ALL;
        List<AddressRule> include = new ArrayList<>();
        List<AddressRule> exclude = new ArrayList<>();
        boolean loopback = false;
        boolean strict = false;
        String log = "warning";
        String strictText = settings.get("strict");
        if (strictText != null) {
            Optional<Boolean> b = bool(strictText);
            if (b.isEmpty()) {
                return invalid(badValue(origin, "strict", strictText, "true or false"));
            }
            strict = b.get();
        }
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String key = e.getKey();
            String value = e.getValue() == null ? "" : e.getValue().trim();
            switch (key) {
                case "mode":
                    try {
                        mode = Mode.valueOf(value.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException ex) {
                        return invalid(badValue(origin, key, value, "all, client, server or off"), strict);
                    }
                    break;
                case "include":
                case "exclude":
                    for (String item : value.split(",")) {
                        if (item.isBlank()) {
                            continue;
                        }
                        try {
                            (key.equals("include") ? include : exclude).add(AddressRule.parse(item));
                        } catch (IllegalArgumentException ex) {
                            return invalid("bad value for " + origin + key + ": " + ex.getMessage(), strict);
                        }
                    }
                    break;
                case "loopback":
                    if (value.equalsIgnoreCase("mptcp")) {
                        loopback = true;
                    } else if (value.equalsIgnoreCase("tcp")) {
                        loopback = false;
                    } else {
                        return invalid(badValue(origin, key, value, "tcp or mptcp"), strict);
                    }
                    break;
                case "strict":
                    break; // read first
                case "log":
                    if (!LOG_LEVELS.contains(value.toLowerCase(Locale.ROOT))) {
                        return invalid(badValue(origin, key, value, "off, error, warning, info or debug"), strict);
                    }
                    log = value.toLowerCase(Locale.ROOT);
                    break;
                default:
                    return invalid("unknown setting " + origin + key + " (known: " + String.join(", ", KEYS) + ")", strict);
            }
        }
        return new Policy(mode, include, exclude, loopback, strict, log, null);
    }

    private static String badValue(String origin, String key, String value, String expected) {
        return "bad value for " + origin + key + ": \"" + value + "\" (expected " + expected + ")";
    }

    private static Optional<Boolean> bool(String s) {
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "true": return Optional.of(true);
            case "false": return Optional.of(false);
            default: return Optional.empty();
        }
    }

    private static Policy invalid(String message) {
        return invalid(message, false);
    }

    private static Policy invalid(String message, boolean strict) {
        return new Policy(Mode.OFF, List.of(), List.of(), false, strict, "warning", message);
    }

    /** The configuration error, if the settings were bad; the policy is then {@link Mode#OFF}. */
    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    public Mode mode() {
        return mode;
    }

    public boolean strict() {
        return strict;
    }

    public String logLevel() {
        return logLevel;
    }

    public List<AddressRule> include() {
        return Collections.unmodifiableList(include);
    }

    public List<AddressRule> exclude() {
        return Collections.unmodifiableList(exclude);
    }

    public boolean loopbackMptcp() {
        return loopbackMptcp;
    }

    /** A listener may become MPTCP (decided before bind: local address unknown). */
    public boolean server() {
        return mode == Mode.ALL || mode == Mode.SERVER;
    }

    /** A listener bound to {@code local} may become MPTCP: mode, then exclude/include on the local address and port. */
    public boolean server(InetSocketAddress local) {
        if (!server()) {
            return false;
        }
        if (matchesAny(exclude, local)) {
            return false;
        }
        return include.isEmpty() || matchesAny(include, local);
    }

    /** A client socket whose destination is not known yet may become MPTCP. */
    public boolean client() {
        return mode == Mode.ALL || mode == Mode.CLIENT;
    }

    /** A client connecting to {@code destination} becomes MPTCP: mode, exclude, include, then the loopback default. */
    public boolean client(InetSocketAddress destination) {
        if (!client()) {
            return false;
        }
        if (matchesAny(exclude, destination)) {
            return false;
        }
        if (!include.isEmpty()) {
            return matchesAny(include, destination); // an explicit include wins over the loopback default
        }
        InetAddress a = destination.getAddress();
        return loopbackMptcp || a == null || !(a.isLoopbackAddress() || isV4MappedLoopback(a));
    }

    /** Whether the client decision depends on the destination (so it must be taken at connect time). */
    public boolean clientDependsOnDestination() {
        return client() && (!include.isEmpty() || !exclude.isEmpty() || !loopbackMptcp);
    }

    private static boolean isV4MappedLoopback(InetAddress a) {
        byte[] b = a.getAddress();
        return b.length == 16 && b[10] == (byte) 0xff && b[11] == (byte) 0xff && b[12] == 127;
    }

    private static boolean matchesAny(List<AddressRule> rules, InetSocketAddress target) {
        for (AddressRule r : rules) {
            if (r.matches(target)) {
                return true;
            }
        }
        return false;
    }

    /** The settings in agent-argument form (round-trips through {@link #fromAgentArgs}). */
    @Override
    public String toString() {
        if (error != null) {
            return "invalid: " + error;
        }
        StringBuilder b = new StringBuilder("mode=").append(mode.name().toLowerCase(Locale.ROOT));
        if (!include.isEmpty()) {
            b.append(",include=").append(join(include));
        }
        if (!exclude.isEmpty()) {
            b.append(",exclude=").append(join(exclude));
        }
        b.append(",loopback=").append(loopbackMptcp ? "mptcp" : "tcp");
        b.append(",strict=").append(strict);
        b.append(",log=").append(logLevel);
        return b.toString();
    }

    private static String join(List<AddressRule> rules) {
        StringBuilder b = new StringBuilder();
        for (AddressRule r : rules) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(r);
        }
        return b.toString();
    }
}
