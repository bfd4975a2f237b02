package org.mptcp4j.internal.sys;

import java.io.FileDescriptor;

/**
 * The int behind a {@link FileDescriptor}, read by mptcp4j's JNI library, which JNI does not access-check:
 * no method handle into the JDK to make at start-up, nothing to open. Where the library is not loaded,
 * {@link #READABLE} is false and the caller reads it its own way. Internal.
 */
public final class FileDescriptors {
    private FileDescriptors() {}

    /** Whether {@link #fdOf} works here (the JNI library is loaded). */
    public static final boolean READABLE = Jni.LOADED;

    /** The fd of {@code descriptor}, the field IOUtil.fdVal reads; throws NoSuchFieldError on a JDK whose FileDescriptor has no int fd. */
    public static int fdOf(FileDescriptor descriptor) {
        return Jni.fdOf(java.util.Objects.requireNonNull(descriptor, "descriptor"));
    }
}
