package org.mptcp4j;

import java.io.IOException;

/**
 * MPTCP was required (strict mode) but cannot be used; {@link #availability()} says why. In the
 * default mode mptcp4j falls back to TCP instead of throwing this.
 */
public class MptcpUnavailableException extends IOException {
    private static final long serialVersionUID = 1L;

    private final Availability availability;

    public MptcpUnavailableException(Availability availability, String message) {
        super(message);
        this.availability = availability;
    }

    public MptcpUnavailableException(Availability availability, String message, Throwable cause) {
        super(message, cause);
        this.availability = availability;
    }

    /** The reason MPTCP cannot be used. */
    public Availability availability() {
        return availability;
    }
}
