package org.mptcp4j.spring.internal;

/** A {@code mptcp4j.*} Spring property with a value mptcp4j does not take; the message is the one line to show. */
public final class BadSettingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    BadSettingException(String message) {
        super(message);
    }
}
