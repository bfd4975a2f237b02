package org.mptcp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The provider's layers, as docs/architecture.md draws them: each package imports only the packages below it. */
class LayeringUnitTest {
    /** Package (under org.mptcp4j) -> the packages it may import; "api" is org.mptcp4j itself. */
    static final Map<String, Set<String>> ALLOWED = Map.of(
            "api", Set.of("internal.engine", "internal.jdk", "internal.policy", "internal.sys", "internal.log"),
            "pm", Set.of("api", "internal.sys", "internal.log", "internal.policy"), // policy: the Setting registry (stateDir)
            "internal.engine", Set.of("api", "internal.jdk", "internal.options", "internal.policy", "internal.swap", "internal.sys",
                    "internal.log"),
            "internal.jdk", Set.of("api", "internal.options", "internal.policy", "internal.sys", "internal.log"), // sys: FileDescriptors
            "internal.swap", Set.of("internal.options", "internal.sys", "internal.log"),
            "internal.options", Set.of("internal.sys", "internal.log"),
            "internal.policy", Set.of("internal.log"),
            "internal.sys", Set.of("internal.log"),
            "internal.log", Set.of());

    static final Pattern IMPORT = Pattern.compile("^import (?:static )?org\\.mptcp4j\\.((?:internal\\.)?[a-z]+)?\\.?([A-Z]\\w*)", Pattern.MULTILINE);

    @Test
    void everyPackageImportsOnlyWhatIsBelowIt() throws IOException {
        Path root = Path.of("src/main/java/org/mptcp4j");
        Map<String, Set<String>> found = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java") && !p.endsWith("module-info.java"))::iterator) {
                String rel = root.relativize(f.getParent()).toString().replace('/', '.');
                String pkg = rel.isEmpty() ? "api" : rel;
                Matcher m = IMPORT.matcher(Files.readString(f));
                while (m.find()) {
                    String target = m.group(1) == null ? "api" : m.group(1);
                    if (!target.equals(pkg)) {
                        found.computeIfAbsent(pkg, k -> new TreeSet<>()).add(target);
                    }
                }
            }
        }
        for (Map.Entry<String, Set<String>> e : found.entrySet()) {
            Set<String> illegal = new TreeSet<>(e.getValue());
            illegal.removeAll(ALLOWED.getOrDefault(e.getKey(), Set.of()));
            assertEquals(Set.of(), illegal, "imports of org.mptcp4j." + e.getKey() + " beyond its layer");
        }
    }
}
