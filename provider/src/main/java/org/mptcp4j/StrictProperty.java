package org.mptcp4j;

import java.lang.System.Logger.Level;

/** Reads {@code -Dmptcp4j.strict}: "true" or "false"; anything else is reported and means false. */
final class StrictProperty {
    private StrictProperty() {}

    static final String NAME = "mptcp4j.strict";

    static boolean value() {
        String v = System.getProperty(NAME);
        if (v == null || v.isBlank()) {
            return false;
        }
        switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true": return true;
            case "false": return false;
            default:
                Log.log(Level.WARNING,
                        "mptcp4j: bad value for -D{0}: \"{1}\", expected true or false; using false", NAME, v);
                return false;
        }
    }
}
