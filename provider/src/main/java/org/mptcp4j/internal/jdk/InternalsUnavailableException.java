package org.mptcp4j.internal.jdk;

import java.io.IOException;
import org.mptcp4j.Availability;

/**
 * The JDK internals that hold a socket's file descriptor can't be reached: either not opened to
 * mptcp4j ({@link #notOpen()} true, message names the exact flag) or of a shape this version does
 * not recognise.
 */
public final class InternalsUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    private final boolean notOpen;

    InternalsUnavailableException(String message, boolean notOpen, Throwable cause) {
        super(message, cause);
        this.notOpen = notOpen;
    }

    public boolean notOpen() {
        return notOpen;
    }

    /** The reason as the API reports it: not opened to mptcp4j, or of an unknown shape. */
    public Availability availability() {
        return notOpen ? Availability.JDK_NOT_OPEN : Availability.JDK_UNRECOGNIZED;
    }
}
