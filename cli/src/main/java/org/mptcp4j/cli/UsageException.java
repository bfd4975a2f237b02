package org.mptcp4j.cli;

/** Bad command-line input: printed as one line, exit status 2. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
