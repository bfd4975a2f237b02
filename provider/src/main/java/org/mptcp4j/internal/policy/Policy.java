package org.mptcp4j.internal.policy;

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

/**
 * Which sockets become MPTCP. One parser and one decision function shared by the system-property
 * providers and the agent, so both read the same settings the same way:
 *
 * <pre>
 *   mode=all|client|server|off     default all
 *   include=RULE,RULE...           clients: only these destinations (servers: these local ports/addresses)
 *   exclude=RULE,RULE...           never these
 *   loopback=tcp|mptcp             clients to loopback stay TCP by default (MPTCP costs more than it gives there)
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

    /** The policy's keys, in the order the documentation gives them. */
    public static final List<String> KEYS = policyKeys();

    private static final String ALL_KEYS = allKeys();

    private static String allKeys() {
        StringBuilder b = new StringBuilder();
        for (Setting s : Setting.values()) {
            b.append(b.length() == 0 ? "" : ", ").append(s.key());
        }
        return b.toString();
    }

    // No lambdas or streams on this path: it runs while the JDK builds the system class loader
    // (MptcpSystemClassLoader), when an invokedynamic bootstrap may not ask for that loader yet.
    private static List<String> policyKeys() {
        List<String> keys = new ArrayList<>();
        for (Setting s : Setting.values()) {
            if (s.isPolicy()) {
                keys.add(s.key());
            }
        }
        return List.copyOf(keys);
    }

    private final Mode mode;
    private final List<AddressRule> include;
    private final List<AddressRule> exclude;
    private final boolean loopbackMptcp;
    private final boolean strict;
    private final String logLevel;
    private final String error;
    private final Map<String, Setting.Given> given;

    private Policy(Mode mode, List<AddressRule> include, List<AddressRule> exclude, boolean loopbackMptcp,
                   boolean strict, String logLevel, String error, Map<String, Setting.Given> given) {
        this.mode = mode;
        this.include = List.copyOf(include);
        this.exclude = List.copyOf(exclude);
        this.loopbackMptcp = loopbackMptcp;
        this.strict = strict;
        this.logLevel = logLevel;
        this.error = error;
        this.given = Map.copyOf(given);
    }

    /** The default: every stream socket MPTCP, clients to loopback excepted. */
    public static Policy defaults() {
        return new Policy(Mode.ALL, List.of(), List.of(), false, false, "warning", null, Map.of());
    }

    /** Reads the {@code mptcp4j.*} system properties and {@code MPTCP4J_*} environment variables (see {@link Setting}). */
    public static Policy fromSystemProperties() {
        return parse(Setting.fromPropertiesAndEnvironment(System.getProperties(), System.getenv()));
    }

    /** Reads {@code mptcp4j.*} entries of {@code props} alone; unknown {@code mptcp4j.*} keys are errors. */
    public static Policy fromProperties(Properties props) {
        return parse(Setting.fromPropertiesAndEnvironment(props, Map.of()));
    }

    /**
     * Parses agent arguments ({@code key=value,...}), which win over the same settings given as system
     * properties or environment variables (null or empty arguments: those, then the defaults).
     */
    public static Policy fromAgentArgs(String args) {
        return fromAgentArgs(args, System.getProperties(), System.getenv());
    }

    public static Policy fromAgentArgs(String args, Properties properties, Map<String, String> environment) {
        Map<String, Setting.Given> settings = Setting.fromPropertiesAndEnvironment(properties, environment);
        if (args != null && !args.isBlank()) {
            Map<String, String> given = new LinkedHashMap<>();
            String key = null;
            for (String token : args.split(",")) {
                int eq = token.indexOf('=');
                if (eq > 0) {
                    key = token.substring(0, eq).trim();
                    append(given, key, token.substring(eq + 1).trim());
                } else if (key != null && (key.equals("include") || key.equals("exclude")) && !token.isBlank()) {
                    append(given, key, token.trim());
                } else {
                    return invalid("bad agent argument: \"" + token + "\" (expected key=value with key one of " + KEYS + ")");
                }
            }
            for (Map.Entry<String, String> e : given.entrySet()) {
                settings.put(e.getKey(), new Setting.Given(e.getValue(), "agent argument " + e.getKey()));
            }
        }
        return parse(settings);
    }

    /** A repeated key's values joined by commas (no lambda: the agent parses this at its first socket). */
    private static void append(Map<String, String> given, String key, String value) {
        String before = given.get(key);
        given.put(key, before == null ? value : before + "," + value);
    }

    /** Parses settings keyed without prefix, each with where it was given (for the one-line error). */
    public static Policy parse(Map<String, Setting.Given> settings) {
        Mode mode = Mode.ALL;
        List<AddressRule> include = new ArrayList<>();
        List<AddressRule> exclude = new ArrayList<>();
        boolean loopback = false;
        boolean strict = false;
        String log = "warning";
        Setting.Given strictGiven = settings.get("strict");
        if (strictGiven != null) {
            Optional<Boolean> b = Setting.parseBoolean(strictGiven.value());
            if (b.isEmpty()) {
                return invalid(Setting.STRICT.badValue(strictGiven.origin(), strictGiven.value()));
            }
            strict = b.get();
        }
        for (Map.Entry<String, Setting.Given> e : settings.entrySet()) {
            Setting.Given given = e.getValue();
            Optional<Setting> setting = Setting.of(e.getKey());
            if (setting.isEmpty()) {
                return invalid("unknown setting " + given.origin() + " (known: " + ALL_KEYS + ")", strict);
            }
            String value = given.value() == null ? "" : given.value().trim();
            Setting s = setting.get();
            if (!s.isPolicy() || s == Setting.STRICT) {
                continue; // a switch, read where it applies; strict was read first
            }
            if (!s.choices().isEmpty() && !s.choices().contains(value.toLowerCase(Locale.ROOT))) {
                return invalid(s.badValue(given.origin(), value), strict);
            }
            switch (s) {
                case MODE:
                    mode = Mode.valueOf(value.toUpperCase(Locale.ROOT));
                    break;
                case INCLUDE:
                case EXCLUDE:
                    for (String item : value.split(",")) {
                        if (item.isBlank()) {
                            continue;
                        }
                        try {
                            (s == Setting.INCLUDE ? include : exclude).add(AddressRule.parse(item));
                        } catch (IllegalArgumentException ex) {
                            return invalid("bad value for " + given.origin() + ": " + ex.getMessage(), strict);
                        }
                    }
                    break;
                case LOOPBACK:
                    loopback = value.equalsIgnoreCase("mptcp");
                    break;
                case LOG:
                    log = value.toLowerCase(Locale.ROOT);
                    break;
                default:
                    throw new IllegalStateException(s.name());
            }
        }
        return new Policy(mode, include, exclude, loopback, strict, log, null, settings);
    }

    private static Policy invalid(String message) {
        return invalid(message, false);
    }

    private static Policy invalid(String message, boolean strict) {
        return new Policy(Mode.OFF, List.of(), List.of(), false, strict, "warning", message, Map.of());
    }

    /** A switch ({@code jmx}, {@code prometheus}, ...) as given with this policy (agent argument, property, environment), if it was. */
    public Optional<Setting.Given> given(Setting setting) {
        return Optional.ofNullable(given.get(setting.key()));
    }

    /** Whether the settings were good: {@link #error()} is empty (without the Optional, for the per-socket checks). */
    public boolean valid() {
        return error == null;
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
