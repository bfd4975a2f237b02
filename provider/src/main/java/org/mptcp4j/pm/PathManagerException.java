package org.mptcp4j.pm;

import java.io.IOException;
import org.mptcp4j.internal.sys.Errno;

/** The kernel refused a path-manager command; the message carries its errno and extended-ack text. */
public final class PathManagerException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    PathManagerException(String command, int errno, String kernelMessage) {
        super(command + " failed: " + Errno.describe(errno) + (kernelMessage == null || kernelMessage.isEmpty() ? "" : ": " + kernelMessage)
                + (errno == Errno.EPERM.code() ? " (needs CAP_NET_ADMIN in this network namespace: run as root)" : ""));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
