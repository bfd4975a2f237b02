package org.mptcp4j.internal.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Every {@code mptcp4j.*} setting, in one place: its key, the values it takes, its default. A setting
 * is given as an agent argument ({@code mode=client}), a system property ({@code -Dmptcp4j.mode=client})
 * or an environment variable ({@code MPTCP4J_MODE=client}, for containers); one rule decides between
 * them: <b>the most specific wins</b>, agent argument over system property over environment variable
 * over the default. The policy keys ({@link #isPolicy()}) feed {@link Policy}; the others are switches
 * read where they apply.
 */
public enum Setting {
    MODE("mode", true, "all", "all", "client", "server", "off"),
    INCLUDE("include", true, ""),
    EXCLUDE("exclude", true, ""),
    LOOPBACK("loopback", true, "tcp", "tcp", "mptcp"),
    STRICT("strict", true, "false", "true", "false"),
    LOG("log", true, "warning", "off", "error", "warning", "info", "debug"),
    /** {@code false}: the library and the SelectorProvider use the JDK's own channel classes (refused options then fail). */
    COMPAT_CHANNELS("compatChannels", false, "true", "true", "false"),
    /** {@code false}: no MBean {@code org.mptcp4j:type=Mptcp} (it is registered in the background at the first socket). */
    JMX("jmx", false, "true", "true", "false"),
    /** Where the Prometheus text endpoint listens: {@code off}, a port (loopback) or {@code host:port}. */
    PROMETHEUS("prometheus", false, "off"),
    /** Where the link watcher keeps what it took off links that went down (per network namespace), to survive its own death. */
    STATE_DIR("stateDir", false, "/run/mptcp4j"),
    /** {@code jffi}: the libc calls go through jffi, not mptcp4j's own JNI library (read by the native layer: property or environment). */
    NATIVE("native", false, "auto", "auto", "jffi"),
    /** The path of mptcp4j's JNI library to load, for a noexec {@code java.io.tmpdir} (the distribution's lib/native/linux-x86_64/libmptcp4j.so). */
    NATIVE_LIBRARY("nativeLibrary", false, "");

    /** Keys under {@code mptcp4j.agent.} belong to the tools and tests that start agents; not settings of the policy. */
    static final String TOOL_PREFIX = "agent.";

    private final String key;
    private final boolean policy;
    private final String defaultValue;
    private final List<String> choices; // empty: free text

    Setting(String key, boolean policy, String defaultValue, String... choices) {
        this.key = key;
        this.policy = policy;
        this.defaultValue = defaultValue;
        this.choices = List.of(choices);
    }

    /** The key as agent arguments spell it ({@code mode}). */
    public String key() {
        return key;
    }

    /** The system property ({@code mptcp4j.mode}). */
    public String property() {
        return "mptcp4j." + key;
    }

    /** The environment variable ({@code MPTCP4J_MODE}, {@code MPTCP4J_COMPAT_CHANNELS}). */
    public String environmentVariable() {
        StringBuilder v = new StringBuilder("MPTCP4J_");
        for (int i = 0; i < key.length(); i++) { // camelCase -> CAMEL_CASE (no regex: this runs at the agent's start)
            char c = key.charAt(i);
            if (Character.isUpperCase(c) && i > 0) {
                v.append('_');
            }
            v.append(Character.toUpperCase(c));
        }
        return v.toString();
    }

    public boolean isPolicy() {
        return policy;
    }

    public String defaultValue() {
        return defaultValue;
    }

    /** The values it takes (empty: a list of address rules). */
    public List<String> choices() {
        return choices;
    }

    /** The setting a key names, if any. */
    public static Optional<Setting> of(String key) {
        for (Setting s : values()) {
            if (s.key.equals(key)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /**
     * The value of this setting from the system properties, else the environment, else null (the
     * default applies). Agent arguments, more specific still, are merged by the agent.
     */
    public String lookup(Properties properties, Map<String, String> environment) {
        String v = properties.getProperty(property());
        if (v == null) {
            v = environment.get(environmentVariable());
        }
        return v;
    }

    /** The value of this setting in this JVM (system property, else environment), or the default. */
    public String value() {
        String v = lookup(System.getProperties(), System.getenv());
        return v == null || v.isBlank() ? defaultValue : v.trim();
    }

    /** Where this JVM's value comes from, for messages: {@code -Dmptcp4j.prometheus} unless only the environment gives it. */
    public String origin() {
        return System.getProperty(property()) == null && System.getenv(environmentVariable()) != null
                ? environmentVariable() : "-D" + property();
    }

    /** A boolean setting's value in this JVM; a bad value is one line through {@code report} and gives the default. */
    public boolean booleanValue(java.util.function.Consumer<String> report) {
        return booleanValue(value(), "-D" + property(), report);
    }

    /** A boolean setting's value as given at {@code origin}; a bad value is one line through {@code report} and gives the default. */
    public boolean booleanValue(String given, String origin, java.util.function.Consumer<String> report) {
        Optional<Boolean> b = parseBoolean(given);
        if (b.isEmpty()) {
            report.accept(badValue(origin, given));
            return Boolean.parseBoolean(defaultValue);
        }
        return b.get();
    }

    /** "true"/"false" in any case; anything else is empty. */
    static Optional<Boolean> parseBoolean(String s) {
        switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "true": return Optional.of(true);
            case "false": return Optional.of(false);
            default: return Optional.empty();
        }
    }

    /** The one line for a bad value: names the setting, the value and what was expected. */
    public String badValue(String origin, String value) {
        return "bad value for " + origin + ": \"" + value + "\" (expected " + expected() + ")";
    }

    private String expected() {
        if (this == PROMETHEUS) {
            return "off, a port or host:port";
        }
        if (choices.isEmpty()) {
            return "address rules";
        }
        if (choices.size() == 2) {
            return choices.get(0) + " or " + choices.get(1);
        }
        return String.join(", ", choices.subList(0, choices.size() - 1)) + " or " + choices.get(choices.size() - 1);
    }

    /** A value as given, and where it was given, for messages ({@code -Dmptcp4j.mode}, {@code MPTCP4J_MODE}, {@code agent argument mode}). */
    public record Given(String value, String origin) {}

    /**
     * The {@code mptcp4j.*} settings given by environment variables and system properties, keyed without
     * prefix, properties over environment; unknown keys are kept (the policy reports them), tool keys are not.
     */
    public static Map<String, Given> fromPropertiesAndEnvironment(Properties properties, Map<String, String> environment) {
        Map<String, Given> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : environment.entrySet()) {
            if (e.getKey().startsWith("MPTCP4J_")) {
                String key = e.getKey();
                for (Setting s : values()) {
                    if (s.environmentVariable().equals(e.getKey())) {
                        key = s.key;
                    }
                }
                out.put(key, new Given(e.getValue(), e.getKey()));
            }
        }
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith("mptcp4j.") && !name.startsWith("mptcp4j." + TOOL_PREFIX)) {
                out.put(name.substring("mptcp4j.".length()), new Given(properties.getProperty(name), "-D" + name));
            }
        }
        return out;
    }
}
