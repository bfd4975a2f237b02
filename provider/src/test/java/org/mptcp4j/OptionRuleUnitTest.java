package org.mptcp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mptcp4j.internal.options.OptionRule;

/** The option rules: one table, the documentation's table is that table, and names resolve as the JDK and the kernel spell them. */
class OptionRuleUnitTest {
    @Test
    void theDocumentedTableIsTheRuleTable() throws Exception {
        List<String> documented = new ArrayList<>();
        boolean inTable = false;
        for (String line : Files.readAllLines(Path.of("../docs/socket-options.md"))) {
            if (line.startsWith("| option | refused by MPTCP")) {
                inTable = true;
            } else if (inTable && line.startsWith("| `")) {
                documented.add(line);
            } else if (inTable && !line.startsWith("|")) {
                break;
            }
        }
        List<String> rules = new ArrayList<>();
        for (OptionRule r : OptionRule.values()) {
            rules.add("| `" + r.name() + "` | " + r.refused() + " | " + r.answer().summary() + " | " + r.why() + " |");
        }
        assertEquals(rules, documented, "docs/socket-options.md lists exactly the rules, in order, with their answers");
    }

    @Test
    void theJdksIpv6NameForTheTrafficClassIsTheIpTosRule() {
        assertSame(OptionRule.IP_TOS, OptionRule.named("IPV6_TCLASS"));
        assertSame(OptionRule.IP_TOS, OptionRule.of(41, 67));
    }

    @Test
    void optionsWithoutARuleAreNotAnswered() {
        assertNull(OptionRule.named("TCP_NODELAY"));
        assertNull(OptionRule.named(null));
    }

    @Test
    void kernelNumbersFindTheirRule() {
        for (OptionRule r : OptionRule.values()) {
            assertSame(r, OptionRule.of(r.level(), r.option()), r.name());
        }
    }
}
